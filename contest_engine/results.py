"""Stage results, advancement, publication and awards: loads scores, applies the pure rules, writes.

Where a stage's scores come from: an olympiad round → the quiz grade (the quiz engine's
`attempt_results`); a jury (or jury-scored submission) stage → the jury room's `stage_scores`;
a submission stage without a jury → every current entry scores 0 (so "all who submitted"
advance); registration → every participant scores 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app import audit, exports
from app.accounts import User
from app.audit import AuditEntry
from app.certificates import Certificate, CertificateKind, issue
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from app.notifications import notify
from app.pagination import Page, paginate
from contest_engine.models import (
    Award,
    Contest,
    Division,
    Entry,
    Participation,
    ResultStatus,
    Stage,
    StageParticipant,
    StageResult,
)
from contest_engine.rules import advancement as rules
from contest_engine.rules import awards as award_rules
from contest_engine.rules.ranking import rank
from contest_engine.rules.scoring import display
from contest_engine.rules.stages import StageAction, StageKind, StageState, StageTransitionError, apply_action
from contest_engine.services import COMPETITIVE_KINDS, contest_stages, is_first_competitive, run_clock

OPEN_STATES = (StageState.DRAFT, StageState.SCHEDULED, StageState.OPEN)


@dataclass
class SourceScores:
    """A stage's raw scores, keyed by participation id, plus what ranking and tie-breaks need."""

    scores: dict[int, Fraction] = field(default_factory=dict)
    time_used: dict[int, int] = field(default_factory=dict)
    submitted_at: dict[int, datetime] = field(default_factory=dict)
    blocked: dict[int, list[int]] = field(default_factory=dict)  # participation id → missing juror ids
    blocked_entries: dict[int, int] = field(default_factory=dict)  # participation id → entry id
    max_score: Decimal | None = None


def stage_participations(stage: Stage, stages: list[Stage]) -> list[Participation]:
    """Who takes part in `stage`: everyone registered for the first competitive stage, else those
    admitted into it."""
    query = select(Participation).where(Participation.contest_id == stage.contest_id)
    if stage.kind != StageKind.REGISTRATION and not is_first_competitive(stage, stages):
        query = query.join(StageParticipant, (StageParticipant.participation_id == Participation.id)
                           & (StageParticipant.stage_id == stage.id))
    return list(db.session.scalars(query.order_by(Participation.id)))


def _uses_jury(stage: Stage) -> bool:
    return stage.kind == StageKind.JURY or stage.has_jury


def source_scores(stage: Stage, participations: list[Participation]) -> SourceScores:
    """Load the stage's scores in a fixed number of queries, whatever the number of participants."""
    result = SourceScores()
    by_user = {p.user_id: p.id for p in participations}
    entries = db.session.execute(select(Entry.participation_id, Entry.submitted_at).where(
        Entry.stage_id == stage.id, Entry.is_current.is_(True))).all()
    for participation_id, submitted_at in entries:
        result.submitted_at[participation_id] = submitted_at
    if stage.kind == StageKind.OLYMPIAD:
        if stage.quiz_id is not None:
            from courses.quiz.models import Quiz
            from courses.quiz.services import attempt_results

            quiz = db.session.get(Quiz, stage.quiz_id)
            result.max_score = Decimal(quiz.max_grade) if quiz is not None else None
            for row in attempt_results(stage.quiz_id):
                pid = by_user.get(row.user_id)
                if pid is not None:
                    result.scores[pid] = Fraction(row.grade)
                    result.time_used[pid] = row.time_used_seconds
                    result.submitted_at[pid] = row.finished_at
    elif _uses_jury(stage):
        try:
            from contest_engine.jury.scores import stage_scores
        except ImportError:  # the jury room is not installed: nobody has a score yet
            return result
        jury = stage_scores(stage)
        for pid, score in jury.scores.items():
            result.scores[pid] = Fraction(score)
        for blocked in jury.blocked:
            result.blocked[blocked.participation_id] = list(blocked.missing_jurors)
            result.blocked_entries[blocked.participation_id] = blocked.entry_id
        max_total = getattr(jury, "max_score", None)
        result.max_score = Decimal(str(max_total)) if max_total is not None else None
    elif stage.kind == StageKind.SUBMISSION:
        for pid in result.submitted_at:
            result.scores[pid] = Fraction(0)
    else:
        for participation in participations:
            result.scores[participation.id] = Fraction(0)
    return result


