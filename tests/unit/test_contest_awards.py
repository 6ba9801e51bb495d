"""Award rules and olympiad quotas: contest_engine.rules.awards."""

from decimal import Decimal
from fractions import Fraction

import pytest

from contest_engine.rules.awards import AwardResult, AwardRule, AwardRuleError, compute_awards, parse_rules
from contest_engine.rules.ranking import rank

WINNER = AwardRule("winner", ranks=(1, 1))
PRIZE = AwardRule("prize-winner", ranks=(2, 3))
PARTICIPANT = AwardRule("participant")
CLASSIC = [WINNER, PRIZE, PARTICIPANT]


def _scores(*scores):
    return [(pid, score) for pid, score in enumerate(scores, start=1)]


def _awards(results):
    return {r.participant_id: r.award for r in results}


@pytest.mark.parametrize(
    ("scores", "rules", "kwargs", "expected"),
    [
        # ranks: first matching rule wins
        (
            _scores(90, 80, 70, 60),
            CLASSIC,
            {},
            {1: "winner", 2: "prize-winner", 3: "prize-winner", 4: "participant"},
        ),
        # ties share a rank, so two winners; the next rank is 3
        (
            _scores(90, 90, 70, 60),
            CLASSIC,
            {},
            {1: "winner", 2: "winner", 3: "prize-winner", 4: "participant"},
        ),
        # without a catch-all, no award
        (
            _scores(90, 80, 70, 60),
            [WINNER, PRIZE],
            {},
            {1: "winner", 2: "prize-winner", 3: "prize-winner", 4: None},
        ),
        # no score: no award and no rank
        (_scores(90, None), CLASSIC, {}, {1: "winner", 2: None}),
        # top_percent: rank within ceil(P% of participants); 5 ranked, 30% -> ceil(1.5) = 2
        (
            _scores(50, 40, 30, 20, 10),
            [AwardRule("top", top_percent=30), PARTICIPANT],
            {},
            {1: "top", 2: "top", 3: "participant", 4: "participant", 5: "participant"},
        ),
        (
            _scores(50, 40, 40, 20, 10),
            [AwardRule("top", top_percent=40), PARTICIPANT],  # ceil(2) = 2: both at rank 2 are in
            {},
            {1: "top", 2: "top", 3: "top", 4: "participant", 5: "participant"},
        ),
        # min_percent_of_max: score >= M% of the maximum, exactly (50% of 30 = 15)
        (
            _scores(15, Decimal("14.99"), Fraction(29, 2), 30),
            [AwardRule("laureate", min_percent_of_max=50), PARTICIPANT],
            {"max_score": 30},
            {1: "laureate", 2: "participant", 3: "participant", 4: "laureate"},
        ),
        # conditions combine: a winner needs rank 1 AND at least 60% of the maximum
        (
            _scores(50, 40, 30),
            [AwardRule("winner", ranks=(1, 1), min_percent_of_max=60), PRIZE, PARTICIPANT],
            {"max_score": 100},
            {1: "participant", 2: "prize-winner", 3: "prize-winner"},  # rank 1 is not in ranks 2-3
        ),
        (
            _scores(70, 40, 30),
            [AwardRule("winner", ranks=(1, 1), min_percent_of_max=60), PRIZE, PARTICIPANT],
            {"max_score": Decimal(100)},
            {1: "winner", 2: "prize-winner", 3: "prize-winner"},
        ),
        # ranks by time when the stage does
        (
            _scores(10, 10, 9),
            [WINNER, PARTICIPANT],
            {"time_used": {1: 300, 2: 200, 3: 1}},
            {1: "participant", 2: "winner", 3: "participant"},
        ),
        ([], CLASSIC, {"quota_percent": 25}, {}),
    ],
)
def test_compute_awards_first_matching_rule(scores, rules, kwargs, expected):
    assert _awards(compute_awards(scores, rules, **kwargs)) == expected


