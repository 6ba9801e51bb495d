"""Jury room: who sits on a stage's jury — adding a user, inviting by e-mail (with the letter, in
the juror's language, written in the same transaction), removing, listing. Writes jurors only."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.account_services import create_user, find_user_by_email, make_reset_token
from app.accounts import Role, User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _, force_locale
from app.mail import send_mail
from app.notifications import notify
from contest_engine.jury.models import JuryAssignment, ScoreSheet, StageJuror
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Contest, Division, Stage
from contest_engine.rules.stages import StageKind


@dataclass
class Invitation:
    juror: StageJuror
    user: User
    new_account: bool
    reset_token: str | None = None  # a new account's set-password token (it is in the letter)


def add_stage_juror(
    stage: Stage, user: User, *, division_id: int | None = None, is_chair: bool = False, actor: User | None
) -> StageJuror:
    """Make an existing user a juror of a jury stage (optionally of one section). Their institution
    is frozen on the juror row now: later edits of their profile do not move the conflict check."""
    juror = _seat(stage, user, division_id=division_id, is_chair=is_chair, actor=actor)
    db.session.commit()
    return juror


def invite_juror(
    stage: Stage,
    *,
    email: str,
    full_name: str,
    division_id: int | None = None,
    is_chair: bool = False,
    actor: User,
    queue_url: str,
    set_password_url: Callable[[str], str],
) -> Invitation:
    """Invite by e-mail: an existing account is added; otherwise a juror account is created without a
    usable password. The letter (with a set-password link for a new account: `set_password_url(token)`)
    is written in the invitee's language and commits with the invitation, or not at all."""
    user = find_user_by_email(email)
    new_account = user is None
    if user is None:
        if not full_name.strip():
            message = _("Enter the full name.")
            raise Invalid(message, {"full_name": message})
        user = create_user(
            email=email,
            full_name=full_name,
            password=secrets.token_urlsafe(24),
            role=Role.JUROR,
            actor=actor,
            commit=False,
        )
    juror = _seat(stage, user, division_id=division_id, is_chair=is_chair, actor=actor)
    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    reset_token = make_reset_token(user) if new_account else None
    with force_locale(user.locale or "ru"):
        lines = [
            _(
                "You are invited to the jury of “%(contest)s”, stage “%(stage)s”.",
                contest=contest.title,
                stage=stage.title,
            )
        ]
        if reset_token:
            lines.append(_("An account was created for you. Set your password here:"))
            lines.append(set_password_url(reset_token))
        lines.append(_("Your queue of entries to score: %(url)s", url=queue_url))
        send_mail(user.email, _("Invitation to the jury"), "\n\n".join(lines))
    db.session.commit()
    return Invitation(juror, user, new_account, reset_token)


def remove_stage_juror(juror: StageJuror, *, actor: User) -> None:
    """Only a juror with no saved scores can be removed (their work must not vanish)."""
    if db.session.scalar(
        select(exists().where(ScoreSheet.stage_id == juror.stage_id, ScoreSheet.juror_id == juror.user_id))
    ):
        raise Conflict(_("This juror has already scored entries and cannot be removed."))
    stage = db.session.get(Stage, juror.stage_id)
    db.session.execute(
        delete(JuryAssignment).where(
            JuryAssignment.stage_id == juror.stage_id, JuryAssignment.juror_id == juror.user_id
        )
    )
    db.session.delete(juror)
    audit.record(
        "jury.juror_removed",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id if stage else None,
        object_type="user",
        object_id=juror.user_id,
        details={"stage_id": juror.stage_id},
    )
    refresh_standing(juror.stage_id)
    db.session.commit()


def stage_jurors(stage_id: int) -> list[tuple[StageJuror, User]]:
    rows = db.session.execute(
        select(StageJuror, User)
        .join(User, User.id == StageJuror.user_id)
        .where(StageJuror.stage_id == stage_id)
        .order_by(User.full_name, User.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _seat(
    stage: Stage, user: User, *, division_id: int | None, is_chair: bool, actor: User | None
) -> StageJuror:
    """The juror row, the juror's notification and the audit entry (flushed; the caller commits)."""
    if stage.kind != StageKind.JURY and not stage.has_jury:
        raise Conflict(_("Jurors can only be invited to a stage judged by a jury."))
    if not user.active:
        message = _("This user is deactivated.")
        raise Invalid(message, {"user_id": message})
    _check_division(stage, division_id)
    if db.session.scalar(
        select(exists().where(StageJuror.stage_id == stage.id, StageJuror.user_id == user.id))
    ):
        raise Conflict(_("%(name)s is already a juror of this stage.", name=user.full_name))
    juror = StageJuror(
        stage_id=stage.id,
        user_id=user.id,
        division_id=division_id,
        is_chair=is_chair,
        institution_id=user.institution_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(juror)
    except IntegrityError:
        raise Conflict(_("%(name)s is already a juror of this stage.", name=user.full_name)) from None
    notify(
        user.id, _("You are a juror of “%(stage)s”.", stage=stage.title), f"/jury/stages/{stage.id}/schedule"
    )
    audit.record(
        "jury.juror_added",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="user",
        object_id=user.id,
        details={"stage_id": stage.id, "division_id": division_id, "institution_id": user.institution_id},
    )
    return juror


def _check_division(stage: Stage, division_id: int | None) -> None:
    if division_id is None:
        return
    division = db.session.get(Division, division_id)
    if division is None or division.contest_id != stage.contest_id:
        message = _("No such section in this contest.")
        raise Invalid(message, {"division_id": message})
