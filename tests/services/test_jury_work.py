"""Jury services around scoring: jurors and their letters, conflicts, allocation, progress,
certificates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import Role
from app.certificates import find
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import force_locale
from app.mail import OutgoingMail
from app.notifications import Notification
from contest_engine.jury import conflicts
from contest_engine.jury.access import is_stage_juror
from contest_engine.jury.assignment import allocate_stage, move_assignment, stage_assignments
from contest_engine.jury.certificates import issue_jury_certificates
from contest_engine.jury.jurors import add_stage_juror, invite_juror, remove_stage_juror, stage_jurors
from contest_engine.jury.models import (
    ConflictSource,
    JuryAssignment,
    StageJuror,
)
from contest_engine.jury.progress import jury_progress, remind_late_jurors
from contest_engine.jury.setup import jury_config
from contest_engine.jury.sheets import save_scores
from tests.factories.accounts import juror, teacher
from tests.factories.contests import DivisionFactory
from tests.factories.jury import jury_stage, make_colleagues

NOW = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
LINKS = {
    "queue_url": "http://localhost/jury/",
    "set_password_url": lambda token: f"http://localhost/reset/{token}",
}
FULL = {"Содержание": 8, "Методика": 4}


def _pairs(stage_id: int) -> set[tuple[int, int]]:
    return {(a.juror_id, a.entry_id) for a in stage_assignments(stage_id)}


def test_allocate_all_jurors_skips_same_institution(app) -> None:
    built = jury_stage(entries=3, jurors=2, allocate=False)
    make_colleagues(built, built.jurors[0], built.participants[0])
    db.session.commit()
    allocate_stage(built.stage, actor=built.organiser)
    pairs = _pairs(built.stage.id)
    assert (built.jurors[0].id, built.entries[0].id) not in pairs
    assert len(pairs) == 5


def test_allocate_k_per_entry_balances_load(app) -> None:
    built = jury_stage(entries=6, jurors=4, jurors_per_entry=2, allocate=False)
    allocate_stage(built.stage, actor=built.organiser)
    loads = db.session.execute(
        select(JuryAssignment.juror_id, func.count()).group_by(JuryAssignment.juror_id)
    ).all()
    assert sorted(count for _, count in loads) == [3, 3, 3, 3]


def test_allocation_with_too_few_non_conflicted_jurors_says_why(app) -> None:
    built = jury_stage(entries=2, jurors=2, jurors_per_entry=2, allocate=False)
    conflicts.declare_conflict(
        built.contest.id,
        built.jurors[0].id,
        built.participations[1].id,
        source=ConflictSource.DECLARED_BY_ORGANISER,
        actor=built.organiser,
    )
    with pytest.raises(Conflict) as caught:
        allocate_stage(built.stage, actor=built.organiser)
    assert f"№ {built.entries[1].id}:" in caught.value.message and "нужно — 2" in caught.value.message
    assert _pairs(built.stage.id) == set()


def test_allocation_per_section(app) -> None:
    built = jury_stage(entries=2, jurors=2, allocate=False)
    other = DivisionFactory(contest=built.contest)
    built.participations[1].division_id = other.id
    db.session.execute(
        StageJuror.__table__.update()
        .where(StageJuror.user_id == built.jurors[0].id)
        .values(division_id=built.division.id)
    )
    db.session.execute(
        StageJuror.__table__.update()
        .where(StageJuror.user_id == built.jurors[1].id)
        .values(division_id=other.id)
    )
    db.session.commit()
    allocate_stage(built.stage, actor=built.organiser)
    assert _pairs(built.stage.id) == {
        (built.jurors[0].id, built.entries[0].id),
        (built.jurors[1].id, built.entries[1].id),
    }


def test_allocation_without_jurors_is_refused(app) -> None:
    built = jury_stage(entries=1, jurors=0, allocate=False)
    with pytest.raises(Conflict):
        allocate_stage(built.stage, actor=built.organiser)


def test_declared_conflict_withdraws_the_assignment_and_twice_is_refused(app) -> None:
    built = jury_stage(entries=1, jurors=2)
    conflicts.declare_conflict(
        built.contest.id,
        built.jurors[0].id,
        built.participations[0].id,
        source=ConflictSource.DECLARED_BY_JUROR,
        actor=built.jurors[0],
    )
    assert _pairs(built.stage.id) == {(built.jurors[1].id, built.entries[0].id)}
    with pytest.raises(Conflict):
        conflicts.declare_conflict(
            built.contest.id,
            built.jurors[0].id,
            built.participations[0].id,
            source=ConflictSource.DECLARED_BY_ORGANISER,
            actor=built.organiser,
        )
    with pytest.raises(Invalid):
        conflicts.declare_conflict(
            built.contest.id,
            built.jurors[0].id,
            999999,
            source=ConflictSource.DECLARED_BY_ORGANISER,
            actor=built.organiser,
        )


def test_move_assignment_checks_conflicts_and_scores(app) -> None:
    built = jury_stage(entries=1, jurors=3, jurors_per_entry=1)
    assignment = stage_assignments(built.stage.id)[0]
    make_colleagues(built, built.jurors[1], built.participants[0])
    db.session.commit()
    with pytest.raises(Invalid):
        move_assignment(assignment, built.jurors[1].id, actor=built.organiser)
    move_assignment(assignment, built.jurors[2].id, actor=built.organiser)
    assert _pairs(built.stage.id) == {(built.jurors[2].id, built.entries[0].id)}
    save_scores(built.entries[0], built.jurors[2], FULL, "", submit=True, now=NOW)
    with pytest.raises(Conflict):
        move_assignment(assignment, built.jurors[0].id, actor=built.organiser)


def test_invite_new_juror_by_email_creates_an_account_with_a_reset_token(app) -> None:
    built = jury_stage(entries=0, jurors=0)
    invitation = invite_juror(
        built.stage, email="New.Juror@Example.org", full_name="Новый Эксперт", actor=built.organiser, **LINKS
    )
    assert invitation.new_account and invitation.reset_token
    assert invitation.user.role == Role.JUROR and invitation.user.email == "new.juror@example.org"
    from app.account_services import user_for_reset_token

    assert user_for_reset_token(invitation.reset_token).id == invitation.user.id
    with pytest.raises(Conflict):
        invite_juror(built.stage, email="new.juror@example.org", full_name="", actor=built.organiser, **LINKS)
    existing = teacher()
    db.session.commit()
    again = invite_juror(built.stage, email=existing.email, full_name="", actor=built.organiser, **LINKS)
    assert not again.new_account and again.reset_token is None
    with pytest.raises(Invalid):
        invite_juror(built.stage, email="x@example.org", full_name="  ", actor=built.organiser, **LINKS)
    with pytest.raises(Invalid):
        add_stage_juror(built.stage, juror(), division_id=999999, actor=built.organiser)


def test_progress_marks_late_jurors_and_reminds_them(app) -> None:
    built = jury_stage(entries=2, jurors=2)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=NOW)
    save_scores(built.entries[1], built.jurors[0], FULL, "", submit=True, now=NOW)
    save_scores(built.entries[0], built.jurors[1], {"Содержание": 1}, "", submit=False, now=NOW)
    config = jury_config(built.stage)
    config.scoring_due_at = NOW
    db.session.commit()
    progress = {p.user_id: p for p in jury_progress(built.stage, NOW + timedelta(hours=1))}
    assert progress[built.jurors[0].id].late is False and progress[built.jurors[0].id].submitted == 2
    assert progress[built.jurors[1].id].late is True and progress[built.jurors[1].id].drafts == 1
    late = remind_late_jurors(
        built.stage, actor=built.organiser, now=NOW + timedelta(hours=1), queue_url=LINKS["queue_url"]
    )
    assert [p.user_id for p in late] == [built.jurors[1].id]
    assert (
        db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == built.jurors[1].id)
        )
        == 1
    )


def _letters_to(address: str) -> list[OutgoingMail]:
    return list(
        db.session.scalars(
            select(OutgoingMail).where(OutgoingMail.to_address == address).order_by(OutgoingMail.id)
        )
    )


def test_invitation_letter_commits_with_the_invitation_in_the_invitees_language(app) -> None:
    """The letter is an outbox row of the invitation's own transaction: a refused invitation
    writes none, an accepted one writes it in the invitee's language with both links."""
    built = jury_stage(entries=0, jurors=0)
    english = teacher(locale="en")
    db.session.commit()
    with pytest.raises(Invalid):
        invite_juror(built.stage, email="nobody@example.org", full_name=" ", actor=built.organiser, **LINKS)
    with pytest.raises(Invalid):
        invite_juror(
            built.stage, email=english.email, full_name="", division_id=999999, actor=built.organiser, **LINKS
        )
    db.session.rollback()
    assert _letters_to("nobody@example.org") == [] and _letters_to(english.email) == []
    invite_juror(built.stage, email=english.email, full_name="", actor=built.organiser, **LINKS)
    with pytest.raises(Conflict):
        invite_juror(built.stage, email=english.email, full_name="", actor=built.organiser, **LINKS)
    invitation = invite_juror(
        built.stage, email="new.one@example.org", full_name="Новый Эксперт", actor=built.organiser, **LINKS
    )
    [letter] = _letters_to(english.email)
    assert letter.subject == "Invitation to the jury" and "http://localhost/jury/" in letter.body
    assert "reset" not in letter.body
    [new_letter] = _letters_to("new.one@example.org")
    assert new_letter.subject == "Приглашение в жюри"
    assert f"http://localhost/reset/{invitation.reset_token}" in new_letter.body


