"""Jury integrity (issue 9): frozen juror institutions and conflict rechecks, scores that follow a
resubmitted entry, and one audit row per real change under concurrent scores and advancement."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.domain_errors import Forbidden, Invalid
from app.extensions import db
from app.notifications import Notification
from contest_engine import advancing, entries
from contest_engine.jury import conflicts
from contest_engine.jury.access import is_conflicted, scoring_standing
from contest_engine.jury.assignment import allocate_stage
from contest_engine.jury.jurors import add_stage_juror
from contest_engine.jury.models import ConflictSource, JuryAssignment, ScoreSheet, SheetState, StageJuror
from contest_engine.jury.scores import stage_scores
from contest_engine.jury.sheets import save_scores, sheet_for
from contest_engine.jury.work import juror_queue_query
from contest_engine.models import Entry, Stage, StageParticipant
from contest_engine.rules.stages import StageKind, StageState
from tests.factories.accounts import InstitutionFactory, juror, teacher
from tests.factories.contests import (
    T0,
    DivisionFactory,
    ParticipationFactory,
    StageFactory,
    contest_with_organiser,
)
from tests.factories.jury import jury_stage

NOW = T0 + timedelta(days=1)  # jury_stage's stage is open from T0 for a week
FULL = {"Содержание": 8, "Методика": 4}


def _colleague_of_first_participant(built: Any) -> Any:
    """A juror who joins from the first participant's institution, assigned to their entry anyway
    (as a stale allocation would have it)."""
    colleague = juror(institution=built.participants[0].institution)
    add_stage_juror(built.stage, colleague, actor=built.organiser)
    db.session.add(
        JuryAssignment(stage_id=built.stage.id, entry_id=built.entries[0].id, juror_id=colleague.id)
    )
    db.session.commit()
    return colleague


# --- item 6: conflicts of interest --------------------------------------------------------------


def test_juror_institution_is_frozen_when_they_join(app) -> None:
    built = jury_stage(entries=1, jurors=0)
    colleague = _colleague_of_first_participant(built)
    row = db.session.scalar(select(StageJuror).where(StageJuror.user_id == colleague.id))
    assert row.institution_id == built.participants[0].institution_id


def test_editing_the_profile_after_joining_keeps_the_conflict(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    colleague = _colleague_of_first_participant(built)
    colleague.institution = InstitutionFactory()  # the juror "moves" in their profile
    db.session.commit()
    assert is_conflicted(colleague.id, built.entries[0]) is True
    with pytest.raises(Forbidden) as refused:
        save_scores(built.entries[0], colleague, FULL, "", submit=True, now=NOW)
    assert any(words in refused.value.message for words in ("conflict of interest", "конфликт интересов"))
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0
    # A re-allocation never hands the colleague's entry back to them.
    db.session.execute(JuryAssignment.__table__.delete())
    db.session.commit()
    allocate_stage(db.session.get(Stage, built.stage.id), actor=built.organiser)
    assert set(db.session.scalars(select(JuryAssignment.juror_id))) == {built.jurors[0].id}


def test_moving_into_a_colleagues_institution_after_joining_is_no_conflict_by_profile(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    built.jurors[0].institution = built.participants[0].institution
    db.session.commit()
    assert is_conflicted(built.jurors[0].id, built.entries[0]) is False


def test_a_non_juror_cannot_declare_a_conflict(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    outsider = teacher()
    db.session.commit()
    with pytest.raises(Forbidden):
        conflicts.declare_conflict(
            built.contest.id,
            outsider.id,
            built.participations[0].id,
            source=ConflictSource.DECLARED_BY_JUROR,
            actor=outsider,
        )
    with pytest.raises(Forbidden):  # nor for someone else
        conflicts.declare_conflict(
            built.contest.id,
            built.jurors[0].id,
            built.participations[0].id,
            source=ConflictSource.DECLARED_BY_JUROR,
            actor=outsider,
        )
    with pytest.raises(Invalid) as caught:  # the organiser names jurors of this contest only
        conflicts.declare_conflict(
            built.contest.id,
            outsider.id,
            built.participations[0].id,
            source=ConflictSource.DECLARED_BY_ORGANISER,
            actor=built.organiser,
        )
    assert "juror_id" in caught.value.fields
    # The juror's own declaration still works and withdraws the assignment.
    conflicts.declare_conflict(
        built.contest.id,
        built.jurors[0].id,
        built.participations[0].id,
        source=ConflictSource.DECLARED_BY_JUROR,
        actor=built.jurors[0],
    )
    assert scoring_standing(built.jurors[0].id, built.entries[0]) == (False, True)


# --- item 7: a resubmitted entry -----------------------------------------------------------------


def _resubmit(built: Any, index: int = 0) -> Entry:
    return entries.submit_entry(
        db.session.get(Stage, built.stage.id),
        built.participations[index],
        text="Исправленная версия",
        actor=built.participants[index],
        now=NOW,
    )


def test_new_version_before_scoring_takes_over_the_assignments(app) -> None:
    built = jury_stage(entries=1, jurors=2)
    old_id = built.entries[0].id
    new = _resubmit(built)
    assigned = set(db.session.scalars(select(JuryAssignment.entry_id)))
    assert assigned == {new.id} and old_id not in assigned
    queue = db.session.execute(juror_queue_query(built.jurors[0].id)).all()
    assert [row[0] for row in queue] == [new.id]
    assert scoring_standing(built.jurors[0].id, new) == (True, False)


def test_new_version_after_scoring_goes_back_to_its_jurors(app) -> None:
    built = jury_stage(entries=1, jurors=2)
    for person in built.jurors:
        save_scores(built.entries[0], person, FULL, "", submit=True, now=NOW)
    participation_id = built.participations[0].id
    assert participation_id in stage_scores(db.session.get(Stage, built.stage.id)).scores
    new = _resubmit(built)
    sheets = list(db.session.scalars(select(ScoreSheet)))
    assert {s.entry_id for s in sheets} == {new.id}
    assert {s.state for s in sheets} == {SheetState.DRAFT} and all(s.weighted_total is None for s in sheets)
    _, points = sheet_for(new.id, built.jurors[0].id)
    assert len(points) == 2  # kept as the juror's starting point
    # Each juror is told; the audit log says so; the entry is blocked, never silently ignored.
    told = set(db.session.scalars(select(Notification.user_id)))
    assert {u.id for u in built.jurors} <= told
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "jury.entry_sent_back")
        )
        == 1
    )
    scores = stage_scores(db.session.get(Stage, built.stage.id))
    assert participation_id not in scores.scores
    assert [(b.entry_id, sorted(b.missing_jurors)) for b in scores.blocked] == [
        (new.id, sorted(u.id for u in built.jurors))
    ]
    # Submitting again on the new version counts.
    for person in built.jurors:
        save_scores(db.session.get(Entry, new.id), person, FULL, "", submit=True, now=NOW)
    assert participation_id in stage_scores(db.session.get(Stage, built.stage.id)).scores


def test_entry_without_any_juror_blocks_advancement(app) -> None:
    built = jury_stage(entries=2, jurors=1, allocate=False)
    allocate_stage(db.session.get(Stage, built.stage.id), actor=built.organiser)
    db.session.execute(
        JuryAssignment.__table__.delete().where(JuryAssignment.entry_id == built.entries[1].id)
    )
    db.session.commit()
    scores = stage_scores(db.session.get(Stage, built.stage.id))
    assert [b.entry_id for b in scores.blocked] == [e.id for e in built.entries]


# --- item 12c: one audit row per real change -------------------------------------------------------


def _run_in_threads(app: Any, work: Any, count: int) -> list[Any]:
    outcomes: list[Any] = []

    def run() -> None:
        with app.app_context():
            try:
                outcomes.append(work())
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    db.session.commit()  # end the main thread's transaction: SQLite's writers queue on BEGIN IMMEDIATE
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _audit_count(*actions: str) -> int:
    return int(
        db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(actions)))
    )


def test_concurrent_identical_score_submits_write_one_audit_row(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    entry_id, juror_id = built.entries[0].id, built.jurors[0].id

    def submit() -> Any:
        from app.accounts import User

        return save_scores(
            db.session.get(Entry, entry_id), db.session.get(User, juror_id), FULL, "", submit=True, now=NOW
        ).id

    outcomes = _run_in_threads(app, submit, 4)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert _audit_count("jury.score_submitted", "jury.score_changed") == 1
    # A real change afterwards is audited once more.
    from app.accounts import User

    save_scores(
        db.session.get(Entry, entry_id),
        db.session.get(User, juror_id),
        {"Содержание": 9, "Методика": 4},
        "",
        submit=True,
        now=NOW,
    )
    assert _audit_count("jury.score_changed") == 1


def test_concurrent_advance_writes_one_audit_row(app) -> None:
    contest, owner = contest_with_organiser()
    division = DivisionFactory(contest=contest)
    first = StageFactory(contest=contest, position=1, kind=StageKind.SUBMISSION, state=StageState.CLOSED)
    second = StageFactory(
        contest=contest,
        position=2,
        kind=StageKind.SUBMISSION,
        state=StageState.SCHEDULED,
        opens_at=T0 + timedelta(days=8),
    )
    for _ in range(3):
        participation = ParticipationFactory(contest=contest, division=division)
        db.session.flush()
        db.session.add(
            Entry(stage_id=first.id, participation_id=participation.id, text="эссе", submitted_at=T0)
        )
    db.session.commit()
    stage_id, owner_id = first.id, owner.id
    moment = T0 + timedelta(days=7, hours=1)

    def confirm() -> Any:
        from app.accounts import User

        return advancing.confirm_advancement(
            db.session.get(Stage, stage_id), actor=db.session.get(User, owner_id), now=moment
        ).advanced

    outcomes = _run_in_threads(app, confirm, 4)
    assert all(isinstance(o, list) and len(o) == 3 for o in outcomes), outcomes
    assert _audit_count("stage.advanced") == 1
    assert (
        db.session.scalar(
            select(func.count()).select_from(StageParticipant).where(StageParticipant.stage_id == second.id)
        )
        == 3
    )
