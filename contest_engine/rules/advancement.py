"""Advancement: who goes on to the next stage from one division's results (pure rules)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from operator import itemgetter
from typing import Any

from contest_engine.rules.ranking import RankedRow, Score, rank
from contest_engine.rules.scoring import to_fraction


class AdvancementRuleError(ValueError):
    """An advancement rule that cannot be applied as configured (a bad value, rule or tie policy).

    `code` names the problem and `field` the part of the rule at fault (`rule`, `value`, `ties`,
    `chosen`), so callers choose their message by code, never by this English text."""

    def __init__(self, message: str, *, code: str = "invalid", field: str = "value") -> None:
        super().__init__(message)
        self.code = code
        self.field = field


class RuleKind(StrEnum):
    """Who advances: everyone with a score, the best N, the best P%, a score threshold, or a choice."""

    ALL = "all"
    TOP_N = "top_n"
    TOP_PERCENT = "top_percent"
    MIN_SCORE = "min_score"
    MANUAL = "manual"


class TiePolicy(StrEnum):
    """What happens to participants tied with the last advancing place when the tie straddles the cut."""

    INCLUDE_TIED = "include_tied"
    EXCLUDE_TIED = "exclude_tied"
    TIEBREAK = "tiebreak"


@dataclass(frozen=True, slots=True)
class AdvancementRule:
    """A validated advancement rule; build it with the class methods or `parse_rule`.

    `value` is N for `top_n` (an integer, at least 0), P for `top_percent` (0 < P <= 100) and S for
    `min_score`, stored as an exact Fraction or int; `chosen` holds the participant ids of a `manual`
    rule. Construction raises `AdvancementRuleError`, so a bad rule is refused when it is saved, not
    when the stage is advanced.
    """

    kind: RuleKind
    value: int | Fraction | None = None
    ties: TiePolicy = TiePolicy.INCLUDE_TIED
    chosen: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        try:
            kind = RuleKind(self.kind)
        except ValueError:
            raise AdvancementRuleError(
                f"unknown advancement rule {self.kind!r}", code="unknown_rule", field="rule"
            ) from None
        try:
            ties = TiePolicy(self.ties)
        except ValueError:
            raise AdvancementRuleError(
                f"unknown tie policy {self.ties!r}", code="unknown_ties", field="ties"
            ) from None
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "ties", ties)
        object.__setattr__(self, "chosen", frozenset(self.chosen))
        object.__setattr__(self, "value", _checked_value(kind, self.value))
        if self.chosen and kind is not RuleKind.MANUAL:
            raise AdvancementRuleError(
                f"{kind.value} does not take chosen participants",
                code=_value_code(kind, "chosen_not_taken"),
                field="chosen",
            )

    # The constructors take raw values (a JSON float, a string) and leave checking and normalising
    # to __post_init__, so every bad value raises AdvancementRuleError the same way.
    @classmethod
    def all(cls) -> AdvancementRule:
        return cls(RuleKind.ALL)

    @classmethod
    def top_n(cls, n: object, ties: TiePolicy | str = TiePolicy.INCLUDE_TIED) -> AdvancementRule:
        return cls(RuleKind.TOP_N, n, ties)  # type: ignore[arg-type]

    @classmethod
    def top_percent(cls, percent: object, ties: TiePolicy | str = TiePolicy.INCLUDE_TIED) -> AdvancementRule:
        return cls(RuleKind.TOP_PERCENT, percent, ties)  # type: ignore[arg-type]

    @classmethod
    def min_score(cls, score: object) -> AdvancementRule:
        return cls(RuleKind.MIN_SCORE, score)  # type: ignore[arg-type]

    @classmethod
    def manual(cls, chosen: Iterable[int]) -> AdvancementRule:
        return cls(RuleKind.MANUAL, chosen=frozenset(chosen))


VALUE_LIMIT = 10**8  # the stored value has 8 digits before the point (Numeric(12, 4))


def _value_code(kind: RuleKind, code: str) -> str:
    """Any problem with a top_n or top_percent value is told as that rule's range; others by `code`."""
    return {RuleKind.TOP_N: "top_n_whole", RuleKind.TOP_PERCENT: "top_percent_range"}.get(kind, code)


