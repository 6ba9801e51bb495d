"""Jury room: a final's demo lessons opened to colleagues. When the organiser opens the schedule,
each demo-lesson slot becomes an open lesson of the network calendar (community/events/open_lessons)
that colleagues register to watch; the jury scores exactly as before.

A blind stage is never opened (a finalist's name is in the lesson's title and the lesson itself shows
who gives it); a stage made blind later is closed again. The schedule's services call
`follow_slots` / `forget_slot` inside their transactions, so the calendar follows every slot change.
"""

from __future__ import annotations

from sqlalchemy import select

from app import audit
from app.accounts import User
from app.domain_errors import Conflict
from app.extensions import db
from app.i18n import _, force_locale
from community.events import open_lessons as calendar
from community.events.messages import text
from community.rules import RuleError
from contest_engine.jury.models import DemoSlot, JuryConfig
from contest_engine.models import Contest, ContestOrganiser, Participation, Stage


def set_open(stage: Stage, is_open: bool, *, actor: User) -> JuryConfig:
    """The organiser's switch. Opening a blind stage is refused (409); closing withdraws the lessons
    (cancelled where colleagues had registered)."""
    config = db.session.get(JuryConfig, stage.id) or JuryConfig(stage_id=stage.id, blind=False)
    if is_open and config.blind:
        raise Conflict(text(RuleError("open_blind")))
    if config not in db.session:
        db.session.add(config)
    config.open_to_colleagues = is_open
    db.session.flush()
    follow_slots(stage)
    audit.record(
        "jury.demo_lessons_opened" if is_open else "jury.demo_lessons_closed",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
    )
    db.session.commit()
    return config


def follow_slots(stage: Stage) -> None:
    """Bring the stage's open lessons in step with its slots (flushes; the caller commits): one event
    per slot while the stage is open and not blind, none otherwise."""
    config = db.session.get(JuryConfig, stage.id)
    slots = db.session.execute(
        select(DemoSlot, User.id, User.full_name)
        .outerjoin(Participation, Participation.id == DemoSlot.participation_id)
        .outerjoin(User, User.id == Participation.user_id)
        .where(DemoSlot.stage_id == stage.id)
        .order_by(DemoSlot.starts_at, DemoSlot.id)
    ).all()
    if config is None or not config.open_to_colleagues or config.blind:
        if config is not None and config.blind:
            config.open_to_colleagues = False
        calendar.withdraw_open_lessons(slot.id for slot, _id, _name in slots)
        return
    contest = db.session.get_one(Contest, stage.contest_id)
    organisers = list(
        db.session.scalars(select(ContestOrganiser.user_id).where(ContestOrganiser.contest_id == contest.id))
    )
    description = _description(contest, stage)  # the same for every slot of the stage
    for slot, finalist_id, finalist_name in slots:
        calendar.put_open_lesson(
            calendar.OpenLesson(
                slot_id=slot.id,
                title=_title(contest, finalist_name),
                description=description,
                starts_at=slot.starts_at,
                duration_minutes=slot.duration_minutes,
                location=slot.location,
                timezone=contest.timezone,
                host_ids=organisers,
                speaker_id=finalist_id,
                created_by_id=organisers[0] if organisers else None,
            )
        )


def forget_slot(slot: DemoSlot) -> None:
    """A slot about to be deleted takes its open lesson with it (flushes; the caller commits)."""
    calendar.withdraw_open_lessons([slot.id])


def _title(contest: Contest, finalist_name: str | None) -> str:
    """Stored in Russian, the site's language, as every event title is written by a person."""
    with force_locale("ru"):
        if finalist_name:
            return _(
                "Open lesson: %(name)s, finalist of «%(contest)s»", name=finalist_name, contest=contest.title
            )
        return _("Open lesson of the final of «%(contest)s»", contest=contest.title)


def _description(contest: Contest, stage: Stage) -> str:
    with force_locale("ru"):
        return _(
            "A demo lesson of the stage «%(stage)s» of the contest «%(contest)s», open to colleagues: "
            "register to watch it. The contest's jury scores the lesson; viewers take no part in the "
            "scoring.",
            stage=stage.title,
            contest=contest.title,
        )
