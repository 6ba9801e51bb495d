"""What a document says, once, for the printed page and the public check page alike.

Each room builds a `Paper` from its own rows (contest_engine.diplomas, courses.certificates,
community.library.certificates, community.events.event_certificates); app.documents.layout draws
it and app.verify shows it. The date is the issue date in the ISSUER's zone (the contest's, the
event's, else the network's Moscow time), so a diploma issued at 20:00 UTC in Novosibirsk reads the
next day on paper and on /verify alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from app.timeutil import DEFAULT_TIMEZONE, to_zone

# Letters a Russian keyboard types in place of the Latin ones they look like.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


@dataclass(frozen=True)
class Signature:
    """A signature line: who signs (their position) and, when the data knows them, their name."""

    title: str
    name: str = ""


@dataclass(frozen=True)
class Paper:
    """One document as it is printed (always Russian: built inside `force_locale("ru")`).

    `heading` and `subheading` name the kind («ДИПЛОМ», «о повышении квалификации»); `preamble`
    leads to the holder («награждается»); `holder_note` (institution, grade) is printed on paper
    only — the public check page shows a pupil's name and nothing else about them; `statement` is
    the body in words; `certifies` is its one-line summary for the check page; `award` and `hours`
    are what was earned."""

    kind_label: str
    heading: str
    preamble: str
    holder: str
    statement: tuple[str, ...]
    certifies: str
    organiser: str
    issued_at: datetime
    zone: str
    code: str
    subheading: str = ""
    holder_note: str = ""
    award: str = ""
    hours: int | None = None
    signatures: tuple[Signature, ...] = field(default_factory=tuple)
    minor: bool = False

    @property
    def issued_on(self) -> date:
        """The issue date as the issuer's calendar shows it."""
        return to_zone(self.issued_at, self.zone).date()

    @property
    def file_name(self) -> str:
        """«Диплом — Анна Петрова.pdf»: a name a teacher can find again in Downloads."""
        holder = " ".join(self.holder.replace("/", " ").replace("\\", " ").split())
        return f"{self.kind_label} — {holder}.pdf" if holder else f"{self.kind_label} {self.code}.pdf"


def issuer_zone(zone: str | None) -> str:
    """The issuer's zone, or the network's (Moscow) when the issuer has none."""
    return zone or DEFAULT_TIMEZONE


def names_joined(names: list[str]) -> str:
    """Distinct non-empty names in their order, joined by commas («Гимназия № 1, ИМЦ»)."""
    seen: list[str] = []
    for name in names:
        cleaned = name.strip()
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return ", ".join(seen)


def grouped_code(code: str) -> str:
    """«KX7M-2PQA-9TZD»: groups of four are easier to type from paper (the check forgives dashes)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def clean_code(typed: str) -> str:
    """«kx7m-2pqa 9tzd» → «KX7M2PQA9TZD»: case, spaces, dashes and Cyrillic look-alikes (a Russian
    keyboard's «К», «М», «Т»…) forgiven, so a code typed from paper is found."""
    return re.sub(r"[^0-9A-Z]", "", typed.upper().translate(_LOOKALIKES))