def _checked_value(kind: RuleKind, value: Any) -> int | Fraction | None:
    if kind in (RuleKind.ALL, RuleKind.MANUAL):
        if value is not None:
            raise AdvancementRuleError(f"{kind.value} takes no value", code="value_not_taken")
        return None
    if value is None:
        raise AdvancementRuleError(f"{kind.value} needs a value", code=_value_code(kind, "value_missing"))
    try:
        exact = to_fraction(value, name=kind.value)
    except ValueError as error:
        raise AdvancementRuleError(str(error), code=_value_code(kind, "not_a_number")) from None
    if abs(exact) >= VALUE_LIMIT:
        raise AdvancementRuleError(f"the value {value!r} is out of range", code="out_of_range")
    if kind is RuleKind.TOP_N:
        if exact.denominator != 1:
            raise AdvancementRuleError(f"top_n needs a whole number, got {value!r}", code="top_n_whole")
        if exact < 0:
            raise AdvancementRuleError(f"top_n must not be negative, got {value!r}", code="top_n_whole")
        return int(exact)
    if kind is RuleKind.TOP_PERCENT and not 0 < exact <= 100:
        raise AdvancementRuleError(
            f"top_percent must be above 0 and at most 100, got {value!r}", code="top_percent_range"
        )
    return exact


def parse_rule(config: Mapping[str, Any], chosen: Iterable[int] = ()) -> AdvancementRule:
    """Build a rule from the API's `{"rule", "value", "ties"}` shape (ties default to include_tied)."""
    if "rule" not in config:
        raise AdvancementRuleError("the advancement rule is missing", code="rule_missing", field="rule")
    return AdvancementRule(
        config["rule"],
        config.get("value"),
        config.get("ties") or TiePolicy.INCLUDE_TIED,
        frozenset(chosen),
    )  # raw values: checked and normalised by AdvancementRule.__post_init__


@dataclass(frozen=True, slots=True)
class Candidate:
    """One participant of the division at the stage being advanced from.

    `score` is None when the participant has no entry or attempt (they are eliminated, except by a
    manual choice). `missing_scores` counts required jury scores not yet given: above 0 the
    participant is blocked. `earlier_score` (the previous stage's score) and `submitted_at` feed the
    `tiebreak` policy; `time_used` is the stage's secondary ranking key when it ranks by time.
    """

    participant_id: int
    score: Score | None
    submitted_at: datetime | None = None
    earlier_score: Score | None = None
    time_used: Any = None
    missing_scores: int = 0


@dataclass(frozen=True)
class AdvancementResult:
    """What advancement decided; id tuples are sorted. `ranks` covers the ranked (scored, unblocked)."""

    advanced: tuple[int, ...]
    eliminated: tuple[int, ...]
    tied_at_cutoff: tuple[int, ...]
    blocked: tuple[int, ...]
    ranks: dict[int, int] = field(default_factory=dict)

    @property
    def can_confirm(self) -> bool:
        """Advancement may be confirmed only when no entry is missing required jury scores."""
        return not self.blocked


