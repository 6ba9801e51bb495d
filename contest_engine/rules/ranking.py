"""Contest ranking: standard competition ranking (1, 2, 2, 4) of one division's scores (pure rules)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any, NamedTuple

Score = int | Decimal | Fraction

_MAX_COMMON_BITS = 1024


class RankedRow(NamedTuple):
    """One participant's place: `rank` is shared by equals; rows come in display order."""

    participant_id: int
    score: Score
    rank: int
    time_used: Any = None


def rank(rows: Iterable[tuple[int, Score]], *, time_used: Mapping[int, Any] | None = None) -> list[RankedRow]:
    """Rank `(participant_id, score)` rows, best first, by standard competition ranking.

    Tie-break order: higher score first; then, only when `time_used` is given (a stage with
    `tiebreak_by_time`), lower time used first; rows equal on every ranking key share a rank and the
    next rank skips (1, 2, 2, 4). Participant id orders rows that share a rank, for a stable display
    only: it never changes a rank. Scores are compared exactly (int, Decimal and Fraction mix
    safely, through integer keys on a common denominator); floats are refused because
    0.1 + 0.2 != 0.3 would split a real tie.

    With `time_used`, every ranked participant needs a time: a missing one is an error rather than a
    silent "slowest", since it would decide places. Runs in O(n log n) on integer keys, so 100,000
    rows take a fraction of a second.
    """
    data = list(rows)
    participant_ids = [participant_id for participant_id, _ in data]
    if len(set(participant_ids)) != len(participant_ids):
        duplicates = sorted({pid for pid in participant_ids if participant_ids.count(pid) > 1})
        raise ValueError(f"participants {duplicates} appear more than once in the ranking")
    if not data:
        return []
    keys = _exact_keys(data)
    if time_used is None:
        times: list[Any] = [None] * len(data)
    else:
        missing = sorted(pid for pid in participant_ids if time_used.get(pid) is None)
        if missing:
            raise ValueError(f"time used is missing for participants {missing}")
        times = [time_used[pid] for pid in participant_ids]
        keys = _with_times(keys, times)

    # Order by (ranking key, participant id): one integer per row when the keys are integers, since
    # sorting ints is several times cheaper than sorting tuples full of ties.
    if type(keys[0]) is int:
        low = min(participant_ids)
        width = max(participant_ids) - low + 1
        combined = [key * width + pid - low for key, pid in zip(keys, participant_ids, strict=True)]
        order = sorted(range(len(data)), key=combined.__getitem__)
    else:
        order = sorted(range(len(data)), key=lambda i: (keys[i], participant_ids[i]))
    # A key's rank is 1 + the number of rows with a better key (1, 2, 2, 4).
    first_place: dict[Any, int] = {}
    place = 1
    for key, count in sorted(Counter(keys).items()):
        first_place[key] = place
        place += count
    scores = [score for _, score in data]
    return list(
        map(
            partial(tuple.__new__, RankedRow),
            zip(
                [participant_ids[i] for i in order],
                [scores[i] for i in order],
                [first_place[keys[i]] for i in order],
                [times[i] for i in order],
                strict=True,
            ),
        )
    )


def _with_times(keys: list[Any], times: list[Any]) -> list[Any]:
    """Fold the time used into the score keys: the time's place among the distinct times breaks a
    tie on the score (less time first), so one key still orders and compares the rows exactly."""
    distinct = {time: place for place, time in enumerate(sorted(set(times)))}
    if type(keys[0]) is int:
        count = len(distinct)
        return [key * count + distinct[time] for key, time in zip(keys, times, strict=True)]
    return [(key, distinct[time]) for key, time in zip(keys, times, strict=True)]


def _exact_keys(data: list[tuple[int, Score]]) -> list[Any]:
    """Sort keys (lower is better) that compare exactly like the negated scores.

    Integers on a common denominator: comparing Python ints is far cheaper than comparing Fractions
    and just as exact (this is what keeps 100,000 rows well under a second). Pathological
    denominators (many distinct primes) would make the common one huge: then Fraction keys are used,
    slower but still exact.
    """
    scores: list[Any] = [score for _, score in data]
    if set(map(type, scores)) <= {int, Fraction}:  # the common case, without a call per row
        numerators: list[int] = [score.numerator for score in scores]
        denominators: list[int] = [score.denominator for score in scores]
    else:
        ratios = [_ratio(participant_id, score) for participant_id, score in data]
        numerators = [numerator for numerator, _ in ratios]
        denominators = [denominator for _, denominator in ratios]
    common = 1
    for denominator in set(denominators):
        common = math.lcm(common, denominator)
        if common.bit_length() > _MAX_COMMON_BITS:
            return [-Fraction(n, d) for n, d in zip(numerators, denominators, strict=True)]
    if common == 1:
        return [-numerator for numerator in numerators]
    factors = {denominator: common // denominator for denominator in set(denominators)}
    return [-n * factors[d] for n, d in zip(numerators, denominators, strict=True)]


def _ratio(participant_id: int, score: object) -> tuple[int, int]:
    """The score as an exact (numerator, denominator); floats are refused (0.1 + 0.2 != 0.3)."""
    if type(score) is Fraction:  # the common cases first: this runs once per row
        return score.numerator, score.denominator
    if type(score) is int:
        return score, 1
    if isinstance(score, Decimal):
        if not score.is_finite():
            raise ValueError(f"score of participant {participant_id} must be a finite number, got {score!r}")
        return score.as_integer_ratio()
    if isinstance(score, Fraction) or (isinstance(score, int) and not isinstance(score, bool)):
        exact = Fraction(score)
        return exact.numerator, exact.denominator
    raise TypeError(f"score of participant {participant_id} must be int, Decimal or Fraction, got {score!r}")


def ranks_by_participant(ranked: Iterable[RankedRow]) -> dict[int, int]:
    """Map participant id to rank, the shape results pages and advancement want."""
    return {row.participant_id: row.rank for row in ranked}