def test_compute_awards_returns_rank_and_score_in_rank_order():
    results = compute_awards([(5, None), (3, 7), (1, 9), (2, 7)], CLASSIC)
    assert results == [
        AwardResult(1, "winner", 1, 9),
        AwardResult(2, "prize-winner", 2, 7),
        AwardResult(3, "prize-winner", 2, 7),
        AwardResult(5, None, None, None),
    ]


TEN = _scores(100, 95, 90, 85, 80, 80, 70, 60, 50, 40)


@pytest.mark.parametrize(
    ("scores", "rules", "quota", "expected", "cut"),
    [
        # 10 participants, quota 30% -> 3 quota awards: winner + 2 prize-winners fit exactly
        (TEN, CLASSIC, 30, {1: "winner", 2: "prize-winner", 3: "prize-winner"}, set()),
        # quota 20% -> 2: the prize-winner at rank 3 is cut and becomes a participant
        (TEN, CLASSIC, 20, {1: "winner", 2: "prize-winner", 3: "participant"}, {3}),
        # floor: 10 x 29% = 2.9 -> 2
        (TEN, CLASSIC, 29, {1: "winner", 2: "prize-winner", 3: "participant"}, {3}),
        # quota 0: nobody gets a quota award
        (TEN, CLASSIC, 0, {1: "participant", 2: "participant", 3: "participant"}, {1, 2, 3}),
        # no quota: nothing is cut
        (TEN, CLASSIC, None, {1: "winner", 2: "prize-winner", 3: "prize-winner"}, set()),
        (TEN, CLASSIC, 100, {1: "winner", 2: "prize-winner", 3: "prize-winner"}, set()),
    ],
)
def test_quota_limits_winners_and_prize_winners(scores, rules, quota, expected, cut):
    results = compute_awards(scores, rules, quota_percent=quota)
    awards = _awards(results)
    assert {pid: awards[pid] for pid in expected} == expected
    assert all(award == "participant" for pid, award in awards.items() if pid not in expected)
    assert {r.participant_id for r in results if r.quota_cut} == cut


@pytest.mark.parametrize(
    ("quota", "prize_winners"),
    [
        # prize-winners by top 60%: ranks 1..6 (5 and 6 tie at rank 5) all want a quota award
        (60, {1, 2, 3, 4, 5, 6}),  # limit 6: everyone fits
        (50, {1, 2, 3, 4}),  # limit 5: the tie 5, 6 straddles the quota -> both excluded
        (45, {1, 2, 3, 4}),  # limit 4
        (35, {1, 2, 3}),  # limit 3
    ],
)
def test_quota_cutting_through_a_tie_excludes_the_whole_tied_group(quota, prize_winners):
    rules = [AwardRule("prize-winner", top_percent=60), PARTICIPANT]
    results = compute_awards(TEN, rules, quota_percent=quota)
    assert {r.participant_id for r in results if r.award == "prize-winner"} == prize_winners
    assert {r.participant_id for r in results if r.quota_cut} == set(range(1, 7)) - prize_winners


def test_quota_stops_at_the_first_group_that_does_not_fit():
    # limit floor(50% of 6) = 3; ranks: 1, then 2, 2, 2 (too many), then 5: the single at rank 5
    # would fit in the count but must not get an award that better-placed participants lost.
    scores = _scores(10, 9, 9, 9, 8, 1)
    rules = [AwardRule("prize-winner", ranks=(1, 5)), PARTICIPANT]
    results = compute_awards(scores, rules, quota_percent=50)
    assert _awards(results) == {
        1: "prize-winner",
        2: "participant",
        3: "participant",
        4: "participant",
        5: "participant",
        6: "participant",
    }


def test_quota_cut_falls_back_to_the_first_non_quota_rule():
    rules = [
        WINNER,
        PRIZE,
        AwardRule("laureate", min_percent_of_max=80, counts_in_quota=False),
        PARTICIPANT,
    ]
    results = compute_awards(_scores(100, 90, 85, 70), rules, max_score=100, quota_percent=50)
    assert _awards(results) == {1: "winner", 2: "prize-winner", 3: "laureate", 4: "participant"}
    assert [r.quota_cut for r in results] == [False, False, True, False]
    # without a catch-all, a cut participant may end with no award at all
    results = compute_awards(_scores(100, 90, 50), [WINNER, PRIZE], quota_percent=50)
    assert _awards(results) == {1: "winner", 2: None, 3: None}