def advance(
    candidates: Sequence[Candidate],
    rule: AdvancementRule,
    *,
    rank_by_time: bool = False,
    ranked: Sequence[RankedRow] | None = None,
) -> AdvancementResult:
    """Apply `rule` to one division's candidates.

    Ranking: standard competition ranking of the scored, unblocked candidates: higher score first,
    then (with `rank_by_time`) lower `time_used`; equal keys share a rank.

    The cut: `all` advances every scored candidate; `top_n` keeps N places and `top_percent` keeps
    ceil(P% of the ranked) places; `min_score` advances every score >= S (equal scores fall on the
    same side, so no tie can straddle it); `manual` advances exactly the chosen ids. When the last
    kept place shares its rank with the first place left out, the tie straddles the cut and the
    policy decides: `include_tied` advances the whole tied group, `exclude_tied` advances none of it,
    `tiebreak` fills the remaining places from the group ordered by earlier-stage score (higher
    first; none counts as lowest), then by submission time (earlier first; none counts as latest),
    and if that still leaves a tie across the last place, the still-tied ones advance too.
    `tied_at_cutoff` lists the whole tied group whenever a tie straddled the cut.

    Blocked candidates (missing jury scores) are neither ranked nor advanced nor eliminated: they are
    reported so the service can refuse to confirm until their scores are in. Candidates without a
    score are eliminated.

    `ranked` is this ranking when the caller already holds it (the stage's standings rank each
    division once, by the same keys), so it is not computed twice.
    """
    ids = [candidate.participant_id for candidate in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("a participant appears twice among the candidates")
    blocked = sorted(c.participant_id for c in candidates if c.missing_scores > 0)
    eligible = [c for c in candidates if c.missing_scores <= 0] if blocked else list(candidates)
    scored = [c for c in eligible if c.score is not None]
    if ranked is None:
        ranked = rank(
            [(c.participant_id, c.score) for c in scored],  # type: ignore[misc]  # scored: not None
            time_used={c.participant_id: c.time_used for c in scored} if rank_by_time else None,
        )
    ranks = dict(map(_ID_AND_RANK, ranked))
    tied: list[int] = []

    if rule.kind is RuleKind.MANUAL:
        unknown = sorted(rule.chosen - set(ids))
        if unknown:
            raise AdvancementRuleError(
                f"chosen participants {unknown} are not candidates of this division",
                code="chosen_unknown",
                field="chosen",
            )
        advanced = {c.participant_id for c in eligible if c.participant_id in rule.chosen}
    elif rule.kind is RuleKind.ALL:
        advanced = set(ranks)
    elif rule.kind is RuleKind.MIN_SCORE:
        threshold = Fraction(rule.value or 0)
        advanced = {row.participant_id for row in ranked if row.score >= threshold}
    else:
        places = _places(rule, len(ranked))
        by_id = {c.participant_id: c for c in scored}
        advanced, tied = _cut(ranked, places, rule.ties, by_id)

    eligible_ids = set(ids).difference(blocked) if blocked else set(ids)
    return AdvancementResult(
        advanced=tuple(sorted(advanced)),
        eliminated=tuple(sorted(eligible_ids - advanced)),
        tied_at_cutoff=tuple(sorted(tied)),
        blocked=tuple(blocked),
        ranks=ranks,
    )


_ID_AND_RANK = itemgetter(0, 2)  # (participant_id, rank) of a RankedRow


def _places(rule: AdvancementRule, ranked_count: int) -> int:
    """How many places a `top_n` or `top_percent` rule keeps: N, or ceil(P% of those ranked)."""
    value = Fraction(rule.value or 0)
    if rule.kind is RuleKind.TOP_N:
        return int(value)
    return math.ceil(value * ranked_count / 100)


def _cut(
    ranked: Sequence[RankedRow], places: int, ties: TiePolicy, by_id: Mapping[int, Candidate]
) -> tuple[set[int], list[int]]:
    """Keep the first `places` rows of `ranked`, resolving a tie that straddles the cut by `ties`.

    `ranked` is in rank order, so the tied group is the run of equal ranks around the cut: found by
    walking out from the cut, and the rows above it are a slice, not a scan of every row."""
    if places <= 0:
        return set(), []
    if places >= len(ranked) or ranked[places].rank != ranked[places - 1].rank:
        return {row.participant_id for row in ranked[:places]}, []
    cut_rank = ranked[places - 1].rank
    start, end = places - 1, places
    while start > 0 and ranked[start - 1].rank == cut_rank:
        start -= 1
    while end < len(ranked) and ranked[end].rank == cut_rank:
        end += 1
    group = [row.participant_id for row in ranked[start:end]]
    above = {row.participant_id for row in ranked[:start]}
    if ties is TiePolicy.INCLUDE_TIED:
        return above | set(group), group
    if ties is TiePolicy.EXCLUDE_TIED:
        return above, group
    free = places - len(above)
    ordered = sorted(group, key=lambda pid: _tiebreak_key(by_id[pid]))
    last_key = _tiebreak_key(by_id[ordered[free - 1]])
    winners = set(ordered[:free])
    winners |= {pid for pid in ordered[free:] if _tiebreak_key(by_id[pid]) == last_key}
    return above | winners, group


def _tiebreak_key(candidate: Candidate) -> tuple[bool, Fraction, bool, datetime | None]:
    """Sort key for `tiebreak`: earlier-stage score (higher first), then submission time (earlier first).

    Missing values sort last. The participant id is deliberately not part of the key: candidates
    equal on both keys stay tied (and then all advance) rather than being split by an id.
    """
    earlier, submitted = candidate.earlier_score, candidate.submitted_at
    return (
        earlier is None,
        -Fraction(earlier) if earlier is not None else Fraction(0),
        submitted is None,
        submitted,
    )


@dataclass(frozen=True)
class MergeResult:
    """The advanced set after re-running advancement, and what changed against the previous run."""

    final: frozenset[int]
    added: tuple[int, ...]
    kept: tuple[int, ...]
    removed: tuple[int, ...]


def merge_with_existing(
    previous_advanced: Iterable[int], new_advanced: Iterable[int], next_stage_open: bool
) -> MergeResult:
    """Combine a re-run of advancement (e.g. after an appeal) with the previous result.

    Rule (DESIGN, appeals): re-running may add participants but never silently removes them once the
    next stage is open, since they may already be working on it. So with `next_stage_open` the final
    set is the union and those the new run would drop are listed in `kept` for the organiser; before
    the next stage opens the new run simply replaces the old one and the dropped are in `removed`.
    """
    previous, new = set(previous_advanced), set(new_advanced)
    added = tuple(sorted(new - previous))
    dropped = tuple(sorted(previous - new))
    if next_stage_open:
        return MergeResult(frozenset(previous | new), added, dropped, ())
    return MergeResult(frozenset(new), added, (), dropped)