def _earlier_scores(stage: Stage, stages: list[Stage]) -> dict[int, Decimal]:
    """The previous competitive stage's stored scores, for the `tiebreak` tie policy."""
    earlier = [s for s in stages if s.position < stage.position and s.kind in COMPETITIVE_KINDS]
    if not earlier:
        return {}
    rows = db.session.execute(select(StageResult.participation_id, StageResult.score).where(
        StageResult.stage_id == earlier[-1].id, StageResult.score.is_not(None))).all()
    return {pid: score for pid, score in rows}


def next_stage(stage: Stage, stages: list[Stage]) -> Stage | None:
    later = [s for s in stages if s.position > stage.position]
    return later[0] if later else None


def _rule(stage: Stage, chosen: list[int] | None = None) -> rules.AdvancementRule:
    value: Any = stage.advancement_value
    if value is not None and stage.advancement_rule == "top_n":
        value = int(value)
    config = {"rule": stage.advancement_rule, "value": value, "ties": stage.advancement_ties}
    try:
        return rules.parse_rule(config, chosen or ())
    except rules.AdvancementRuleError as error:
        raise Invalid(_("The advancement rule cannot be applied: %(error)s", error=str(error)),
                      {"chosen": str(error)}) from None


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


def _check_advanceable(stage: Stage, now: datetime) -> tuple[list[Stage], Stage]:
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    stages = contest_stages(stage.contest_id)
    if stage.state in OPEN_STATES:
        raise Conflict(_("The stage is still open: close it before advancing participants."))
    following = next_stage(stage, stages)
    if following is None:
        raise Conflict(_("This is the last stage: there is nothing to advance to."))
    return stages, following


def preview_advancement(stage: Stage, *, now: datetime, chosen: list[int] | None = None) -> AdvancementPreview:
    """Who would advance, be cut, be tied at the cut-off or be blocked by missing jury scores."""
    stages, following = _check_advanceable(stage, now)
    participations = stage_participations(stage, stages)
    scores = source_scores(stage, participations)
    earlier = _earlier_scores(stage, stages)
    rule = _rule(stage, chosen) if stage.advancement_rule == "manual" else _rule(stage)
    divisions = {d.id: d for d in db.session.scalars(select(Division).where(Division.contest_id == stage.contest_id))}
    names = dict(db.session.execute(select(Participation.id, User.full_name).join(User, User.id == Participation.user_id)
                                    .where(Participation.contest_id == stage.contest_id)).all())
    grouped: dict[int, list[rules.Candidate]] = defaultdict(list)
    for participation in participations:
        pid = participation.id
        grouped[participation.division_id].append(rules.Candidate(
            participant_id=pid, score=scores.scores.get(pid), submitted_at=scores.submitted_at.get(pid),
            earlier_score=earlier.get(pid), time_used=scores.time_used.get(pid, 0),
            missing_scores=len(scores.blocked.get(pid, ())) or (1 if pid in scores.blocked else 0),
        ))
    previews = []
    for division_id, candidates in sorted(grouped.items(), key=lambda kv: divisions[kv[0]].position):
        division_rule = rule
        if rule.kind == rules.RuleKind.MANUAL:
            ids = {c.participant_id for c in candidates}
            division_rule = rules.AdvancementRule.manual(rule.chosen & ids)
        result = rules.advance(candidates, division_rule, rank_by_time=stage.tiebreak_by_time)
        previews.append(DivisionPreview(divisions[division_id], result, names))
    if rule.kind == rules.RuleKind.MANUAL:
        known = {p.id for p in participations}
        unknown = sorted(rule.chosen - known)
        if unknown:
            raise Invalid(_("Unknown participants: %(ids)s.", ids=", ".join(map(str, unknown))),
                          {"chosen": _("Unknown participants: %(ids)s.", ids=", ".join(map(str, unknown)))})
    blocked = [{"entry_id": scores.blocked_entries.get(pid), "participant_id": pid, "missing_jurors": missing}
               for pid, missing in sorted(scores.blocked.items())]
    return AdvancementPreview(stage, following, previews, blocked)


