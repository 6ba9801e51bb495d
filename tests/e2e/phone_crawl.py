"""The phone crawl's rules, kept apart from the browser: which links it follows, which page shapes
count as one, and which words of a page are English interface words (a missing translation)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

# Links the crawl never follows: signing out, files and downloads, the API, the language switch.
SKIPPED = re.compile(
    r"^/(auth/logout|logout|static/|api/|set-language|uploads/)"
    r"|/(download|export|exports|file|files|backup|certificate|diploma|ics|pdf|xlsx|csv)(/|$)"
    r"|\.(pdf|xlsx|xls|csv|ics|zip|docx?|pptx?|png|jpe?g|svg|txt|xml|json|gift|mbz)$",
)
_NUMBER = re.compile(r"\d+")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")
# A word of two letters or more standing alone («C», «I» and the letters inside a code are not words).
_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![A-Za-z0-9_])")
# What a page may show in Latin letters: names and titles in «quotes», addresses, links, file names, codes.
_NOT_WORDS = re.compile(
    r"«[^«»]*»|[\w.+-]+@[\w.-]+|https?://\S+|\b[\w.-]+\.(pdf|xlsx|xls|csv|ics|zip|docx?|pptx?|png|jpe?g|txt|gift|xml)\b"
    r"|\b[A-Z0-9]{2,}(-[A-Z0-9]+)+\b",
    re.IGNORECASE,
)


def followed(href: str, origin: str) -> str | None:
    """The same-origin path (with its query) worth loading, or None for one the crawl skips."""
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path or "/"
    if SKIPPED.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def shape(path: str) -> str:
    """Pages that differ only in an id or a query are one shape: the crawl loads each shape once."""
    return _NUMBER.sub("N", path.split("?", 1)[0])


@cache
def _catalogue_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words of the English msgids, Latin words the Russian translations themselves use)."""
    english: set[str] = set()
    kept: set[str] = set()
    for po in sorted((ROOT / "translations").glob("*/ru/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale="ru")
        for message in catalog:
            if not message.id:
                continue
            english.update(_words_of(message.id))
            kept.update(_words_of(message.string))
    return frozenset(english), frozenset(kept)


def _words_of(texts: Any) -> set[str]:
    """The Latin words of a msgid or msgstr (a string, or a tuple of plural forms), placeholders left out."""
    texts = texts if isinstance(texts, (tuple, list)) else (texts,)
    return {w.lower() for text in texts for w in _WORD.findall(_PLACEHOLDER.sub(" ", str(text or "")))}


def english_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The interface's English words found in a page's visible text, each with a little of the text
    around it: a word of an English msgid that no Russian translation uses itself (so «Excel»,
    «PDF», «GIFT» pass) and that is not an allowed name."""
    english, kept = _catalogue_words()
    found: dict[str, str] = {}
    clean = _NOT_WORDS.sub(" ", text)
    for match in _WORD.finditer(clean):
        low = match.group().lower()
        if low in english and low not in kept and low not in allowed and low not in found:
            around = clean[max(0, match.start() - 25) : match.end() + 25]
            found[low] = f"{match.group()} («{' '.join(around.split())}»)"
    return list(found.values())
