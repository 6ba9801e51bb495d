"""The only place user text becomes HTML: Markdown rendered, then sanitised with an allow-list.

Python-Markdown passes raw HTML through and `attr_list` can add any attribute, so the sanitiser
always runs on its output. bleach has made its last release: keep it behind this one function so a
move to nh3 touches nothing else.
"""

from __future__ import annotations

from functools import lru_cache, partial

import bleach
import markdown as md
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height"],
    "td": ["align", "colspan", "rowspan"],
    "th": ["align", "colspan", "rowspan"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


def _link_rel(attrs: dict, new: bool = False) -> dict:
    """Every link gets rel="nofollow noopener": user text must not pass search rank or window.opener."""
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_link_rel], skip_tags={"pre", "code"})],
)


def render_markdown(text: str | None) -> Markup:
    """Markdown → safe HTML. Script, event handlers and javascript: links come out inert.

    Rendering and sanitising cost milliseconds, and pages show the same texts again and again
    (a course's pages, a contest's rules): recent results are kept, keyed by the text itself."""
    if not text:
        return Markup("")
    return _render_cached(str(text))


@lru_cache(maxsize=1024)
def _render_cached(text: str) -> Markup:
    return render_markdown_uncached(text)


def render_markdown_uncached(text: str) -> Markup:
    html = md.markdown(text, extensions=EXTENSIONS, output_format="html")
    return Markup(_cleaner.clean(html))  # noqa: S704 - sanitised just above