@dataclass
class AdvanceOutcome:
    advanced: list[int]
    eliminated: list[int]
    blocked: list[dict[str, Any]]
    added: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    confirmed: bool = True


def confirm_advancement(stage: Stage, *, actor: User, now: datetime, chosen: list[int] | None = None) -> AdvanceOutcome:
    """Admit the advancing participants to the next stage and notify everyone.

    Two organisers confirming at once: a conditional UPDATE on `advancement_runs` lets one win; the
    other gets the stored outcome. Confirming again later re-applies the rule and may add people
    (after an appeal), but never removes anyone once the next stage has opened. A confirmation that
    changes nothing (a repeat, or the loser of a race that queued behind the winner) writes nothing,
    so the audit log holds one row per real change.
    """
    preview = preview_advancement(stage, now=now, chosen=chosen)
    if not preview.can_confirm:
        return AdvanceOutcome([], [], preview.blocked_entries, confirmed=False)
    seen_runs = stage.advancement_runs
    following = preview.next_stage
    participant_ids = [pid for d in preview.divisions for pid in (*d.result.advanced, *d.result.eliminated)]
    previous = set(db.session.scalars(select(StageParticipant.participation_id).where(
        StageParticipant.stage_id == following.id, StageParticipant.participation_id.in_(participant_ids))))
    next_open = following.state not in (StageState.DRAFT, StageState.SCHEDULED)
    merged = rules.merge_with_existing(previous, preview.advanced, next_open)
    if seen_runs > 0 and not merged.added and not merged.removed:
        refresh_results(stage, now=now)  # scores may have changed (an appeal); the advancement did not
        final = set(merged.final)
        return AdvanceOutcome(sorted(final), sorted(set(participant_ids) - final), [], [], list(merged.kept))
    won = db.session.execute(
        update(Stage).where(Stage.id == stage.id, Stage.advancement_runs == seen_runs)
        .values(advancement_runs=seen_runs + 1, advanced_at=now).execution_options(synchronize_session=False)
    ).rowcount == 1
    if not won:
        db.session.rollback()
        return stored_outcome(stage)
    for pid in merged.added:
        db.session.add(StageParticipant(stage_id=following.id, participation_id=pid, admitted_at=now))
    if merged.removed:
        db.session.execute(delete(StageParticipant).where(
            StageParticipant.stage_id == following.id, StageParticipant.participation_id.in_(merged.removed)))
    final = set(merged.final)
    eliminated = sorted(set(participant_ids) - final)
    audit.record("stage.advanced", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id,
                 details={"advanced": sorted(final), "eliminated": eliminated, "added": list(merged.added),
                          "kept": list(merged.kept), "removed": list(merged.removed),
                          "next_stage_id": following.id})
    _write_results(stage, now=now, advanced=final, confirmed=True)
    mails = _notify_advancement(stage, following, merged.added, [pid for pid in eliminated if pid not in previous]
                                if seen_runs == 0 else [], merged.removed)
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
    admitted = set(db.session.scalars(select(StageParticipant.participation_id).where(
        StageParticipant.stage_id == (following.id if following else -1)))) if following else set()
    advanced = sorted(pid for pid in participations if pid in admitted)
    return AdvanceOutcome(advanced, sorted(set(participations) - admitted), [])


