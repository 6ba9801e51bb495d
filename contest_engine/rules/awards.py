"""Awards: winner, prize-winner, laureate, participant from one division's ranking and quota (pure rules)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from contest_engine.rules.ranking import RankedRow, Score, rank
from contest_engine.rules.scoring import Number, to_fraction


class AwardRuleError(ValueError):
    """An award rule or quota that cannot be applied as configured; `code` names the problem
    (`title`, `ranks`, `top_percent`, `max_missing`, `invalid`) for the messages module."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class AwardRule:
    """One award rule; a participant matches when every condition the rule sets holds.

    Conditions: `ranks=(from, to)`: rank within from..to; `top_percent=P`: rank within ceil(P% of the
    ranked participants); `min_percent_of_max=M`: score at least M% of the maximum possible score.
    A rule with no condition is the catch-all (usually "participant").

    `counts_in_quota` says whether the award is limited by the olympiad quota (winners and
    prize-winners). Left as None it becomes True for a rule with a condition and False for the
    catch-all; pass False explicitly for a conditional award outside the quota (e.g. a laureate).
    A catch-all can never count in the quota: it would make the quota cap everyone.
    """

    title: str
    ranks: tuple[int, int] | None = None
    top_percent: Fraction | None = None
    min_percent_of_max: Fraction | None = None
    counts_in_quota: bool | None = None

    def __post_init__(self) -> None:
        if not self.title or not self.title.strip():
            raise AwardRuleError("an award rule needs a title", code="title")
        if self.ranks is not None:
            ranks = tuple(self.ranks)
            if (
                len(ranks) != 2
                or not all(isinstance(r, int) and not isinstance(r, bool) for r in ranks)
                or not 1 <= ranks[0] <= ranks[1]
            ):
                raise AwardRuleError(
                    f"{self.title}: ranks must be (from, to) with 1 <= from <= to, got {self.ranks!r}",
                    code="ranks",
                )
            object.__setattr__(self, "ranks", ranks)
        if self.top_percent is not None:
            percent = _percent(self.top_percent, f"{self.title}: top_percent", code="top_percent")
            if percent == 0:
                raise AwardRuleError(f"{self.title}: top_percent must be above 0", code="top_percent")
            object.__setattr__(self, "top_percent", percent)
        if self.min_percent_of_max is not None:
            object.__setattr__(
                self,
                "min_percent_of_max",
                _percent(self.min_percent_of_max, f"{self.title}: min_percent_of_max"),
            )
        catch_all = self.is_catch_all
        if self.counts_in_quota is None:
            object.__setattr__(self, "counts_in_quota", not catch_all)
        elif self.counts_in_quota and catch_all:
            raise AwardRuleError(f"{self.title}: a catch-all rule cannot count in the quota")

    @property
    def is_catch_all(self) -> bool:
        """True for a rule without conditions: it matches every ranked participant."""
        return self.ranks is None and self.top_percent is None and self.min_percent_of_max is None


def _percent(value: object, name: str, *, code: str = "invalid") -> Fraction:
    try:
        percent = to_fraction(value, name=name)
    except ValueError as error:
        raise AwardRuleError(str(error), code=code) from None
    if not 0 <= percent <= 100:
        raise AwardRuleError(f"{name} must be between 0 and 100, got {value!r}", code=code)
    return percent


def parse_rules(config: Iterable[Mapping[str, Any]]) -> list[AwardRule]:
    """Build rules from the API's `[{"title", "ranks", "top_percent", "min_percent_of_max"}]` list."""
    rules = []
    for item in config:
        ranks = item.get("ranks")
        rules.append(
            AwardRule(
                title=item.get("title", ""),
                ranks=tuple(ranks) if ranks is not None else None,
                top_percent=item.get("top_percent"),
                min_percent_of_max=item.get("min_percent_of_max"),
                counts_in_quota=item.get("counts_in_quota"),
            )
        )
    return rules


