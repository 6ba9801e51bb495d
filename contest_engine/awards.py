"""Contest room: awards — each division of the final stage is awarded by the contest's ordered
rules and quota, read from the final's standings, with a verifiable diploma per award."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update

from app import audit
from app.accounts import User
from app.certificates import Certificate, CertificateKind, issue
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.clock import run_clock
from contest_engine.messages import award_problem
from contest_engine.models import Award, Contest, Division, Participation
from contest_engine.queries import (
    OPEN_STATES,
    contest_divisions,
    contest_stages,
    final_stage,
    names_by_participation,
)
from contest_engine.result_rows import stored_score
from contest_engine.rules import awards as award_rules
from contest_engine.standings import standings


@dataclass
class AwardItem:
    participation_id: int
    division: str
    award: str
    rank: int | None
    score: Decimal | None
    certificate_code: str | None
    full_name: str = ""


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
        raise Invalid(award_problem(error), {"awards": award_problem(error)}) from None
    if not parsed:
        raise Invalid(_("The contest has no award rules."), {"awards": _("The contest has no award rules.")})
    scores = standings(final, stages)
    participations = scores.participations
    if scores.blocked:
        raise Conflict(_("Some entries are still missing jury scores: awards wait for them."))
    divisions = {d.id: d for d in contest_divisions(contest.id)}
    users = names_by_participation(contest.id)
    user_ids = {p.id: p.user_id for p in participations}
    existing = {
        a.participation_id: a for a in db.session.scalars(select(Award).where(Award.contest_id == contest.id))
    }
    grouped = scores.by_division()
    items: list[AwardItem] = []
    awarded: set[int] = set()
    for division_id, members in sorted(grouped.items(), key=lambda kv: divisions[kv[0]].position):
        try:
            results = award_rules.compute_awards(
                [(p.id, scores.scores.get(p.id)) for p in members],
                parsed,
                max_score=scores.max_score,
                quota_percent=contest.award_quota_percent,
                time_used={p.id: scores.time_used.get(p.id, 0) for p in members}
                if final.tiebreak_by_time
                else None,
                ranked=scores.ranked.get(division_id, []),
            )
        except award_rules.AwardRuleError as error:
            raise Invalid(award_problem(error), {"awards": award_problem(error)}) from None
        for result in results:
            if result.award is None:
                continue
            score = result.score
            score_decimal = stored_score(score) if score is not None else None
            award = existing.get(result.participant_id)
            if award is None:
                award = Award(
                    contest_id=contest.id,
                    participation_id=result.participant_id,
                    division_id=division_id,
                    title=result.award,
                )
                db.session.add(award)
            award.title, award.rank, award.score, award.computed_at = (
                result.award,
                result.rank,
                score_decimal,
                now,
            )
            award.division_id = division_id
            db.session.flush()
            certificate = issue(
                kind=CertificateKind.DIPLOMA,
                user_id=user_ids[result.participant_id],
                holder=users[result.participant_id],
                title=f"{result.award} — {contest.title}",
                source_type="award",
                source_id=award.id,
                details=f"{divisions[division_id].name}; {final.title}",
                now=now,
            )
            certificate.revoked_at = None
            award.certificate_code = certificate.code
            awarded.add(result.participant_id)
            items.append(
                AwardItem(
                    result.participant_id,
                    divisions[division_id].name,
                    result.award,
                    result.rank,
                    score_decimal,
                    certificate.code,
                    users[result.participant_id],
                )
            )
    stale = [a for pid, a in existing.items() if pid not in awarded]
    if stale:
        stale_ids = [a.id for a in stale]
        db.session.execute(
            update(Certificate)
            .where(Certificate.source_type == "award", Certificate.source_id.in_(stale_ids))
            .values(revoked_at=now)
        )
        for award in stale:
            db.session.delete(award)
    contest.awards_computed_at = now
    audit.record(
        "awards.computed",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        details={"awarded": len(items), "withdrawn": len(stale)},
    )
    db.session.commit()
    return items


def contest_awards(contest_id: int, *, division_id: int | None = None) -> list[AwardItem]:
    query = (
        select(Award, Division.name, User.full_name)
        .join(Division, Division.id == Award.division_id)
        .join(Participation, Participation.id == Award.participation_id)
        .join(User, User.id == Participation.user_id)
        .where(Award.contest_id == contest_id)
        .order_by(Division.position, Award.rank.is_(None), Award.rank, User.full_name)
    )
    if division_id:
        query = query.where(Award.division_id == division_id)
    return [
        AwardItem(a.participation_id, division, a.title, a.rank, a.score, a.certificate_code, name)
        for a, division, name in db.session.execute(query).all()
    ]