def _notify_advancement(stage: Stage, following: Stage, added: tuple[int, ...] | list[int],
                        eliminated: list[int], removed: tuple[int, ...]) -> list[tuple[str, str, str]]:
    """Site notifications now (inside the transaction); the e-mails are returned to send after commit."""
    ids = list({*added, *eliminated, *removed})
    if not ids:
        return []
    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    people = db.session.execute(select(Participation.id, User.id, User.email).join(User, User.id == Participation.user_id)
                                .where(Participation.id.in_(ids))).all()
    link = f"/contests/{contest.id}"
    mails = []
    for pid, user_id, email in people:
        if pid in added:
            text = _("«%(contest)s»: you advanced to the stage «%(stage)s».", contest=contest.title,
                     stage=following.title)
        else:
            text = _("«%(contest)s»: the stage «%(stage)s» is over for you; thank you for taking part.",
                     contest=contest.title, stage=stage.title)
        notify(user_id, text, link)
        mails.append((email, contest.title, text))
    return mails


def _send(mails: list[tuple[str, str, str]]) -> None:
    from app.mail import send_mail

    for email, subject, text in mails:
        send_mail(email, subject, text)


# --------------------------------------------------------------------------- results


def _write_results(stage: Stage, *, now: datetime, advanced: set[int] | None = None, confirmed: bool = False) -> None:
    """Recompute and store the stage's ranking per division (exact ranking, 4 places stored)."""
    stages = contest_stages(stage.contest_id)
    participations = stage_participations(stage, stages)
    scores = source_scores(stage, participations)
    following = next_stage(stage, stages)
    if advanced is None and following is not None and stage.advanced_at is not None:
        advanced = set(db.session.scalars(select(StageParticipant.participation_id).where(
            StageParticipant.stage_id == following.id)))
        confirmed = True
    advanced = advanced or set()
    grouped: dict[int, list[Participation]] = defaultdict(list)
    for participation in participations:
        grouped[participation.division_id].append(participation)
    rows: list[dict[str, Any]] = []
    for division_id, members in grouped.items():
        rankable = [(p.id, scores.scores[p.id]) for p in members
                    if p.id in scores.scores and p.id not in scores.blocked]
        time_used = {pid: scores.time_used.get(pid, 0) for pid, _ in rankable} if stage.tiebreak_by_time else None
        ranks = {row.participant_id: row.rank for row in rank(rankable, time_used=time_used)}
        for p in members:
            if p.id in scores.blocked:
                status = ResultStatus.BLOCKED
            elif p.id not in scores.scores:
                status = ResultStatus.NO_ENTRY
            elif p.id in advanced:
                status = ResultStatus.ADVANCED
            elif confirmed:
                status = ResultStatus.ELIMINATED
            else:
                status = ResultStatus.RANKED
            score = scores.scores.get(p.id)
            rows.append({
                "stage_id": stage.id, "participation_id": p.id, "division_id": division_id,
                "score": _stored_score(score) if score is not None else None,
                "rank": ranks.get(p.id), "time_used_seconds": scores.time_used.get(p.id),
                "status": status, "advanced": p.id in advanced,
            })
    division_order = {d.id: d.position for d in db.session.scalars(
        select(Division).where(Division.contest_id == stage.contest_id))}
    names = {p.id: name for p, name in _names(participations)}
    rows.sort(key=lambda r: (division_order.get(r["division_id"], 0), r["rank"] is None, r["rank"] or 0,
                             names.get(r["participation_id"], ""), r["participation_id"]))
    for position, row in enumerate(rows, start=1):
        row["position"] = position
    db.session.execute(delete(StageResult).where(StageResult.stage_id == stage.id))
    if rows:
        db.session.execute(StageResult.__table__.insert(), rows)
    stage.results_computed_at = now


