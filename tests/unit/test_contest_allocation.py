"""Juror allocation (contest_engine.rules.allocation): eligibility, K per entry with balanced load,
incremental runs."""

import random

import pytest

from contest_engine.rules.allocation import (
    Allocation,
    AllocationError,
    Assignment,
    Entry,
    Juror,
    Shortfall,
    allocate,
)

# Jurors 1, 2 from school 10; 3 from school 20; 4 with no institution.
JURORS = [Juror(1, 10), Juror(2, 10), Juror(3, 20), Juror(4)]


def _pairs(allocation):
    return {(a.juror_id, a.entry_id) for a in allocation.assignments}


def _spread(allocation):
    return max(allocation.load.values()) - min(allocation.load.values())


@pytest.mark.parametrize(
    ("entries", "conflicts", "expected"),
    [
        # every juror every entry, except their own institution's
        (
            [Entry(100, 1, 10), Entry(101, 2, 20), Entry(102, 3)],
            (),
            {(3, 100), (4, 100), (1, 101), (2, 101), (4, 101), (1, 102), (2, 102), (3, 102), (4, 102)},
        ),
        # a declared conflict removes one pair; conflicts with unknown jurors are ignored
        (
            [Entry(100, 1, 10), Entry(102, 3)],
            {(4, 1), (2, 3), (99, 3)},
            {(3, 100), (1, 102), (3, 102), (4, 102)},
        ),
        ([], (), set()),
    ],
)
def test_allocate_all_mode(entries, conflicts, expected):
    allocation = allocate(entries, JURORS, conflicts=conflicts)
    assert _pairs(allocation) == expected
    assert allocation.added == allocation.assignments
    assert allocation.load == {j: sum(1 for juror, _ in expected if juror == j) for j in (1, 2, 3, 4)}


def test_allocate_all_mode_needs_one_eligible_juror_per_entry():
    with pytest.raises(AllocationError) as caught:
        allocate([Entry(100, 1, 10), Entry(101, 2, 20)], [Juror(1, 10)])
    assert caught.value.shortfalls == (Shortfall(100, 0, 1),)


@pytest.mark.parametrize(
    ("entries", "jurors", "per_entry", "conflicts", "shortfalls"),
    [
        # K = 3 but only 2 jurors are outside school 10
        ([Entry(100, 1, 10), Entry(101, 2, 30)], JURORS, 3, (), [Shortfall(100, 2, 3)]),
        # conflicts make K impossible: 4 jurors, school 20 takes juror 3, conflicts take 1 and 4
        ([Entry(101, 2, 20), Entry(102, 3, 30)], JURORS, 2, {(1, 2), (4, 2)}, [Shortfall(101, 1, 2)]),
        # a conflict with a juror already excluded by institution is not counted twice
        ([Entry(100, 1, 10)], JURORS, 3, {(1, 1), (2, 1)}, [Shortfall(100, 2, 3)]),
        # every failing entry is listed, in entry id order
        (
            [Entry(105, 5, 10), Entry(101, 1), Entry(103, 3, 20)],
            JURORS,
            4,
            {(4, 1)},
            [Shortfall(101, 3, 4), Shortfall(103, 3, 4), Shortfall(105, 2, 4)],
        ),
        ([Entry(100, 1)], [], 1, (), [Shortfall(100, 0, 1)]),
    ],
)
def test_allocate_reports_every_entry_without_k_eligible_jurors(
    entries, jurors, per_entry, conflicts, shortfalls
):
    with pytest.raises(AllocationError) as caught:
        allocate(entries, jurors, per_entry=per_entry, conflicts=conflicts)
    assert list(caught.value.shortfalls) == shortfalls
    first = shortfalls[0]
    assert f"entry {first.entry_id}: {first.eligible} eligible of {first.required} needed" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("entry_count", "juror_count", "per_entry"),
    [(10, 3, 1), (10, 4, 3), (7, 5, 2), (100, 7, 3), (1, 5, 5), (0, 3, 2)],
)
def test_allocate_balances_load_without_conflicts(entry_count, juror_count, per_entry):
    entries = [Entry(e, e) for e in range(entry_count)]
    jurors = [Juror(j) for j in range(juror_count)]
    allocation = allocate(entries, jurors, per_entry=per_entry)
    assert len(allocation.assignments) == entry_count * per_entry
    assert all(
        sum(1 for a in allocation.assignments if a.entry_id == e) == per_entry for e in range(entry_count)
    )
    assert _spread(allocation) <= 1
    assert sum(allocation.load.values()) == entry_count * per_entry


def test_allocate_is_deterministic_with_ties_to_the_lower_juror_id():
    entries = [Entry(1, 1), Entry(2, 2)]
    jurors = [Juror(3), Juror(1), Juror(2)]
    allocation = allocate(entries, jurors, per_entry=2)
    assert allocation.assignments == (Assignment(1, 1), Assignment(2, 1), Assignment(1, 2), Assignment(3, 2))
    assert allocation == allocate(list(reversed(entries)), jurors, per_entry=2)