def test_each_reminder_is_in_its_jurors_language(app) -> None:
    """The organiser's language does not leak into the jurors' letters and notifications."""
    built = jury_stage(entries=1, jurors=2)
    built.jurors[0].locale, built.jurors[1].locale = "en", "ru"
    config = jury_config(built.stage)
    config.scoring_due_at = NOW
    db.session.commit()
    with force_locale("en"):
        late = remind_late_jurors(
            built.stage, actor=built.organiser, now=NOW + timedelta(hours=1), queue_url=LINKS["queue_url"]
        )
    assert {p.user_id for p in late} == {u.id for u in built.jurors}
    [english] = _letters_to(built.jurors[0].email)
    [russian] = _letters_to(built.jurors[1].email)
    assert english.subject == "Reminder: scores are waiting" and "waiting for your scores" in english.body
    assert russian.subject != english.subject and "waiting" not in russian.body
    assert "http://localhost/jury/" in english.body and "http://localhost/jury/" in russian.body
    texts = dict(
        db.session.execute(
            select(Notification.user_id, Notification.text).where(
                Notification.user_id.in_([u.id for u in built.jurors]),
                Notification.text.contains("Reminder") | Notification.text.contains("Напомин"),
            )
        ).all()
    )
    assert texts[built.jurors[0].id].startswith("Reminder") and not texts[built.jurors[1].id].startswith(
        "Reminder"
    )


