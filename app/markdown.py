"""The only place user text becomes HTML: Markdown rendered, then sanitised with an allow-list.

Python-Markdown passes raw HTML through and `attr_list` can add any attribute, so the sanitiser
always runs on its output. The sanitiser is nh3 (ammonia, in Rust), behind this one function; bare
web addresses are turned into links by the renderer (app/markdown_links.py).
"""

from __future__ import annotations

import threading
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup

from app.markdown_links import BareUrlExtension

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
# `rel` is not among a link's attributes: the sanitiser sets it on every link itself.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# User text must not pass search rank or window.opener through its links.
LINK_REL = "nofollow noopener"
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br", BareUrlExtension()]

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_PROTOCOLS),
    strip_comments=True,
    link_rel=LINK_REL,
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
    html = _renderer().reset().convert(text)
    return Markup(_cleaner.clean(html))  # noqa: S704 - sanitised just above


_local = threading.local()


def _renderer() -> md.Markdown:
    """One Markdown instance per thread, reset between texts: building one (its extensions and
    patterns) costs more than converting a short text, and an instance is not safe across threads."""
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = md.Markdown(extensions=EXTENSIONS, output_format="html")
    return renderer