def test_allocate_never_assigns_own_institution_or_conflicts():
    rng = random.Random(7)
    entries = [Entry(e, 1000 + e, rng.randrange(5)) for e in range(300)]
    jurors = [Juror(j, rng.randrange(5) if j % 3 else None) for j in range(12)]
    conflicts = {(rng.randrange(12), 1000 + rng.randrange(300)) for _ in range(200)}
    allocation = allocate(entries, jurors, per_entry=3, conflicts=conflicts)
    institution = {j.juror_id: j.institution_id for j in jurors}
    for pair in allocation.assignments:
        entry = entries[pair.entry_id]
        assert institution[pair.juror_id] is None or institution[pair.juror_id] != entry.institution_id
        assert (pair.juror_id, entry.participant_id) not in conflicts
    assert all(sum(1 for a in allocation.assignments if a.entry_id == e.entry_id) == 3 for e in entries)


def test_allocate_serves_the_most_constrained_entries_first():
    # Entry 1 can only go to juror 1 (conflicts with 2 and 3); it is served before entry 0.
    entries = [Entry(0, 10), Entry(1, 11)]
    jurors = [Juror(1), Juror(2), Juror(3)]
    allocation = allocate(entries, jurors, per_entry=1, conflicts={(2, 11), (3, 11)})
    assert allocation.assignments == (Assignment(2, 0), Assignment(1, 1))


def test_allocate_keeps_existing_assignments_and_counts_their_load():
    entries = [Entry(e, e) for e in range(1, 7)]
    jurors = [Juror(1), Juror(2), Juror(3)]
    existing = [(1, 1), (2, 1), (1, 2), (1, 3)]  # juror 1 already has 3
    allocation = allocate(entries, jurors, per_entry=2, existing=existing)
    assert {(1, 1), (2, 1), (1, 2), (1, 3)} <= _pairs(allocation)
    assert not {(1, 1), (2, 1), (1, 2), (1, 3)} & {(a.juror_id, a.entry_id) for a in allocation.added}
    assert allocation.load == {1: 4, 2: 4, 3: 4}
    assert allocation.dropped == ()


def test_allocate_keeps_entries_that_already_have_more_than_k():
    allocation = allocate(
        [Entry(1, 1)], [Juror(1), Juror(2), Juror(3)], per_entry=1, existing=[(1, 1), (3, 1)]
    )
    assert (allocation.added, _pairs(allocation)) == ((), {(1, 1), (3, 1)})


def test_allocate_drops_existing_pairs_that_are_no_longer_allowed():
    entries = [Entry(1, 50, 10), Entry(2, 51)]
    existing = [
        (1, 1),
        (3, 2),
        (4, 2),
        (9, 2),
        (3, 99),
    ]  # own school, conflict, ok, unknown juror, unknown entry
    allocation = allocate(entries, JURORS, per_entry=1, conflicts={(3, 51)}, existing=existing)
    assert allocation.dropped == (Assignment(1, 1), Assignment(3, 2), Assignment(9, 2), Assignment(3, 99))
    assert Assignment(4, 2) in allocation.assignments
    assert Assignment(4, 2) not in allocation.added
    assert sum(1 for a in allocation.assignments if a.entry_id == 1) == 1


def test_allocate_all_mode_keeps_existing():
    allocation = allocate([Entry(1, 1)], [Juror(1), Juror(2)], existing=[(2, 1)])
    assert allocation.added == (Assignment(1, 1),)
    assert allocation.assignments == (Assignment(1, 1), Assignment(2, 1))


@pytest.mark.parametrize("per_entry", [0, -1, True, 1.5, "2"])
def test_allocate_refuses_a_bad_k(per_entry):
    with pytest.raises(ValueError, match="positive whole number"):
        allocate([Entry(1, 1)], [Juror(1)], per_entry=per_entry)


@pytest.mark.parametrize(
    ("entries", "jurors", "message"),
    [
        ([Entry(1, 1), Entry(1, 2)], [Juror(1)], "entry ids must be unique"),
        ([Entry(1, 1)], [Juror(1), Juror(1, 5)], "juror ids must be unique"),
    ],
)
def test_allocate_refuses_duplicate_ids(entries, jurors, message):
    with pytest.raises(ValueError, match=message):
        allocate(entries, jurors, per_entry=1)


def test_allocation_result_shape():
    allocation = allocate([Entry(1, 1)], [Juror(1)], per_entry=1)
    assert allocation == Allocation((Assignment(1, 1),), (Assignment(1, 1),), (), {1: 1})


def test_allocate_10000_entries_100_jurors_k3_with_5_percent_conflicts_balanced():
    rng = random.Random(2025)
    entries = [Entry(e, e, rng.randrange(400)) for e in range(10_000)]
    jurors = [Juror(j, 1000 + j) for j in range(100)]
    conflicts = {(j, e) for e in range(10_000) for j in rng.sample(range(100), 5)}  # 5% of all pairs
    allocation = allocate(entries, jurors, per_entry=3, conflicts=conflicts)
    assert len(allocation.assignments) == 30_000
    assert _spread(allocation) <= 1
    assert not {(a.juror_id, a.entry_id) for a in allocation.assignments} & conflicts
