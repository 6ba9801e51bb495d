"""Pure rules of the teacher's portfolio: its sections, which documents fall in each, what is shown.

A section collects verified documents (app.certificates kinds, as plain strings here) in a fixed
order an attestation commission expects: publications, qualification courses, contest diplomas, jury
work, events. A section with no document is left out of the page rather than shown empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")

PUBLICATIONS = "publications"
COURSES = "courses"
DIPLOMAS = "diplomas"
JURY = "jury"
EVENTS = "events"

SECTIONS: tuple[str, ...] = (PUBLICATIONS, COURSES, DIPLOMAS, JURY, EVENTS)

# Document kinds (CertificateKind values) per section.
SECTION_KINDS: Mapping[str, tuple[str, ...]] = {
    PUBLICATIONS: ("publication",),
    COURSES: ("course",),
    DIPLOMAS: ("diploma", "participation"),
    JURY: ("jury",),
    EVENTS: ("event_attendance", "event_conducting"),
}


def section_of(kind: str) -> str | None:
    for section, kinds in SECTION_KINDS.items():
        if kind in kinds:
            return section
    return None


def shown_sections(flags: Mapping[str, bool]) -> list[str]:
    """The sections the teacher chose, in the fixed order (a missing flag counts as shown)."""
    return [section for section in SECTIONS if flags.get(section, True)]


def offered_sections() -> list[str]:
    """The sections a teacher can choose today: those with a document kind (events wait for theirs,
    so the settings do not offer a switch that changes nothing)."""
    return [section for section in SECTIONS if SECTION_KINDS[section]]


def merged_choice(ticked: Iterable[str], saved: Mapping[str, bool]) -> set[str]:
    """The sections to show after a save: the offered ones as ticked, the others as saved before."""
    offered, chosen = set(offered_sections()), set(ticked)
    return {s for s in SECTIONS if (s in chosen if s in offered else saved.get(s, True))}


def kinds_of(sections: Iterable[str]) -> list[str]:
    return [kind for section in sections for kind in SECTION_KINDS[section]]


def course_hours(details: str) -> int | None:
    """A course certificate keeps the course's hours in its details as a number ("72")."""
    text = details.strip()
    return int(text) if text.isdigit() else None


def total_hours(course_details: Iterable[str]) -> int:
    """The hours of all qualification courses shown: the figure an attestation form asks for."""
    return sum(course_hours(details) or 0 for details in course_details)


def group(entries: Iterable[tuple[str, T]], sections: Iterable[str]) -> list[tuple[str, list[T]]]:
    """(kind, item) pairs grouped into the given sections in order, keeping the items' order and
    leaving out empty sections and kinds outside them."""
    buckets: dict[str, list[T]] = {section: [] for section in sections}
    for kind, item in entries:
        section = section_of(kind)
        if section in buckets:
            buckets[section].append(item)
    return [(section, items) for section, items in buckets.items() if items]