def test_non_quota_awards_are_never_limited():
    rules = [AwardRule("laureate", ranks=(1, 10), counts_in_quota=False)]
    results = compute_awards(TEN, rules, quota_percent=10)
    assert all(r.award == "laureate" and not r.quota_cut for r in results)


@pytest.mark.parametrize(
    ("rule", "counts"),
    [
        (AwardRule("winner", ranks=(1, 1)), True),
        (AwardRule("top", top_percent=10), True),
        (AwardRule("laureate", min_percent_of_max=50), True),
        (AwardRule("laureate", min_percent_of_max=50, counts_in_quota=False), False),
        (AwardRule("participant"), False),
        (AwardRule("participant", counts_in_quota=False), False),
    ],
)
def test_counts_in_quota_defaults(rule, counts):
    assert rule.counts_in_quota is counts
    assert rule.is_catch_all is (rule.title == "participant")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": ""}, "needs a title"),
        ({"title": " "}, "needs a title"),
        ({"title": "w", "ranks": (0, 1)}, "1 <= from <= to"),
        ({"title": "w", "ranks": (3, 2)}, "1 <= from <= to"),
        ({"title": "w", "ranks": (1,)}, "1 <= from <= to"),
        ({"title": "w", "ranks": (1, 2.5)}, "1 <= from <= to"),
        ({"title": "w", "ranks": (True, 2)}, "1 <= from <= to"),
        ({"title": "w", "top_percent": 0}, "top_percent must be above 0"),
        ({"title": "w", "top_percent": 101}, "between 0 and 100"),
        ({"title": "w", "top_percent": "many"}, "must be a number"),
        ({"title": "w", "min_percent_of_max": -1}, "between 0 and 100"),
        ({"title": "p", "counts_in_quota": True}, "catch-all rule cannot count in the quota"),
    ],
)
def test_award_rule_validation(kwargs, message):
    with pytest.raises(AwardRuleError, match=message):
        AwardRule(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"quota_percent": 120}, "award_quota_percent must be between 0 and 100"),
        ({"quota_percent": "lots"}, "must be a number"),
        ({"max_score": 0}, "max_score must be above 0"),
    ],
)
def test_compute_awards_validation(kwargs, message):
    with pytest.raises(AwardRuleError, match=message):
        compute_awards(_scores(1), CLASSIC, **kwargs)


def test_min_percent_of_max_needs_the_maximum():
    with pytest.raises(AwardRuleError, match="needs the maximum possible score"):
        compute_awards(_scores(1), [AwardRule("laureate", min_percent_of_max=50)])


def test_parse_rules_from_the_api_shape():
    rules = parse_rules(
        [
            {"title": "Победитель", "ranks": [1, 1], "top_percent": None, "min_percent_of_max": 50},
            {"title": "Призёр", "ranks": None, "top_percent": 25.5},
            {"title": "Лауреат", "min_percent_of_max": "40", "counts_in_quota": False},
            {"title": "Участник"},
        ]
    )
    assert rules == [
        AwardRule("Победитель", ranks=(1, 1), min_percent_of_max=Fraction(50)),
        AwardRule("Призёр", top_percent=Fraction(51, 2)),
        AwardRule("Лауреат", min_percent_of_max=Fraction(40), counts_in_quota=False),
        AwardRule("Участник"),
    ]
    assert [rule.counts_in_quota for rule in rules] == [True, True, False, False]


def test_compute_awards_uses_a_ranking_it_is_given():
    """The final's standings rank each division once; awards from that ranking are the same."""
    given = rank([(pid, score) for pid, score in TEN])
    assert compute_awards(TEN, CLASSIC, ranked=given) == compute_awards(TEN, CLASSIC)
