"""Standard competition ranking: contest_engine.rules.ranking."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from contest_engine.rules import ranking
from contest_engine.rules.ranking import RankedRow, rank, ranks_by_participant


def _places(rows):
    return [(row.participant_id, row.rank) for row in rows]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], []),
        ([(7, 3)], [(7, 1)]),
        # the textbook 1, 2, 2, 4
        ([(1, 90), (2, 80), (3, 80), (4, 70)], [(1, 1), (2, 2), (3, 2), (4, 4)]),
        # equal ranks ordered by participant id for display, whatever the input order
        ([(9, 5), (3, 5), (6, 5)], [(3, 1), (6, 1), (9, 1)]),
        ([(1, 1), (2, 2), (3, 3)], [(3, 1), (2, 2), (1, 3)]),
        (
            [(1, 10), (2, 10), (3, 10), (4, 9), (5, 9), (6, 1)],
            [(1, 1), (2, 1), (3, 1), (4, 4), (5, 4), (6, 6)],
        ),
        # exact arithmetic: int, Decimal and Fraction mix, equal values tie
        ([(1, Decimal("0.5")), (2, Fraction(1, 2)), (3, 0)], [(1, 1), (2, 1), (3, 3)]),
        ([(1, Fraction(1, 3)), (2, Decimal("0.3333333333")), (3, Fraction(2, 6))], [(1, 1), (3, 1), (2, 3)]),
        ([(1, Decimal("10.50")), (2, Decimal("10.5")), (3, Fraction(21, 2))], [(1, 1), (2, 1), (3, 1)]),
        ([(1, -1), (2, 0), (3, Fraction(-1, 2))], [(2, 1), (3, 2), (1, 3)]),
    ],
)
def test_rank_is_standard_competition_ranking(rows, expected):
    assert _places(rank(rows)) == expected


def test_rank_keeps_scores_and_accepts_any_iterable():
    result = rank(iter([(1, Decimal("7.5")), (2, 8)]))
    assert result == [RankedRow(2, 8, 1), RankedRow(1, Decimal("7.5"), 2)]
    assert result[1].score == Decimal("7.5")


@pytest.mark.parametrize(
    ("rows", "times", "expected"),
    [
        # equal score: lower time used is better
        ([(1, 10), (2, 10), (3, 9)], {1: 300, 2: 200, 3: 100}, [(2, 1), (1, 2), (3, 3)]),
        # equal score and time share a rank
        ([(1, 10), (2, 10), (3, 10)], {1: 300, 2: 300, 3: 100}, [(3, 1), (1, 2), (2, 2)]),
        # time never beats score
        ([(1, 10), (2, 9)], {1: 999, 2: 1}, [(1, 1), (2, 2)]),
        ([], {}, []),
    ],
)
def test_rank_by_time_used(rows, times, expected):
    result = rank(rows, time_used=times)
    assert _places(result) == expected
    assert all(row.time_used == times[row.participant_id] for row in result)


@pytest.mark.parametrize(
    ("rows", "times", "error", "message"),
    [
        ([(1, 5), (2, 6), (1, 7)], None, ValueError, r"participants \[1\] appear more than once"),
        ([(1, 0.5)], None, TypeError, "must be int, Decimal or Fraction"),
        ([(1, True)], None, TypeError, "must be int, Decimal or Fraction"),
        ([(1, "5")], None, TypeError, "must be int, Decimal or Fraction"),
        ([(1, None)], None, TypeError, "must be int, Decimal or Fraction"),
        ([(1, Decimal("NaN"))], None, ValueError, "finite"),
        ([(1, Decimal("Infinity"))], None, ValueError, "finite"),
        ([(1, 5), (2, 6)], {1: 10}, ValueError, r"time used is missing for participants \[2\]"),
        ([(1, 5), (2, 6)], {1: 10, 2: None}, ValueError, r"missing for participants \[2\]"),
    ],
)
def test_rank_refuses_bad_rows(rows, times, error, message):
    with pytest.raises(error, match=message):
        rank(rows, time_used=times)


class _Points(int):
    """An int subclass (e.g. from a driver) still ranks by value."""


class _Exact(Fraction):
    pass


def test_rank_accepts_number_subclasses():
    assert _places(rank([(1, _Points(3)), (2, _Exact(7, 2)), (3, 3)])) == [(2, 1), (1, 2), (3, 2)]


def test_rank_falls_back_to_fraction_keys_for_huge_denominators(monkeypatch):
    monkeypatch.setattr(ranking, "_MAX_COMMON_BITS", 8)
    rows = [(1, Fraction(1, 251)), (2, Fraction(1, 241)), (3, Fraction(2, 482)), (4, Fraction(1, 7))]
    assert _places(rank(rows)) == [(4, 1), (2, 2), (3, 2), (1, 4)]


def test_ranks_by_participant():
    assert ranks_by_participant(rank([(1, 5), (2, 5), (3, 9)])) == {3: 1, 1: 2, 2: 2}


def test_rank_100000_rows_in_order():
    rows = [(pid, Fraction(pid * 7919 % 1000, 7) + pid % 3) for pid in range(100_000)]
    result = rank(rows)
    assert len(result) == 100_000
    assert all(a.rank <= b.rank for a, b in zip(result, result[1:], strict=False))


def _reference_rank(rows, times=None):
    """The rule as written: sort on (-score, time, id); a row's rank is 1 + the rows strictly better."""
    keyed = sorted(rows, key=lambda r: (-Fraction(r[1]), times[r[0]] if times else 0, r[0]))
    better = lambda r: (-Fraction(r[1]), times[r[0]] if times else 0)  # noqa: E731
    return [(pid, 1 + sum(better(o) < better((pid, s)) for o in rows)) for pid, s in keyed]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("with_times", [False, True])
def test_rank_agrees_with_the_rule_on_random_rows(seed, with_times, monkeypatch):
    """Integer keys (and, with seed 5, the Fraction fallback) give the ranks of the plain rule,
    for mixed number types, negative and scattered ids, and ties on score and on time."""
    rng = random.Random(seed)
    if seed == 5:
        monkeypatch.setattr(ranking, "_MAX_COMMON_BITS", 1)
    ids = rng.sample(range(-50, 10_000), 60)
    makers = [int, lambda v: Decimal(v) / 4, lambda v: Fraction(v, 3)]
    rows = [(pid, rng.choice(makers)(rng.randint(-3, 12))) for pid in ids]
    times = {pid: rng.choice([30, 60, 90]) for pid in ids} if with_times else None
    assert _places(rank(rows, time_used=times)) == _reference_rank(rows, times)
