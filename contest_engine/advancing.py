"""Contest room: advancing participants after a stage — preview who advances, is cut, tied at the
cut-off or blocked by missing jury scores; confirm (race-safe, re-runnable, never silently
removing anyone once the next stage is open) and tell everyone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from app.mail import send_mail
from app.notifications import notify
from contest_engine.clock import run_clock, see_clock
from contest_engine.messages import advancement_problem
from contest_engine.models import Contest, Division, Participation, Stage, StageParticipant, StageResult
from contest_engine.queries import (
    COMPETITIVE_KINDS,
    OPEN_STATES,
    contest_divisions,
    contest_stages,
    names_by_participation,
    next_stage,
)
from contest_engine.results import refresh_results, write_results
from contest_engine.rules import advancement as rules
from contest_engine.rules.stages import StageState
from contest_engine.standings import Standings, stage_participations, standings


@dataclass
class DivisionPreview:
    division: Division
    result: rules.AdvancementResult
    names: dict[int, str]


@dataclass
class AdvancementPreview:
    stage: Stage
    next_stage: Stage
    divisions: list[DivisionPreview]
    blocked_entries: list[dict[str, Any]]
    standings: Standings

    @property
    def advanced(self) -> list[int]:
        return sorted(pid for d in self.divisions for pid in d.result.advanced)

    @property
    def eliminated(self) -> list[int]:
        return sorted(pid for d in self.divisions for pid in d.result.eliminated)

    @property
    def tied(self) -> list[int]:
        return sorted(pid for d in self.divisions for pid in d.result.tied_at_cutoff)

    @property
    def can_confirm(self) -> bool:
        return not self.blocked_entries


def preview_advancement(
    stage: Stage, *, now: datetime, chosen: list[int] | None = None
) -> AdvancementPreview:
    """Who would advance, be cut, be tied at the cut-off or be blocked by missing jury scores."""
    stages, following = _check_advanceable(stage, now)
    scores = standings(stage, stages)
    participations = scores.participations
    earlier = _earlier_scores(stage, stages)
    rule = _rule(stage, chosen) if stage.advancement_rule == "manual" else _rule(stage)
    divisions = {d.id: d for d in contest_divisions(stage.contest_id)}
    names = names_by_participation(stage.contest_id)
    grouped: dict[int, list[rules.Candidate]] = defaultdict(list)
    for participation in participations:
        pid = participation.id
        grouped[participation.division_id].append(
            rules.Candidate(
                participant_id=pid,
                score=scores.scores.get(pid),
                submitted_at=scores.submitted_at.get(pid),
                earlier_score=earlier.get(pid),
                time_used=scores.time_used.get(pid, 0),
                missing_scores=len(scores.blocked.get(pid, ())) or (1 if pid in scores.blocked else 0),
            )
        )
    previews = []
    for division_id, candidates in sorted(grouped.items(), key=lambda kv: divisions[kv[0]].position):
        division_rule = rule
        if rule.kind == rules.RuleKind.MANUAL:
            ids = {c.participant_id for c in candidates}
            division_rule = rules.AdvancementRule.manual(rule.chosen & ids)
        result = rules.advance(
            candidates,
            division_rule,
            rank_by_time=stage.tiebreak_by_time,
            ranked=scores.ranked.get(division_id, []),
        )
        previews.append(DivisionPreview(divisions[division_id], result, names))
    if rule.kind == rules.RuleKind.MANUAL:
        known = {p.id for p in participations}
        unknown = sorted(rule.chosen - known)
        if unknown:
            raise Invalid(
                _("Unknown participants: %(ids)s.", ids=", ".join(map(str, unknown))),
                {"chosen": _("Unknown participants: %(ids)s.", ids=", ".join(map(str, unknown)))},
            )
    return AdvancementPreview(stage, following, previews, scores.blocked_list(), scores)


@dataclass
class AdvanceOutcome:
    advanced: list[int]
    eliminated: list[int]
    blocked: list[dict[str, Any]]
    added: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    confirmed: bool = True


def confirm_advancement(
    stage: Stage, *, actor: User, now: datetime, chosen: list[int] | None = None
) -> AdvanceOutcome:
    """Admit the advancing participants to the next stage and notify everyone.

    Two organisers confirming at once: a conditional UPDATE on `advancement_runs` lets one win; the
    other gets the stored outcome. Confirming again later re-applies the rule and may add people
    (after an appeal), but never removes anyone once the next stage has opened. A confirmation that
    changes nothing (a repeat, or the loser of a race that queued behind the winner) writes nothing,
    so the audit log holds one row per real change.
    """
    run_clock(now, contest_id=stage.contest_id)  # a confirmation writes: the clock's move first
    db.session.refresh(stage)
    preview = preview_advancement(stage, now=now, chosen=chosen)
    if not preview.can_confirm:
        return AdvanceOutcome([], [], preview.blocked_entries, confirmed=False)
    seen_runs = stage.advancement_runs
    following = preview.next_stage
    participant_ids = [pid for d in preview.divisions for pid in (*d.result.advanced, *d.result.eliminated)]
    previous = set(
        db.session.scalars(
            select(StageParticipant.participation_id).where(
                StageParticipant.stage_id == following.id,
                StageParticipant.participation_id.in_(participant_ids),
            )
        )
    )
    next_open = following.state not in (StageState.DRAFT, StageState.SCHEDULED)
    merged = rules.merge_with_existing(previous, preview.advanced, next_open)
    if seen_runs > 0 and not merged.added and not merged.removed:
        # scores may have changed (an appeal); the advancement did not
        refresh_results(stage, now=now, scores=preview.standings)
        final = set(merged.final)
        return AdvanceOutcome(sorted(final), sorted(set(participant_ids) - final), [], [], list(merged.kept))
    won = (
        cast(
            CursorResult[Any],
            db.session.execute(
                update(Stage)
                .where(Stage.id == stage.id, Stage.advancement_runs == seen_runs)
                .values(advancement_runs=seen_runs + 1, advanced_at=now)
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
        == 1
    )
    if not won:
        db.session.rollback()
        return stored_outcome(stage)
    for pid in merged.added:
        db.session.add(StageParticipant(stage_id=following.id, participation_id=pid, admitted_at=now))
    if merged.removed:
        db.session.execute(
            delete(StageParticipant).where(
                StageParticipant.stage_id == following.id,
                StageParticipant.participation_id.in_(merged.removed),
            )
        )
    final = set(merged.final)
    eliminated = sorted(set(participant_ids) - final)
    audit.record(
        "stage.advanced",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        details={
            "advanced": sorted(final),
            "eliminated": eliminated,
            "added": list(merged.added),
            "kept": list(merged.kept),
            "removed": list(merged.removed),
            "next_stage_id": following.id,
        },
    )
    write_results(stage, now=now, advanced=final, confirmed=True, scores=preview.standings)
    mails = _notify_advancement(
        stage,
        following,
        merged.added,
        [pid for pid in eliminated if pid not in previous] if seen_runs == 0 else [],
        merged.removed,
    )
    _send(mails)  # outbox rows in this transaction: they commit or roll back with the advancement
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return stored_outcome(stage)
    return AdvanceOutcome(sorted(final), eliminated, [], list(merged.added), list(merged.kept))


def stored_outcome(stage: Stage) -> AdvanceOutcome:
    """The advancement as it stands in the database (what a losing concurrent confirm returns)."""
    db.session.refresh(stage)
    stages = contest_stages(stage.contest_id)
    following = next_stage(stage, stages)
    participations = [p.id for p in stage_participations(stage, stages)]
    admitted: set[int] = set()
    if following is not None:
        admitted = set(
            db.session.scalars(
                select(StageParticipant.participation_id).where(StageParticipant.stage_id == following.id)
            )
        )
    advanced = sorted(pid for pid in participations if pid in admitted)
    return AdvanceOutcome(advanced, sorted(set(participations) - admitted), [])


def _earlier_scores(stage: Stage, stages: Sequence[Stage]) -> dict[int, Decimal]:
    """The previous competitive stage's stored scores, for the `tiebreak` tie policy."""
    earlier = [s for s in stages if s.position < stage.position and s.kind in COMPETITIVE_KINDS]
    if not earlier:
        return {}
    rows = db.session.execute(
        select(StageResult.participation_id, StageResult.score).where(
            StageResult.stage_id == earlier[-1].id, StageResult.score.is_not(None)
        )
    ).all()
    return {pid: score for pid, score in rows if score is not None}


