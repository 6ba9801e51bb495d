"""The contest's attempt policy (contest_engine/olympiad.py), asked on every start of an olympiad
round: who may start, when, and the deadline cap, decided from one statement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.extensions import db
from app.i18n import _
from contest_engine.olympiad import contest_attempt_policy
from contest_engine.rules.stages import StageKind, StageState
from courses.quiz.banks import create_bank
from courses.quiz.models import Quiz
from tests.factories.accounts import student
from tests.factories.contests import (
    T0,
    ContestFactory,
    ParticipationFactory,
    StageFactory,
    StageParticipantFactory,
)

OPEN = T0 + timedelta(hours=1)


def _quiz(bank_id: int) -> Quiz:
    quiz = Quiz(bank_id=bank_id, title="Тур")
    db.session.add(quiz)
    db.session.flush()
    return quiz


def _contest(app: Any) -> dict[str, Any]:
    """Registration, a first round, a second round (for those who advanced), a teacher's stage."""
    contest = ContestFactory()
    db.session.flush()
    bank = create_bank("contest", contest.id, contest.title)
    first_quiz, second_quiz = _quiz(bank.id), _quiz(bank.id)
    kinds = [
        (StageKind.REGISTRATION, None),
        (StageKind.OLYMPIAD, first_quiz),
        (StageKind.OLYMPIAD, second_quiz),
    ]
    stages = [
        StageFactory(
            contest=contest,
            position=n,
            kind=kind,
            state=StageState.SCHEDULED,
            quiz_id=quiz.id if quiz else None,
            opens_at=T0,
            closes_at=T0 + timedelta(days=1),
        )
        for n, (kind, quiz) in enumerate(kinds, start=1)
    ]
    pupil = student()
    participation = ParticipationFactory(contest=contest, user=pupil)
    db.session.flush()
    return {
        "pupil": pupil,
        "participation": participation,
        "first": first_quiz,
        "second": second_quiz,
        "second_stage": stages[2],
    }


def test_a_registered_pupil_starts_the_first_round_until_the_stage_closes(app: Any) -> None:
    data = _contest(app)
    policy = contest_attempt_policy(data["pupil"], data["first"], OPEN)
    assert policy.allowed and policy.deadline_cap == T0 + timedelta(days=1)


def test_a_later_round_admits_only_those_who_advanced(app: Any) -> None:
    data = _contest(app)
    refused = contest_attempt_policy(data["pupil"], data["second"], OPEN)
    assert (
        not refused.allowed
        and not refused.forbidden
        and refused.reason == _("You did not advance to this round.")
    )
    StageParticipantFactory(stage_id=data["second_stage"].id, participation_id=data["participation"].id)
    db.session.flush()
    assert contest_attempt_policy(data["pupil"], data["second"], OPEN).allowed


def test_an_outsider_is_forbidden_and_another_contest_does_not_count(app: Any) -> None:
    data = _contest(app)
    outsider = student()
    ParticipationFactory(user=outsider)  # registered in another contest only
    db.session.flush()
    policy = contest_attempt_policy(outsider, data["first"], OPEN)
    assert (
        not policy.allowed
        and policy.forbidden
        and policy.reason == _("Only the contest's participants take this round.")
    )


def test_a_quiz_of_no_stage_is_not_a_round(app: Any) -> None:
    data = _contest(app)
    stray = _quiz(data["first"].bank_id)
    policy = contest_attempt_policy(data["pupil"], stray, OPEN)
    assert not policy.allowed and policy.forbidden


@pytest.mark.parametrize(
    ("moment", "reason"),
    [
        (T0 - timedelta(minutes=1), "The round has not started yet."),
        (T0 + timedelta(days=1, minutes=1), "The round is over."),
    ],
)
def test_before_and_after_the_window_the_round_is_refused(app: Any, moment: Any, reason: str) -> None:
    data = _contest(app)
    policy = contest_attempt_policy(data["pupil"], data["first"], moment)
    assert not policy.allowed and policy.reason == _(reason)


def test_the_policy_is_one_statement(app: Any, count_queries: Any) -> None:
    data = _contest(app)
    db.session.commit()
    pupil_id, quiz_id = data["pupil"].id, data["second"].id
    with count_queries(cold=True) as counted:
        pupil = db.session.get(type(data["pupil"]), pupil_id)
        quiz = db.session.get(Quiz, quiz_id)
        baseline = counted.count
        contest_attempt_policy(pupil, quiz, OPEN)
    assert counted.count - baseline == 1, counted.statements
