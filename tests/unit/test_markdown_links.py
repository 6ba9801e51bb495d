"""Bare addresses become links through the one Markdown function, and stay inert: the sanitiser
(nh3) still decides the scheme and sets rel on them; code and existing links are left alone."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.markdown import render_markdown_uncached
from app.markdown_links import split_addresses


def _html(text: str) -> str:
    return str(render_markdown_uncached(text))


def test_bare_addresses_become_links_with_rel() -> None:
    html = _html("Положение: https://school.example/rules.pdf, а также www.example.ru.")
    assert '<a href="https://school.example/rules.pdf" rel="nofollow noopener">' in html
    assert '<a href="http://www.example.ru" rel="nofollow noopener">www.example.ru</a>.' in html


def test_sentence_punctuation_and_brackets() -> None:
    assert split_addresses("(см. https://x.org/a_(b)).") == ("(см. ", [("https://x.org/a_(b)", ").")])
    assert split_addresses("нет ссылок") == ("нет ссылок", [])
    assert split_addresses("http:// и www.") == ("http:// и www.", [])


@pytest.mark.parametrize(
    "text",
    [
        "`https://code.example`",
        "```\nhttps://code.example\n```",
        "    https://code.example",
    ],
)
def test_code_is_not_linked(text: str) -> None:
    html = _html(text)
    assert "<a" not in html and "https://code.example" in html


@pytest.mark.parametrize(
    "text",
    [
        "[see https://x.example](https://y.example)",
        "<https://x.example>",
        '<a href="https://x.example">https://x.example</a>',
    ],
)
def test_no_link_inside_a_link(text: str) -> None:
    assert _html(text).count("<a ") == 1


class _Attributes(HTMLParser):
    """The tags and attributes a browser would act on (text is harmless)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value or "") for name, value in attrs)
        if not attrs:
            self.found.append((tag, "", ""))


@pytest.mark.parametrize(
    "text",
    [
        'https://x.example/"onmouseover="alert(1)',
        "https://x.example/'onclick='alert(1)",
        "https://x.example/<script>alert(1)</script>",
        "https://x.example/`<img src=x onerror=alert(1)>`",
        "javascript:alert(1)//https://x.example",
        "www.javascript:alert(1)",
        "data:text/html,<script>alert(1)</script> https://x.example",
        '<b>https://x.example/" onmouseover="alert(1)</b>',
        "https://x.example/&quot;onmouseover=&quot;alert(1)",
    ],
)
def test_linked_addresses_stay_inert(text: str) -> None:
    html = _html(text)
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    assert parser.found, html
    for tag, name, value in parser.found:
        assert tag in {"p", "a", "b", "code"}, html
        assert name in {"", "href", "rel"}, html
        if name == "href":
            assert value.startswith(("http://", "https://")), html


def test_cyrillic_address_and_text_around() -> None:
    html = _html("Сайт: https://школа.рф/путь.")
    assert '<a href="https://школа.рф/путь" rel="nofollow noopener">https://школа.рф/путь</a>.' in html
