"""The XSS corpus on the one Markdown function: whatever users type comes out inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.markdown import ALLOWED_TAGS, render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    'paragraph\n{: onclick="alert(1)" }',
    "# heading {: onmouseover=alert(1) }",
    '<svg onload="alert(1)"><circle /></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<form action="https://evil.example"><input name=q></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="https://ok.example" onfocus="alert(1)" autofocus>x</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
]

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Inspector(HTMLParser):
    """Collects what a browser would act on: tags, attributes and link targets (text is harmless)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def _safe_url(value: str) -> bool:
    """Relative URLs and http(s)/mailto ones; a scheme is whatever stands before the first ':'."""
    value = value.strip().lower()
    head = re.split(r"[/?#]", value, maxsplit=1)[0]
    return ":" not in head or value.startswith(SAFE_SCHEMES)


def _inspect(html: str) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_rendered_inert(payload: str) -> None:
    html = str(render_markdown(payload))
    found = _inspect(html)
    assert set(found.tags) <= ALLOWED_TAGS, (payload, html)
    for name, value in found.attributes:
        assert not name.startswith("on") and name not in {"style", "srcdoc", "formaction", "action"}, (
            payload,
            html,
        )
        if name in {"href", "src"}:
            assert _safe_url(value), (payload, html)


def test_links_get_nofollow_noopener() -> None:
    html = str(render_markdown("[site](https://example.org) and https://bare.example.org"))
    assert html.count('rel="nofollow noopener"') == 2
    assert 'href="https://example.org"' in html


def test_a_link_cannot_choose_its_own_rel_or_target() -> None:
    html = str(render_markdown('<a href="https://example.org" rel="opener" target="_blank">x</a>'))
    assert 'rel="nofollow noopener"' in html and "target" not in html and 'rel="opener"' not in html


def test_ordinary_markdown_survives() -> None:
    html = str(
        render_markdown(
            "# Тема\n\n**жирный** и *курсив*\n\n- один\n- два\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "```\ncode()\n```\n\n[почта](mailto:a@b.c)"
        )
    )
    for fragment in (
        "<h1>Тема</h1>",
        "<strong>жирный</strong>",
        "<em>курсив</em>",
        "<li>один</li>",
        "<table>",
        "<td>1</td>",
        "<code>code()",
        'href="mailto:a@b.c"',
    ):
        assert fragment in html, fragment


def test_code_shows_markup_as_text() -> None:
    html = str(render_markdown("`<b>bold</b>`"))
    assert "&lt;b&gt;" in html


def test_empty_input_gives_empty_markup() -> None:
    assert str(render_markdown("")) == "" and str(render_markdown(None)) == ""


def test_result_is_markup_so_templates_do_not_escape_it_twice() -> None:
    from markupsafe import Markup

    assert isinstance(render_markdown("x"), Markup)


def test_images_keep_only_safe_sources() -> None:
    html = str(render_markdown("![cat](https://example.org/cat.png)"))
    assert 'src="https://example.org/cat.png"' in html


def test_cached_and_uncached_rendering_agree() -> None:
    from app.markdown import render_markdown_uncached

    text = "**x** <script>alert(1)</script> [a](https://example.org)"
    assert render_markdown(text) == render_markdown_uncached(text) == render_markdown(text)