def _rule(stage: Stage, chosen: list[int] | None = None) -> rules.AdvancementRule:
    value: Any = stage.advancement_value
    if value is not None and stage.advancement_rule == "top_n":
        value = int(value)
    config = {"rule": stage.advancement_rule, "value": value, "ties": stage.advancement_ties}
    try:
        return rules.parse_rule(config, chosen or ())
    except rules.AdvancementRuleError as error:
        message = advancement_problem(error)[1]
        raise Invalid(
            _("The advancement rule cannot be applied: %(error)s", error=message), {"chosen": message}
        ) from None


def _check_advanceable(stage: Stage, now: datetime) -> tuple[list[Stage], Stage]:
    """The contest's stages and the one after `stage`, refused while `stage` is still open by its
    times: the clock's move is seen, not written (the preview is a page; a confirmation writes the
    move first)."""
    stages = contest_stages(stage.contest_id)
    see_clock(stages, now)
    if stage.state in OPEN_STATES:
        raise Conflict(_("The stage is still open: close it before advancing participants."))
    following = next_stage(stage, stages)
    if following is None:
        raise Conflict(_("This is the last stage: there is nothing to advance to."))
    return stages, following


def _notify_advancement(
    stage: Stage,
    following: Stage,
    added: tuple[int, ...] | list[int],
    eliminated: list[int],
    removed: tuple[int, ...],
) -> list[tuple[str, str, str]]:
    """Site notifications now (inside the transaction); the e-mails are returned to send after commit."""
    ids = list({*added, *eliminated, *removed})
    if not ids:
        return []
    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    people = db.session.execute(
        select(Participation.id, User.id, User.email)
        .join(User, User.id == Participation.user_id)
        .where(Participation.id.in_(ids))
    ).all()
    link = f"/contests/{contest.id}"
    mails = []
    for pid, user_id, email in people:
        if pid in added:
            text = _(
                "«%(contest)s»: you advanced to the stage «%(stage)s».",
                contest=contest.title,
                stage=following.title,
            )
        else:
            text = _(
                "«%(contest)s»: the stage «%(stage)s» is over for you; thank you for taking part.",
                contest=contest.title,
                stage=stage.title,
            )
        notify(user_id, text, link)
        mails.append((email, contest.title, text))
    return mails


def _send(mails: list[tuple[str, str, str]]) -> None:
    for email, subject, text in mails:
        send_mail(email, subject, text)
