"""The audit log's grammar, pure: whose name is whose gender (Russian past tense agrees with the
actor: «открыл» / «открыла»), and which rows an entry names (so a page loads them all at once).

Why the name alone: the platform stores no gender, and asking would be intrusive. A patronymic
settles it (-вна / -ична is a woman, -вич / -ич a man); failing that a Russian surname's ending
(-ова, -ева, -ина, -ская; -ов, -ев, -ин, -ский); otherwise the sentence takes the neutral form
(«открыл(а)»), never a guess.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Gender(enum.StrEnum):
    """The grammatical gender of a past-tense verb (also the gettext context of each sentence)."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


_FEMALE_PATRONYMIC = ("вна", "ична", "кызы")
_MALE_PATRONYMIC = ("вич", "ьич", "оглы")
_FEMALE_SURNAME = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "ая")
_MALE_SURNAME = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой", "ый")


def gender_of(full_name: str) -> Gender:
    """The gender a Russian reader would hear in `full_name`, or UNKNOWN when it cannot be told."""
    words = [word.strip(".,").lower() for word in full_name.split() if word.strip(".,")]
    # A patronymic follows a first name: the second or third of three words, never the surname
    # (a Belarusian -вич surname is a woman's too).
    for word in words[1:] if len(words) >= 3 else []:
        if len(word) > 4 and word.endswith(_FEMALE_PATRONYMIC):
            return Gender.FEMALE
        if len(word) > 4 and word.endswith(_MALE_PATRONYMIC):
            return Gender.MALE
    verdicts = {_surname_gender(word) for word in words} - {Gender.UNKNOWN}
    return verdicts.pop() if len(verdicts) == 1 else Gender.UNKNOWN


def _surname_gender(word: str) -> Gender:
    if len(word) < 4:
        return Gender.UNKNOWN
    if word.endswith(_FEMALE_SURNAME):
        return Gender.FEMALE
    if word.endswith(_MALE_SURNAME):
        return Gender.MALE
    return Gender.UNKNOWN


class Kind(enum.StrEnum):
    """The kinds of rows an audit entry may name."""

    STAGE = "stage"
    ENTRY = "entry"
    USER = "user"
    PARTICIPATION = "participation"
    SLOT = "slot"
    APPEAL = "appeal"
    DIVISION = "division"
    INSTITUTION = "institution"
    DISTRICT = "district"


# The details keys that hold the id of a row (a list of ids for the plural ones).
_DETAIL_KINDS: dict[str, Kind] = {
    "stage_id": Kind.STAGE,
    "next_stage_id": Kind.STAGE,
    "participation_id": Kind.PARTICIPATION,
    "previous_entry_id": Kind.ENTRY,
    "juror_id": Kind.USER,
    "user_id": Kind.USER,
    "division_id": Kind.DIVISION,
    "institution_id": Kind.INSTITUTION,
    "jurors": Kind.USER,
    "from": Kind.USER,
    "to": Kind.USER,
}
# Actions whose "from" / "to" are states or moments, not people.
_STATE_ACTIONS = ("stage.",)


@dataclass
class References:
    """The ids of every row a page of audit entries names, by kind."""

    ids: dict[Kind, set[int]] = field(default_factory=dict)

    def add(self, kind: Kind, value: Any) -> None:
        values = value if isinstance(value, list | tuple | set) else [value]
        for item in values:
            if isinstance(item, int) and not isinstance(item, bool):
                self.ids.setdefault(kind, set()).add(item)

    def of(self, kind: Kind) -> set[int]:
        return self.ids.get(kind, set())


def references(
    entries: Iterable[tuple[str, str, int | None, Mapping[str, Any]]], *, scope_id: int | None = None
) -> References:
    """Every row named by (action, object_type, object_id, details) entries: their objects and the
    ids in their details (stages, people, entries, …); `scope_id` is a stage scope's own stage."""
    found = References()
    if scope_id is not None:
        found.add(Kind.STAGE, scope_id)
    for action, object_type, object_id, details in entries:
        if object_type in {kind.value for kind in Kind} and object_id is not None:
            found.add(Kind(object_type), object_id)
        for key, value in details.items():
            kind = _DETAIL_KINDS.get(key)
            if kind is None or (key in ("from", "to") and action.startswith(_STATE_ACTIONS)):
                continue
            found.add(kind, value)
    return found


def sheet_changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, str | None, str | None]]:
    """(criterion, old points, new points) for each criterion whose points differ, in the order of
    `after` then the criteria only `before` had: what a changed score sheet shows."""
    names = list(after) + [name for name in before if name not in after]
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old != new:
            changes.append((name, None if old is None else str(old), None if new is None else str(new)))
    return changes
