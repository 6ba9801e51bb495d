"""Contest room: one stage's standings — the only door to quiz and jury scores. Results,
advancement and awards read it, so a request loads the scores and ranks them once.

Where a stage's scores come from: an olympiad round → the quiz grade (the quiz engine's
`attempt_results`); a jury (or jury-scored submission) stage → the jury room's `stage_scores`;
a submission stage without a jury → every current entry scores 0 (so "all who submitted"
advance); registration → every participant scores 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from app.extensions import db
from contest_engine.jury.scores import stage_scores
from contest_engine.models import Entry, Participation, Stage, StageParticipant
from contest_engine.queries import contest_stages, is_first_competitive
from contest_engine.rules.ranking import RankedRow, rank
from contest_engine.rules.stages import StageKind
from courses.quiz.grades import attempt_results
from courses.quiz.models import Quiz


@dataclass
class Standings:
    """A stage's exact scores keyed by participation id, the rank of each within its division
    (standard competition ranking, by time used on a tie when the stage says so), what tie-breaks
    need, the entries blocked by missing jury scores and the highest possible score."""

    stage: Stage
    participations: list[Participation]
    scores: dict[int, Fraction] = field(default_factory=dict)
    time_used: dict[int, int] = field(default_factory=dict)
    submitted_at: dict[int, datetime] = field(default_factory=dict)
    blocked: dict[int, list[int]] = field(default_factory=dict)  # participation id → missing juror ids
    blocked_entries: dict[int, int] = field(default_factory=dict)  # participation id → entry id
    max_score: Decimal | None = None
    ranked: dict[int, list[RankedRow]] = field(default_factory=dict)  # division id → its ranking
    ranks: dict[int, int] = field(default_factory=dict)  # participation id → rank in its division

    def by_division(self) -> dict[int, list[Participation]]:
        """The participations grouped by division, in participation order."""
        grouped: dict[int, list[Participation]] = defaultdict(list)
        for participation in self.participations:
            grouped[participation.division_id].append(participation)
        return grouped

    def blocked_list(self) -> list[dict[str, object]]:
        """The entries waiting for jury scores, as the organiser sees them."""
        return [
            {"entry_id": self.blocked_entries.get(pid), "participant_id": pid, "missing_jurors": missing}
            for pid, missing in sorted(self.blocked.items())
        ]


def standings(stage: Stage, stages: Sequence[Stage] | None = None) -> Standings:
    """Load the stage's scores in a fixed number of queries, whatever the number of participants,
    and rank each division once."""
    stages = list(stages) if stages is not None else contest_stages(stage.contest_id)
    result = Standings(stage, stage_participations(stage, stages))
    _load_scores(stage, result)
    for division_id, members in result.by_division().items():
        rankable = [
            (p.id, result.scores[p.id])
            for p in members
            if p.id in result.scores and p.id not in result.blocked
        ]
        time_used = (
            {pid: result.time_used.get(pid, 0) for pid, _ in rankable} if stage.tiebreak_by_time else None
        )
        result.ranked[division_id] = rank(rankable, time_used=time_used)
        result.ranks.update({row.participant_id: row.rank for row in result.ranked[division_id]})
    return result


def stage_participations(stage: Stage, stages: Sequence[Stage]) -> list[Participation]:
    """Who takes part in `stage`: everyone registered for the first competitive stage, else those
    admitted into it."""
    query = select(Participation).where(Participation.contest_id == stage.contest_id)
    if stage.kind != StageKind.REGISTRATION and not is_first_competitive(stage, stages):
        query = query.join(
            StageParticipant,
            (StageParticipant.participation_id == Participation.id) & (StageParticipant.stage_id == stage.id),
        )
    return list(db.session.scalars(query.order_by(Participation.id)))


def _uses_jury(stage: Stage) -> bool:
    return stage.kind == StageKind.JURY or stage.has_jury


def _load_scores(stage: Stage, result: Standings) -> None:
    by_user = {p.user_id: p.id for p in result.participations}
    entries = db.session.execute(
        select(Entry.participation_id, Entry.submitted_at).where(
            Entry.stage_id == stage.id, Entry.is_current.is_(True)
        )
    ).all()
    for participation_id, submitted_at in entries:
        result.submitted_at[participation_id] = submitted_at
    if stage.kind == StageKind.OLYMPIAD:
        if stage.quiz_id is not None:
            quiz = db.session.get(Quiz, stage.quiz_id)
            result.max_score = Decimal(quiz.max_grade) if quiz is not None else None
            for row in attempt_results(stage.quiz_id):
                pid = by_user.get(row.user_id)
                if pid is not None:
                    result.scores[pid] = Fraction(row.grade)
                    result.time_used[pid] = row.time_used_seconds
                    result.submitted_at[pid] = row.finished_at
    elif _uses_jury(stage):
        jury = stage_scores(stage)
        for pid, score in jury.scores.items():
            result.scores[pid] = Fraction(score)
        for blocked in jury.blocked:
            result.blocked[blocked.participation_id] = list(blocked.missing_jurors)
            result.blocked_entries[blocked.participation_id] = blocked.entry_id
        result.max_score = jury.max_score
    elif stage.kind == StageKind.SUBMISSION:
        for pid in result.submitted_at:
            result.scores[pid] = Fraction(0)
    else:
        for participation in result.participations:
            result.scores[participation.id] = Fraction(0)
