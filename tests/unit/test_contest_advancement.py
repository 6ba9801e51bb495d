"""Advancement rules, tie policies, blocked entries and re-runs: contest_engine.rules.advancement."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from contest_engine.rules.advancement import (
    AdvancementResult,
    AdvancementRule,
    AdvancementRuleError,
    Candidate,
    MergeResult,
    RuleKind,
    TiePolicy,
    advance,
    merge_with_existing,
    parse_rule,
)
from contest_engine.rules.ranking import rank

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _at(minutes):
    return T0 + timedelta(minutes=minutes)


def _field(*scores):
    """Candidates 1..n with the given scores (None: no entry)."""
    return [Candidate(pid, score) for pid, score in enumerate(scores, start=1)]


# participant:      1   2   3   4   5   6   7   8   9  10
TEN = _field(100, 90, 80, 80, 80, 70, 60, 50, 40, 30)


@pytest.mark.parametrize(
    ("candidates", "rule", "advanced", "tied"),
    [
        # all: everyone with a score
        (TEN, AdvancementRule.all(), range(1, 11), ()),
        (_field(5, None, 0), AdvancementRule.all(), (1, 3), ()),
        # top_n without a tie at the cut
        (TEN, AdvancementRule.top_n(2), (1, 2), ()),
        (TEN, AdvancementRule.top_n(5), (1, 2, 3, 4, 5), ()),  # the tied group ends exactly at the cut
        (TEN, AdvancementRule.top_n(0), (), ()),
        (TEN, AdvancementRule.top_n(10), range(1, 11), ()),
        (TEN, AdvancementRule.top_n(50), range(1, 11), ()),
        (_field(), AdvancementRule.top_n(3), (), ()),
        # top_n with the tie 3, 4, 5 straddling the cut, for each policy
        (TEN, AdvancementRule.top_n(3), (1, 2, 3, 4, 5), (3, 4, 5)),
        (TEN, AdvancementRule.top_n(3, "include_tied"), (1, 2, 3, 4, 5), (3, 4, 5)),
        (TEN, AdvancementRule.top_n(4, TiePolicy.INCLUDE_TIED), (1, 2, 3, 4, 5), (3, 4, 5)),
        (TEN, AdvancementRule.top_n(3, "exclude_tied"), (1, 2), (3, 4, 5)),
        (TEN, AdvancementRule.top_n(4, "exclude_tied"), (1, 2), (3, 4, 5)),
        (_field(7, 7, 7), AdvancementRule.top_n(1, "exclude_tied"), (), (1, 2, 3)),
        (_field(7, 7, 7), AdvancementRule.top_n(1), (1, 2, 3), (1, 2, 3)),
        # top_percent: ceil of P% of those ranked
        (TEN, AdvancementRule.top_percent(10), (1,), ()),
        (TEN, AdvancementRule.top_percent(11), (1, 2), ()),  # ceil(1.1) = 2
        (TEN, AdvancementRule.top_percent(1), (1,), ()),  # ceil(0.1) = 1
        (TEN, AdvancementRule.top_percent("20.01"), (1, 2, 3, 4, 5), (3, 4, 5)),  # ceil(2.001) = 3
        (TEN, AdvancementRule.top_percent(20.01, "exclude_tied"), (1, 2), (3, 4, 5)),
        (TEN, AdvancementRule.top_percent(100), range(1, 11), ()),
        (TEN, AdvancementRule.top_percent(Decimal("60")), (1, 2, 3, 4, 5, 6), ()),
        # ranked means scored: the two without entries do not count towards the percentage
        (_field(9, 8, None, None, 7, 6), AdvancementRule.top_percent(50), (1, 2), ()),
        # min_score: score at least S, exactly
        (TEN, AdvancementRule.min_score(80), (1, 2, 3, 4, 5), ()),
        (TEN, AdvancementRule.min_score(Decimal("80.01")), (1, 2), ()),
        (TEN, AdvancementRule.min_score(1000), (), ()),
        (
            _field(Fraction(2, 3), Decimal("0.67"), Decimal("0.66")),
            AdvancementRule.min_score("0.666"),
            (1, 2),
            (),
        ),
        # manual: exactly the chosen ones, even without a score
        (TEN, AdvancementRule.manual({10, 3}), (3, 10), ()),
        (_field(5, None), AdvancementRule.manual([2]), (2,), ()),
        (TEN, AdvancementRule.manual([]), (), ()),
    ],
)
def test_advance_rules_and_tie_policies(candidates, rule, advanced, tied):
    result = advance(candidates, rule)
    everyone = {c.participant_id for c in candidates}
    assert result.advanced == tuple(advanced)
    assert result.eliminated == tuple(sorted(everyone - set(advanced)))
    assert result.tied_at_cutoff == tuple(tied)
    assert result.blocked == ()
    assert result.can_confirm


def test_advance_reports_standard_competition_ranks():
    assert advance(TEN, AdvancementRule.top_n(3)).ranks == {
        1: 1,
        2: 2,
        3: 3,
        4: 3,
        5: 3,
        6: 6,
        7: 7,
        8: 8,
        9: 9,
        10: 10,
    }
    assert advance(_field(4, None, 4), AdvancementRule.all()).ranks == {1: 1, 3: 1}


# Tiebreak: 1 leads; 2, 3, 4, 5 tie at 80 for the last 2 places (top_n(3)).
def _tiebreak_field(*tied):
    """`tied` gives (earlier_score, submitted minutes) for participants 2..n, all on score 80."""
    return [
        Candidate(1, 100, _at(0), 0),
        *(
            Candidate(pid, 80, _at(minutes) if minutes is not None else None, earlier)
            for pid, (earlier, minutes) in enumerate(tied, start=2)
        ),
        Candidate(99, 10, _at(0), 100),
    ]


@pytest.mark.parametrize(
    ("candidates", "advanced"),
    [
        # the earlier stage's score decides, higher first
        (_tiebreak_field((50, 1), (70, 2), (60, 3), (40, 4)), (1, 3, 4)),
        # equal earlier scores fall through to submission time, earlier first
        (_tiebreak_field((70, 9), (70, 5), (70, 7), (10, 1)), (1, 3, 4)),
        (_tiebreak_field((90, 1), (70, 5), (70, 3), (70, 4)), (1, 2, 4)),
        # still tied on both (same earlier score, same minute): all of them advance
        (_tiebreak_field((90, 1), (70, 5), (70, 5), (60, 1)), (1, 2, 3, 4)),
        (_tiebreak_field((70, 5), (70, 5), (70, 5), (60, 1)), (1, 2, 3, 4)),
        # missing values rank last: no earlier score, no submission time
        (_tiebreak_field((None, 1), (Fraction(1, 2), 9), (Decimal(0), 9), (None, 0)), (1, 3, 4)),
        (_tiebreak_field((5, None), (5, 9), (5, None), (5, 10)), (1, 3, 5)),
        (_tiebreak_field((None, None), (None, None), (None, 1)), (1, 4, 2, 3)),
    ],
)
def test_advance_tiebreak_by_earlier_score_then_submission_time(candidates, advanced):
    result = advance(candidates, AdvancementRule.top_n(3, "tiebreak"))
    assert set(result.advanced) == set(advanced)
    assert result.tied_at_cutoff == tuple(c.participant_id for c in candidates if c.score == 80)
    assert 99 in result.eliminated


def test_advance_tiebreak_without_a_straddling_tie_is_a_plain_cut():
    result = advance(TEN, AdvancementRule.top_n(2, "tiebreak"))
    assert (result.advanced, result.tied_at_cutoff) == ((1, 2), ())


def test_advance_ranks_by_time_when_the_stage_does():
    candidates = [
        Candidate(1, 10, time_used=600),
        Candidate(2, 10, time_used=300),
        Candidate(3, 10, time_used=300),
        Candidate(4, 9, time_used=1),
    ]
    by_time = advance(candidates, AdvancementRule.top_n(1), rank_by_time=True)
    assert (by_time.advanced, by_time.tied_at_cutoff) == ((2, 3), (2, 3))
    assert by_time.ranks == {2: 1, 3: 1, 1: 3, 4: 4}
    plain = advance(candidates, AdvancementRule.top_n(1))
    assert (plain.advanced, plain.tied_at_cutoff) == ((1, 2, 3), (1, 2, 3))


@pytest.mark.parametrize(
    "rule",
    [
        AdvancementRule.all(),
        AdvancementRule.top_n(1),
        AdvancementRule.top_percent(50),
        AdvancementRule.min_score(0),
        AdvancementRule.manual({1, 3}),
    ],
)
def test_advance_blocks_entries_missing_jury_scores(rule):
    candidates = [
        Candidate(1, 10),
        Candidate(2, None, missing_scores=2),  # no score yet because jurors have not scored
        Candidate(3, 99, missing_scores=1),  # partial score: not ranked, would lead otherwise
        Candidate(4, 5),
    ]
    result = advance(candidates, rule)
    assert result.blocked == (2, 3)
    assert not result.can_confirm
    assert set(result.ranks) == {1, 4}
    assert not set(result.blocked) & (set(result.advanced) | set(result.eliminated))
    assert 1 in result.advanced


def test_advance_refuses_duplicates_and_unknown_manual_choices():
    with pytest.raises(ValueError, match="twice"):
        advance([Candidate(1, 5), Candidate(1, 6)], AdvancementRule.all())
    with pytest.raises(AdvancementRuleError, match=r"\[7\] are not candidates"):
        advance(_field(1, 2), AdvancementRule.manual({1, 7}))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: AdvancementRule.top_percent(0), "above 0 and at most 100"),
        (lambda: AdvancementRule.top_percent(-5), "above 0 and at most 100"),
        (lambda: AdvancementRule.top_percent("100.5"), "above 0 and at most 100"),
        (lambda: AdvancementRule("top_percent", "lots"), "top_percent must be a number"),
        (lambda: AdvancementRule.top_n(-1), "must not be negative"),
        (lambda: AdvancementRule.top_n(2.5), "whole number"),
        (lambda: AdvancementRule("top_n", True), "must be a number"),
        (lambda: AdvancementRule("top_n"), "top_n needs a value"),
        (lambda: AdvancementRule("min_score"), "min_score needs a value"),
        (lambda: AdvancementRule("all", 3), "all takes no value"),
        (lambda: AdvancementRule("manual", 3), "manual takes no value"),
        (lambda: AdvancementRule("top_n", 3, chosen=frozenset({1})), "does not take chosen"),
        (lambda: AdvancementRule("best_of", 3), "unknown advancement rule 'best_of'"),
        (lambda: AdvancementRule("top_n", 3, "coin_toss"), "unknown tie policy 'coin_toss'"),
        (lambda: AdvancementRule.top_n(3, "coin_toss"), "unknown tie policy"),
        (lambda: parse_rule({"value": 3}), "rule is missing"),
    ],
)
def test_rule_validation(make, message):
    with pytest.raises(AdvancementRuleError, match=message):
        make()


@pytest.mark.parametrize(
    ("config", "chosen", "expected"),
    [
        ({"rule": "all"}, (), AdvancementRule(RuleKind.ALL)),
        ({"rule": "top_n", "value": 5}, (), AdvancementRule(RuleKind.TOP_N, 5, TiePolicy.INCLUDE_TIED)),
        ({"rule": "top_n", "value": 5.0, "ties": None}, (), AdvancementRule(RuleKind.TOP_N, 5)),
        (
            {"rule": "top_percent", "value": 33.3, "ties": "tiebreak"},
            (),
            AdvancementRule(RuleKind.TOP_PERCENT, Fraction(333, 10), TiePolicy.TIEBREAK),
        ),
        ({"rule": "min_score", "value": "12.5"}, (), AdvancementRule(RuleKind.MIN_SCORE, Fraction(25, 2))),
        ({"rule": "manual"}, [3, 1], AdvancementRule(RuleKind.MANUAL, chosen=frozenset({1, 3}))),
    ],
)
def test_parse_rule_from_the_api_shape(config, chosen, expected):
    assert parse_rule(config, chosen) == expected


def test_rule_values_are_exact():
    assert AdvancementRule.top_n(Decimal("4")).value == 4
    assert isinstance(AdvancementRule.top_n(Decimal("4")).value, int)
    assert AdvancementRule.top_percent(12.5).value == Fraction(25, 2)


def test_result_is_plain_data():
    result = advance(_field(3, 2), AdvancementRule.top_n(1))
    assert result == AdvancementResult(
        advanced=(1,), eliminated=(2,), tied_at_cutoff=(), blocked=(), ranks={1: 1, 2: 2}
    )


@pytest.mark.parametrize(
    ("previous", "new", "next_open", "expected"),
    [
        # next stage not open yet: the new run replaces the old one
        ({1, 2, 3}, {1, 2, 4}, False, MergeResult(frozenset({1, 2, 4}), (4,), (), (3,))),
        # next stage open: adds, never silently removes (the dropped are kept and listed)
        ({1, 2, 3}, {1, 2, 4}, True, MergeResult(frozenset({1, 2, 3, 4}), (4,), (3,), ())),
        ({1, 2}, {1, 2}, True, MergeResult(frozenset({1, 2}), (), (), ())),
        (set(), {5}, True, MergeResult(frozenset({5}), (5,), (), ())),
        ({5, 6}, set(), True, MergeResult(frozenset({5, 6}), (), (5, 6), ())),
        ({5, 6}, set(), False, MergeResult(frozenset(), (), (), (5, 6))),
    ],
)
def test_merge_with_existing(previous, new, next_open, expected):
    assert merge_with_existing(previous, new, next_open) == expected


def test_advance_uses_a_ranking_it_is_given():
    """The standings rank a division once; advancing with that ranking decides as ranking here does."""
    given = rank([(c.participant_id, c.score) for c in TEN])
    rule = AdvancementRule.top_n(3)
    assert advance(TEN, rule, ranked=given) == advance(TEN, rule)
