"""@mentions in a post's text (pure): `@` followed by the e-mail's local part of the person meant
(`@ivanova.mp` for ivanova.mp@school5.ru), the one name every member has and sees on their profile.

A mention starts the text or follows a space or punctuation (so an e-mail address in the text is not
a mention), is matched case-insensitively, and a post names at most MAX_MENTIONS people (a list of
the whole school is a subscription, not a mention).
"""

from __future__ import annotations

import re

MAX_MENTIONS = 10

_MENTION = re.compile(r"(?<![\w@.+-])@([A-Za-z0-9][A-Za-z0-9._+-]{0,63})")


def _clean(handle: str) -> str:
    return handle.rstrip(".-_+").lower()


def handles_in(text: str) -> list[str]:
    """The distinct handles mentioned, in order of first appearance, at most MAX_MENTIONS."""
    found: list[str] = []
    for match in _MENTION.finditer(text or ""):
        handle = _clean(match.group(1))
        if handle and handle not in found:
            found.append(handle)
            if len(found) == MAX_MENTIONS:
                break
    return found


def handle_of(email: str) -> str:
    """A person's handle: the local part of their e-mail, in lower case."""
    return email.split("@", 1)[0].lower()


def link_mentions(html: str, links: dict[str, str]) -> str:
    """Rendered HTML with each known `@handle` in its text turned into a link (`links`: handle → URL,
    URLs already safe). Text inside tags, links, code and preformatted blocks is left alone."""
    if not links:
        return html
    out: list[str] = []
    skip = 0
    for piece in re.split(r"(<[^>]*>)", html):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            tag = name.group(1).lower() if name else ""
            if tag in ("a", "code", "pre"):
                skip += -1 if piece.startswith("</") else 1
                skip = max(skip, 0)
            out.append(piece)
            continue
        out.append(piece if skip else _MENTION.sub(lambda m: _link(m, links), piece))
    return "".join(out)


def _link(match: re.Match[str], links: dict[str, str]) -> str:
    raw = match.group(1)
    handle = _clean(raw)
    url = links.get(handle)
    if url is None:
        return match.group(0)
    tail = raw[len(handle) :]
    return f'<a class="mention" href="{url}">@{raw[: len(handle)]}</a>{tail}'
