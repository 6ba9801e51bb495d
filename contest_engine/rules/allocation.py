"""Juror allocation: which jurors score which entries, with conflicts and balanced load (pure rules)."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Juror:
    """A juror of the stage; `institution_id` None means no institution to conflict with."""

    juror_id: int
    institution_id: int | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """An entry to be scored, with its participant and the participant's institution."""

    entry_id: int
    participant_id: int
    institution_id: int | None = None


class Assignment(NamedTuple):
    """One juror scores one entry."""

    juror_id: int
    entry_id: int


class Shortfall(NamedTuple):
    """An entry that cannot get the jurors it needs: `eligible` jurors exist, `required` are needed."""

    entry_id: int
    eligible: int
    required: int


class AllocationError(ValueError):
    """Some entries cannot be given enough eligible jurors; nothing should be applied.

    `shortfalls` lists each such entry with its count of eligible jurors against the number needed.
    """

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        self.shortfalls = tuple(shortfalls)
        details = ", ".join(
            f"entry {s.entry_id}: {s.eligible} eligible of {s.required} needed" for s in shortfalls
        )
        super().__init__(f"not enough eligible jurors for {len(self.shortfalls)} entries ({details})")


@dataclass(frozen=True)
class Allocation:
    """The full set of assignments after allocating (kept + added), sorted by (entry, juror).

    `added` are the new pairs to write; `dropped` are existing pairs that are no longer allowed (a
    conflict declared since, a juror or entry no longer in the stage); `load` is each juror's count.
    """

    assignments: tuple[Assignment, ...]
    added: tuple[Assignment, ...]
    dropped: tuple[Assignment, ...]
    load: dict[int, int]


def allocate(
    entries: Sequence[Entry],
    jurors: Sequence[Juror],
    *,
    per_entry: int | None = None,
    conflicts: Iterable[tuple[int, int]] = (),
    existing: Iterable[tuple[int, int]] = (),
) -> Allocation:
    """Allocate entries to jurors, or raise `AllocationError` listing every entry that cannot be served.

    Eligibility: a juror never gets an entry from their own institution, nor one whose participant
    they declared a conflict with (`conflicts` holds `(juror_id, participant_id)` pairs).

    `per_entry=None` is "all" mode: every juror scores every entry they are eligible for (an entry
    with no eligible juror is a shortfall). `per_entry=K` gives each entry K jurors with balanced
    load: entries are served most constrained first (fewest eligible jurors, then entry id), and each
    takes the K least-loaded eligible jurors, ties going to the lower juror id; without conflicts the
    loads then differ by at most 1. `existing` assignments that are still allowed are kept, count
    towards the entry's K and towards the juror's load (incremental allocation after late entries);
    an entry that already has K or more keeps them all. Every juror pick is a heap pop, so 10,000
    entries x 100 jurors take well under a second.
    """
    if per_entry is not None and (
        isinstance(per_entry, bool) or not isinstance(per_entry, int) or per_entry < 1
    ):
        raise ValueError(f"jurors per entry must be a positive whole number, got {per_entry!r}")
    entry_by_id = {entry.entry_id: entry for entry in entries}
    juror_by_id = {juror.juror_id: juror for juror in jurors}
    if len(entry_by_id) != len(entries):
        raise ValueError("entry ids must be unique")
    if len(juror_by_id) != len(jurors):
        raise ValueError("juror ids must be unique")

    conflicted: defaultdict[int, set[int]] = defaultdict(set)
    for juror_id, participant_id in conflicts:
        if juror_id in juror_by_id:
            conflicted[participant_id].add(juror_id)
    jurors_per_institution = Counter(j.institution_id for j in jurors if j.institution_id is not None)

    def is_eligible(juror: Juror, entry: Entry) -> bool:
        return not _same_institution(juror, entry) and juror.juror_id not in conflicted.get(
            entry.participant_id, ()
        )

    def eligible_count(entry: Entry) -> int:
        # Counted, not tested juror by juror: O(entries + conflicts) instead of O(entries x jurors).
        excluded = jurors_per_institution[entry.institution_id] if entry.institution_id is not None else 0
        for juror_id in conflicted.get(entry.participant_id, ()):
            if not _same_institution(juror_by_id[juror_id], entry):
                excluded += 1
        return len(jurors) - excluded

    kept: set[Assignment] = set()
    dropped: set[Assignment] = set()
    for juror_id, entry_id in existing:
        pair = Assignment(juror_id, entry_id)
        juror, entry = juror_by_id.get(juror_id), entry_by_id.get(entry_id)
        if juror is not None and entry is not None and is_eligible(juror, entry):
            kept.add(pair)
        else:
            dropped.add(pair)

    eligible = {entry.entry_id: eligible_count(entry) for entry in entries}
    required = 1 if per_entry is None else per_entry
    shortfalls = [
        Shortfall(entry.entry_id, eligible[entry.entry_id], required)
        for entry in sorted(entries, key=lambda e: e.entry_id)
        if eligible[entry.entry_id] < required
    ]
    if shortfalls:
        raise AllocationError(shortfalls)

    added: list[Assignment] = []
    if per_entry is None:
        for entry in entries:
            for juror in jurors:
                pair = Assignment(juror.juror_id, entry.entry_id)
                if pair not in kept and is_eligible(juror, entry):
                    added.append(pair)
    else:
        added = _balanced(entries, jurors, per_entry, kept, eligible, is_eligible)

    load = {juror.juror_id: 0 for juror in jurors}
    everything = kept.union(added)
    for pair in everything:
        load[pair.juror_id] += 1
    return Allocation(
        assignments=tuple(sorted(everything, key=_by_entry)),
        added=tuple(sorted(added, key=_by_entry)),
        dropped=tuple(sorted(dropped, key=_by_entry)),
        load=load,
    )


def _balanced(
    entries: Sequence[Entry],
    jurors: Sequence[Juror],
    per_entry: int,
    kept: set[Assignment],
    eligible: dict[int, int],
    is_eligible: Callable[[Juror, Entry], bool],
) -> list[Assignment]:
    """Greedy least-loaded assignment over a heap of (load, juror id); `allocate` checked feasibility."""
    juror_by_id = {juror.juror_id: juror for juror in jurors}
    load = Counter(pair.juror_id for pair in kept)
    on_entry: defaultdict[int, set[int]] = defaultdict(set)
    for pair in kept:
        on_entry[pair.entry_id].add(pair.juror_id)
    heap = [(load[juror.juror_id], juror.juror_id) for juror in jurors]
    heapq.heapify(heap)

    added: list[Assignment] = []
    for entry in sorted(entries, key=lambda e: (eligible[e.entry_id], e.entry_id)):
        already = on_entry[entry.entry_id]
        needed = per_entry - len(already)
        skipped: list[tuple[int, int]] = []
        chosen: list[tuple[int, int]] = []
        while needed > 0:
            current_load, juror_id = heapq.heappop(heap)
            if juror_id in already or not is_eligible(juror_by_id[juror_id], entry):
                skipped.append((current_load, juror_id))
                continue
            chosen.append((current_load + 1, juror_id))
            added.append(Assignment(juror_id, entry.entry_id))
            needed -= 1
        for item in skipped:
            heapq.heappush(heap, item)
        for item in chosen:
            heapq.heappush(heap, item)
    return added


def _same_institution(juror: Juror, entry: Entry) -> bool:
    return juror.institution_id is not None and juror.institution_id == entry.institution_id


def _by_entry(pair: Assignment) -> tuple[int, int]:
    return pair.entry_id, pair.juror_id