def _stored_score(score: Any) -> Decimal:
    """An exact score as stored (4 decimal places)."""
    exact = Fraction(score)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.0001"))


def _names(participations: list[Participation]) -> list[tuple[Participation, str]]:
    names = dict(db.session.execute(select(User.id, User.full_name).where(
        User.id.in_([p.user_id for p in participations]))).all()) if participations else {}
    return [(p, names.get(p.user_id, "")) for p in participations]


def refresh_results(stage: Stage, *, now: datetime) -> None:
    """Recompute the stored ranking (the organiser's "recalculate", and before publication)."""
    _write_results(stage, now=now)
    try:
        db.session.commit()
    except IntegrityError:  # another process wrote the same ranking at the same moment
        db.session.rollback()


def ensure_results(stage: Stage, *, now: datetime) -> None:
    """Compute results once the stage is closed and none are stored yet."""
    if stage.results_computed_at is None and stage.state not in OPEN_STATES:
        refresh_results(stage, now=now)


def publish_results(stage: Stage, *, actor: User, now: datetime, appeal_hours: int = 72) -> Stage:
    """Make the ranking visible to participants and open appeals for `appeal_hours`. Publishing an
    already published stage changes nothing."""
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    if stage.state == StageState.PUBLISHED:
        return stage
    if not 0 <= appeal_hours <= 24 * 60:
        raise Invalid(_("Must be between %(lo)s and %(hi)s.", lo=0, hi=24 * 60),
                      {"appeal_hours": _("Must be between %(lo)s and %(hi)s.", lo=0, hi=24 * 60)})
    try:
        apply_action(StageAction.PUBLISH, StageState(stage.state), now=now, closes_at=stage.closes_at)
    except StageTransitionError:
        raise Conflict(_("Only a closed stage's results can be published.")) from None
    old = stage.state
    won = db.session.execute(update(Stage).where(Stage.id == stage.id, Stage.state == old).values(
        state=StageState.PUBLISHED, results_published_at=now, appeals_close_at=now + timedelta(hours=appeal_hours),
    ).execution_options(synchronize_session=False)).rowcount == 1
    if not won:
        db.session.rollback()
        db.session.refresh(stage)
        return stage
    _write_results(stage, now=now)
    audit.record("stage.published", actor=actor, scope_type="contest", scope_id=stage.contest_id,
                 object_type="stage", object_id=stage.id, details={"appeal_hours": appeal_hours})
    db.session.commit()
    db.session.refresh(stage)
    return stage


@dataclass
class ResultRow:
    participation_id: int
    user_id: int
    full_name: str
    division: str
    institution: str
    district: str
    score: Decimal | None
    rank: int | None
    status: str
    advanced: bool
    time_used_seconds: int | None

    @property
    def score_text(self) -> str:
        return display(self.score) if self.score is not None else ""


def _results_query(stage: Stage, *, division_id: int | None = None, search: str = "") -> Any:
    query = (
        select(StageResult.participation_id, User.id.label("user_id"), User.full_name, Division.name.label("division"),
               Participation.institution_name, Participation.district, StageResult.score, StageResult.rank,
               StageResult.status, StageResult.advanced, StageResult.time_used_seconds)
        .join(Participation, Participation.id == StageResult.participation_id)
        .join(User, User.id == Participation.user_id)
        .join(Division, Division.id == StageResult.division_id)
        .where(StageResult.stage_id == stage.id)
        .order_by(StageResult.position)
    )
    if division_id:
        query = query.where(StageResult.division_id == division_id)
    if search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(or_(User.full_name.ilike(pattern), Participation.institution_name.ilike(pattern),
                                Participation.district.ilike(pattern)))
    return query


