"""Bare web addresses in user text become links, as people expect when they paste one.

bleach's linkifier did this after rendering; nh3 only sanitises, so the renderer does it itself,
on the document tree once inline Markdown is done: text inside links, code spans and code blocks is
left alone (no link inside a link, code shows what was typed). Addresses start with http://,
https:// or www.; a trailing full stop, comma or unmatched closing bracket belongs to the sentence.
The sanitiser runs afterwards, so these links get the same rel and scheme checks as any other.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

# \x02 and \x03 delimit Markdown's placeholders for stashed raw HTML: never part of an address.
URL = re.compile(r"(?<![\w/:@.\-])(?:https?://|www\.)[^\s<>\"'`\x02\x03]+", re.IGNORECASE)
TRAILING = ".,;:!?»"
CLOSERS = {")": "(", "]": "[", "}": "{"}
SKIPPED = frozenset({"a", "code", "pre"})
# After "inline" (20), before "prettify" (10) and "unescape" (0).
PRIORITY = 15


PLACEHOLDER = re.compile(r"\x02wzxhzdk:(\d+)\x03")


def split_addresses(text: str, raw_html: Sequence[str] = ()) -> tuple[str, list[tuple[str, str]]]:
    """`text` cut at its addresses: the text before the first, then (address, text after it) pairs.
    `raw_html` is Markdown's stash of raw HTML: an address right inside a raw <a> stays text."""
    head: str = ""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in URL.finditer(text):
        address = _trim(match.group(0))
        if address.lower() in ("www.", "http://", "https://") or _in_raw_link(
            text[: match.start()], raw_html
        ):
            continue
        before = text[position : match.start()]
        if pieces:
            pieces[-1] = (pieces[-1][0], before)
        else:
            head = before
        pieces.append((address, ""))
        position = match.start() + len(address)
    if not pieces:
        return text, []
    pieces[-1] = (pieces[-1][0], text[position:])
    return head, pieces


def _in_raw_link(before: str, raw_html: Sequence[str]) -> bool:
    """Whether the last raw tag before an address opens a link."""
    tags = PLACEHOLDER.findall(before)
    if not tags or int(tags[-1]) >= len(raw_html):
        return False
    return str(raw_html[int(tags[-1])]).lstrip().lower().startswith("<a")


def _trim(address: str) -> str:
    while address:
        last = address[-1]
        opener = CLOSERS.get(last)
        if last in TRAILING or (opener is not None and address.count(opener) < address.count(last)):
            address = address[:-1]
            continue
        break
    return address


def _link(address: str, tail: str) -> etree.Element:
    link = etree.Element("a")
    link.set("href", address if "://" in address else "http://" + address)
    link.text = address
    link.tail = tail
    return link


def _linkify(element: etree.Element, raw_html: list[str]) -> None:
    if element.text:
        head, pieces = split_addresses(element.text, raw_html)
        element.text = head
        for offset, (address, tail) in enumerate(pieces):
            element.insert(offset, _link(address, tail))
    index = 0
    while index < len(element):
        child = element[index]
        if child.tag not in SKIPPED:
            _linkify(child, raw_html)
        index += 1
        if child.tail:
            head, pieces = split_addresses(child.tail, raw_html)
            child.tail = head
            for address, tail in pieces:
                element.insert(index, _link(address, tail))
                index += 1


class _LinkifyTree(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        _linkify(root, [str(block) for block in self.md.htmlStash.rawHtmlBlocks])


class BareUrlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_LinkifyTree(md), "bare_url", PRIORITY)