@dataclass(frozen=True, slots=True)
class AwardResult:
    """One participant's award (None when no rule matches or they have no score), rank and score.

    `quota_cut` is True when a quota award was withdrawn by the quota (the award shown is then the
    first non-quota rule that matches, or None).
    """

    participant_id: int
    award: str | None
    rank: int | None
    score: Score | None
    quota_cut: bool = False


def compute_awards(
    scores: Iterable[tuple[int, Score | None]],
    rules: Sequence[AwardRule],
    *,
    max_score: Number | None = None,
    quota_percent: Number | None = None,
    time_used: Mapping[int, Any] | None = None,
    ranked: Sequence[RankedRow] | None = None,
) -> list[AwardResult]:
    """Give each participant of one division the first award rule (in order) that matches.

    Ranking is standard competition ranking (higher score first, then lower `time_used` when given;
    equals share a rank), over the participants that have a score; "participants" in every
    percentage means those ranked. Participants without a score get no award and no rank.

    Quota (`quota_percent=Q`): quota awards (winners and prize-winners, see `counts_in_quota`)
    together go to at most floor(Q% of participants). They are granted in rank order, a whole
    tied group (one rank) at a time; the first group that would exceed the limit loses its quota
    award, and so does everyone ranked after it, even if a smaller later group would fit: a
    participant never keeps an award that a better-placed one lost. When the quota cuts through a
    tie, the whole tied group is excluded (never split by id). Those cut get the first matching
    rule that does not count in the quota (a laureate or the catch-all), or None.

    Results come in rank order (participant id within a rank), then the unranked by id. `ranked` is
    that ranking when the caller already holds it (the final's standings), so it is not computed twice.
    """
    if quota_percent is not None:
        quota_fraction = _percent(quota_percent, "award_quota_percent")
    needs_max = any(rule.min_percent_of_max is not None for rule in rules)
    max_exact: Fraction | None = None
    if max_score is not None:
        max_exact = to_fraction(max_score, name="max_score")
        if max_exact <= 0:
            raise AwardRuleError("max_score must be above 0")
    elif needs_max:
        raise AwardRuleError("min_percent_of_max needs the maximum possible score", code="max_missing")

    rows = list(scores)
    if ranked is None:
        ranked = rank([(pid, score) for pid, score in rows if score is not None], time_used=time_used)
    count = len(ranked)

    def matches(rule: AwardRule, row: RankedRow) -> bool:
        if rule.ranks is not None and not rule.ranks[0] <= row.rank <= rule.ranks[1]:
            return False
        if rule.top_percent is not None and row.rank > math.ceil(rule.top_percent * count / 100):
            return False
        return not (
            rule.min_percent_of_max is not None
            and max_exact is not None
            and Fraction(row.score) * 100 < rule.min_percent_of_max * max_exact
        )

    def first_match(row: RankedRow, quota_allowed: bool) -> AwardRule | None:
        for rule in rules:
            if (quota_allowed or not rule.counts_in_quota) and matches(rule, row):
                return rule
        return None

    chosen = [first_match(row, quota_allowed=True) for row in ranked]
    cut = [False] * count
    if quota_percent is not None:
        limit = math.floor(quota_fraction * count / 100)
        granted = 0
        exhausted = False
        position = 0
        while position < count:
            end = position
            while end < count and ranked[end].rank == ranked[position].rank:
                end += 1
            in_quota = [
                i for i in range(position, end) if (rule := chosen[i]) is not None and rule.counts_in_quota
            ]
            if in_quota and (exhausted or granted + len(in_quota) > limit):
                exhausted = True
                for i in in_quota:
                    chosen[i] = first_match(ranked[i], quota_allowed=False)
                    cut[i] = True
            else:
                granted += len(in_quota)
            position = end

    results = [
        AwardResult(row.participant_id, rule.title if rule is not None else None, row.rank, row.score, flag)
        for row, rule, flag in zip(ranked, chosen, cut, strict=True)
    ]
    unranked = sorted(pid for pid, score in rows if score is None)
    results.extend(AwardResult(pid, None, None, None) for pid in unranked)
    return results