def results_page(stage: Stage, *, page: int, per_page: int, division_id: int | None = None,
                 search: str = "") -> Page[ResultRow]:
    """One page of the stored ranking: two queries at any size (without a search the count reads
    only the index, not the joined rows)."""
    query = _results_query(stage, division_id=division_id, search=search)
    if search.strip():
        found = paginate(query, page, per_page, scalars=False)
        found.items = [ResultRow(*row) for row in found.items]
        return found
    page = max(1, page)
    count = select(func.count()).select_from(StageResult).where(StageResult.stage_id == stage.id)
    if division_id:
        count = count.where(StageResult.division_id == division_id)
    total = db.session.scalar(count) or 0
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=[ResultRow(*row) for row in rows], page=page, per_page=per_page, total=total)


def all_results(stage: Stage) -> list[ResultRow]:
    return [ResultRow(*row) for row in db.session.execute(_results_query(stage)).all()]


def own_result(stage_id: int, participation_id: int) -> StageResult | None:
    return db.session.scalar(select(StageResult).where(StageResult.stage_id == stage_id,
                                                       StageResult.participation_id == participation_id))


def _export_rows(stage: Stage) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Rank"), _("Participant"), _("Division"), _("Institution"), _("District"), _("Score"), _("Status")]
    labels = status_labels()
    rows = [[r.rank or "", r.full_name, r.division, r.institution, r.district, r.score_text, labels[r.status]]
            for r in all_results(stage)]
    return [str(h) for h in headers], rows


def results_csv(stage: Stage) -> str:
    headers, rows = _export_rows(stage)
    return exports.csv_text(headers, rows)


def results_xlsx(stage: Stage) -> bytes:
    headers, rows = _export_rows(stage)
    return exports.xlsx_bytes(stage.title, headers, rows, fallback_title="results")


def status_labels() -> dict[str, str]:
    return {
        ResultStatus.RANKED: _("ranked"), ResultStatus.ADVANCED: _("advanced"),
        ResultStatus.ELIMINATED: _("did not advance"), ResultStatus.BLOCKED: _("waiting for jury scores"),
        ResultStatus.NO_ENTRY: _("no entry"),
    }


# --------------------------------------------------------------------------- awards


@dataclass
class AwardItem:
    participation_id: int
    division: str
    award: str
    rank: int | None
    score: Decimal | None
    certificate_code: str | None
    full_name: str = ""


def final_stage(stages: list[Stage]) -> Stage | None:
    competitive = [s for s in stages if s.kind in COMPETITIVE_KINDS]
    return competitive[-1] if competitive else None