def test_jury_certificates_are_issued_once_and_verify(app) -> None:
    built = jury_stage(entries=1, jurors=2)
    with pytest.raises(Conflict):
        issue_jury_certificates(built.stage, actor=built.organiser, now=NOW)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=NOW)
    first = issue_jury_certificates(built.stage, actor=built.organiser, now=NOW)
    again = issue_jury_certificates(built.stage, actor=built.organiser, now=NOW)
    assert [c.code for c in first] == [c.code for c in again] and len(first) == 1
    assert find(first[0].code).holder == built.jurors[0].full_name


def test_juror_sees_names_only_when_not_blind(app) -> None:
    from app.permissions.jury import can_see_names

    blind = jury_stage(entries=0, jurors=1, blind=True)
    open_ = jury_stage(entries=0, jurors=1)
    assert can_see_names(blind.jurors[0], blind.stage) is False
    assert can_see_names(blind.organiser, blind.stage) is True
    assert can_see_names(open_.jurors[0], open_.stage) is True


def test_remove_juror_refused_after_scoring(app) -> None:
    built = jury_stage(entries=1, jurors=2)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=NOW)
    rows = {j.user_id: j for j, _ in stage_jurors(built.stage.id)}
    with pytest.raises(Conflict):
        remove_stage_juror(rows[built.jurors[0].id], actor=built.organiser)
    remove_stage_juror(rows[built.jurors[1].id], actor=built.organiser)
    assert not is_stage_juror(built.jurors[1].id, built.stage.id)