def compute_awards(contest: Contest, *, actor: User, now: datetime) -> list[AwardItem]:
    """Award each division of the final stage by the contest's ordered rules and quota, and issue a
    verifiable diploma per award. Computing again follows the current scores (after an appeal)."""
    run_clock(now, contest_id=contest.id)
    stages = contest_stages(contest.id)
    final = final_stage(stages)
    if final is None:
        raise Conflict(_("The contest has no competitive stage to award."))
    if final.state in OPEN_STATES:
        raise Conflict(_("The final stage is still open: awards are computed after it closes."))
    try:
        parsed = award_rules.parse_rules(contest.award_rules or [])
    except award_rules.AwardRuleError as error:
        raise Invalid(str(error), {"awards": str(error)}) from None
    if not parsed:
        raise Invalid(_("The contest has no award rules."), {"awards": _("The contest has no award rules.")})
    participations = stage_participations(final, stages)
    scores = source_scores(final, participations)
    if scores.blocked:
        raise Conflict(_("Some entries are still missing jury scores: awards wait for them."))
    divisions = {d.id: d for d in db.session.scalars(select(Division).where(Division.contest_id == contest.id))}
    users = dict(db.session.execute(select(Participation.id, User.full_name).join(User, User.id == Participation.user_id)
                                    .where(Participation.contest_id == contest.id)).all())
    user_ids = {p.id: p.user_id for p in participations}
    existing = {a.participation_id: a for a in db.session.scalars(select(Award).where(Award.contest_id == contest.id))}
    grouped: dict[int, list[Participation]] = defaultdict(list)
    for participation in participations:
        grouped[participation.division_id].append(participation)
    items: list[AwardItem] = []
    awarded: set[int] = set()
    for division_id, members in sorted(grouped.items(), key=lambda kv: divisions[kv[0]].position):
        try:
            results = award_rules.compute_awards(
                [(p.id, scores.scores.get(p.id)) for p in members], parsed, max_score=scores.max_score,
                quota_percent=contest.award_quota_percent,
                time_used={p.id: scores.time_used.get(p.id, 0) for p in members} if final.tiebreak_by_time else None,
            )
        except award_rules.AwardRuleError as error:
            raise Invalid(str(error), {"awards": str(error)}) from None
        for result in results:
            if result.award is None:
                continue
            score = result.score
            score_decimal = _stored_score(score) if score is not None else None
            award = existing.get(result.participant_id)
            if award is None:
                award = Award(contest_id=contest.id, participation_id=result.participant_id, division_id=division_id,
                              title=result.award)
                db.session.add(award)
            award.title, award.rank, award.score, award.computed_at = result.award, result.rank, score_decimal, now
            award.division_id = division_id
            db.session.flush()
            certificate = issue(kind=CertificateKind.DIPLOMA, user_id=user_ids[result.participant_id],
                                holder=users[result.participant_id], title=f"{result.award} — {contest.title}",
                                source_type="award", source_id=award.id,
                                details=f"{divisions[division_id].name}; {final.title}", now=now)
            certificate.revoked_at = None
            award.certificate_code = certificate.code
            awarded.add(result.participant_id)
            items.append(AwardItem(result.participant_id, divisions[division_id].name, result.award, result.rank,
                                   score_decimal, certificate.code, users[result.participant_id]))
    stale = [a for pid, a in existing.items() if pid not in awarded]
    if stale:
        stale_ids = [a.id for a in stale]
        db.session.execute(update(Certificate).where(Certificate.source_type == "award",
                                                     Certificate.source_id.in_(stale_ids)).values(revoked_at=now))
        for award in stale:
            db.session.delete(award)
    contest.awards_computed_at = now
    audit.record("awards.computed", actor=actor, scope_type="contest", scope_id=contest.id,
                 details={"awarded": len(items), "withdrawn": len(stale)})
    db.session.commit()
    return items


def contest_awards(contest_id: int, *, division_id: int | None = None) -> list[AwardItem]:
    query = (select(Award, Division.name, User.full_name).join(Division, Division.id == Award.division_id)
             .join(Participation, Participation.id == Award.participation_id)
             .join(User, User.id == Participation.user_id)
             .where(Award.contest_id == contest_id)
             .order_by(Division.position, Award.rank.is_(None), Award.rank, User.full_name))
    if division_id:
        query = query.where(Award.division_id == division_id)
    return [AwardItem(a.participation_id, division, a.title, a.rank, a.score, a.certificate_code, name)
            for a, division, name in db.session.execute(query).all()]


def diploma_pdf(award: Award, contest: Contest) -> bytes:
    """The award as a printable Russian diploma with its verification code and QR."""
    from flask import current_app, url_for

    from app.pdf import render_certificate_pdf

    participation = db.session.get(Participation, award.participation_id)
    assert participation is not None
    user = db.session.get(User, participation.user_id)
    division = db.session.get(Division, award.division_id)
    assert user is not None and division is not None and award.certificate_code
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == award.certificate_code))
    lines = [_("Division: %(name)s", name=division.name)]
    if award.rank is not None:
        lines.append(_("Place: %(rank)s", rank=award.rank))
    if award.score is not None:
        lines.append(_("Score: %(score)s", score=display(award.score)))
    if participation.institution_name:
        lines.append(participation.institution_name)
    issued = certificate.issued_at if certificate is not None else award.computed_at
    return bytes(render_certificate_pdf(
        heading=_("Diploma"), holder=user.full_name, title=f"{award.title} — {contest.title}", lines=lines,
        code=award.certificate_code,
        verify_url=url_for("verify", code=award.certificate_code, _external=True)
        if "verify" in current_app.view_functions
        else url_for("main.index", _external=True).rstrip("/") + f"/verify/{award.certificate_code}",
        issued_on=issued.date(),
    ))


# --------------------------------------------------------------------------- audit and dashboard


def audit_page(contest_id: int, *, page: int, per_page: int) -> Page[AuditEntry]:
    query = (select(AuditEntry).where(AuditEntry.scope_type == "contest", AuditEntry.scope_id == contest_id)
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    return paginate(query, page, per_page)


@dataclass
class ParticipantContest:
    contest: Contest
    participation: Participation
    division: str
    current: Stage | None
    status: str
    awards: list[Award]


def participant_overview(user: User, now: datetime) -> list[ParticipantContest]:
    """The user's contests with the current stage, their status there and their diplomas (5 queries)."""
    from contest_engine.services import current_stage

    rows = db.session.execute(
        select(Participation, Contest, Division.name).join(Contest, Contest.id == Participation.contest_id)
        .join(Division, Division.id == Participation.division_id)
        .where(Participation.user_id == user.id).order_by(Contest.created_at.desc()).limit(20)).all()
    if not rows:
        return []
    contest_ids = [contest.id for _, contest, _ in rows]
    participation_ids = [p.id for p, _, _ in rows]
    stages: dict[int, list[Stage]] = defaultdict(list)
    for stage in db.session.scalars(select(Stage).where(Stage.contest_id.in_(contest_ids)).order_by(Stage.position)):
        stages[stage.contest_id].append(stage)
    results = {(r.stage_id, r.participation_id): r for r in db.session.scalars(
        select(StageResult).where(StageResult.participation_id.in_(participation_ids)))}
    entries = {tuple(row) for row in db.session.execute(select(Entry.stage_id, Entry.participation_id).where(
        Entry.participation_id.in_(participation_ids), Entry.is_current.is_(True))).all()}
    admitted = {tuple(row) for row in db.session.execute(select(StageParticipant.stage_id, StageParticipant.participation_id).where(
        StageParticipant.participation_id.in_(participation_ids))).all()}
    awards: dict[int, list[Award]] = defaultdict(list)
    for award in db.session.scalars(select(Award).where(Award.participation_id.in_(participation_ids))):
        awards[award.participation_id].append(award)
    labels = status_labels()
    overview = []
    for participation, contest, division in rows:
        contest_stages_ = stages[contest.id]
        current = current_stage(contest_stages_, now)
        status = ""
        if current is not None:
            result = results.get((current.id, participation.id))
            admitted_here = (current.kind == StageKind.REGISTRATION or is_first_competitive(current, contest_stages_)
                             or (current.id, participation.id) in admitted)
            if result is not None and (result.status in (ResultStatus.ADVANCED, ResultStatus.ELIMINATED)
                                       or current.results_published_at is not None):
                status = labels[result.status]
            elif not admitted_here:
                status = str(_("not admitted"))
            elif (current.id, participation.id) in entries:
                status = str(_("entry submitted"))
            elif current.kind == StageKind.REGISTRATION:
                status = str(_("registered"))
            else:
                status = str(_("admitted"))
        overview.append(ParticipantContest(contest, participation, division, current, status,
                                           awards[participation.id]))
    return overview


def count_stage_entries(stage_ids: list[int]) -> dict[int, int]:
    if not stage_ids:
        return {}
    return dict(db.session.execute(select(Entry.stage_id, func.count()).where(
        Entry.stage_id.in_(stage_ids), Entry.is_current.is_(True)).group_by(Entry.stage_id)).all())
