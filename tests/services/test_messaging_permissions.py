"""Who may write to whom: pupils only to their teachers, organisers and jurors of their contests (and
to the administrator who wrote first); adults to adults; adults to a pupil only from that relation."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.permissions.messaging import can_see_message_reports, can_view_conversation, can_write_to
from app.timeutil import utcnow
from community.messaging import conversations
from contest_engine.jury.models import StageJuror
from tests.factories.accounts import admin, juror, methodist, organiser, student, teacher
from tests.factories.contests import (
    ContestFactory,
    ParticipationFactory,
    StageFactory,
    contest_with_organiser,
)
from tests.factories.courses import course, enrolled

pytestmark = pytest.mark.usefixtures("app")


def test_a_pupil_writes_to_the_teachers_of_their_courses_only() -> None:
    author, tutor, stranger = teacher(), teacher(), teacher()
    made = course(author)
    enrolled(made, tutor, "tutor")
    pupil = enrolled(made)
    assert can_write_to(pupil, author) and can_write_to(pupil, tutor)
    assert can_write_to(author, pupil) and can_write_to(tutor, pupil)
    assert not can_write_to(pupil, stranger)
    assert not can_write_to(stranger, pupil)


def test_a_classmate_is_not_a_teacher() -> None:
    made = course(teacher())
    first, second = enrolled(made), enrolled(made)
    assert not can_write_to(first, second)
    assert not can_write_to(second, first)


def test_a_pupil_writes_to_organisers_and_jurors_of_their_contests() -> None:
    contest, boss = contest_with_organiser()
    pupil = student()
    ParticipationFactory(contest=contest, user=pupil)
    stage = StageFactory(contest=contest)
    judge, other_judge = juror(), juror()
    db.session.add(StageJuror(stage_id=stage.id, user_id=judge.id))
    other_stage = StageFactory(contest=ContestFactory())
    db.session.add(StageJuror(stage_id=other_stage.id, user_id=other_judge.id))
    db.session.flush()
    assert can_write_to(pupil, boss) and can_write_to(boss, pupil)
    assert can_write_to(pupil, judge) and can_write_to(judge, pupil)
    assert not can_write_to(pupil, other_judge)
    assert not can_write_to(pupil, organiser())


def test_adults_write_to_adults_and_never_to_themselves() -> None:
    a, b, c = teacher(), methodist(), juror()
    assert can_write_to(a, b) and can_write_to(b, c) and can_write_to(c, a)
    assert not can_write_to(a, a)
    b.active = False
    assert not can_write_to(a, b)


def test_the_administrator_writes_to_a_pupil_who_may_then_answer() -> None:
    boss, pupil = admin(), student()
    assert can_write_to(boss, pupil)
    assert not can_write_to(pupil, boss)
    conversations.send_message(boss, pupil, "Проверьте, пожалуйста, адрес школы.", now=utcnow())
    assert can_write_to(pupil, boss)


def test_conversations_are_seen_by_their_two_people_and_reports_by_moderators() -> None:
    a, b, c = teacher(), teacher(), teacher()
    message = conversations.send_message(a, b, "Добрый день!", now=utcnow())
    found = conversations.conversation_between(b.id, a.id)
    assert found is not None and found.id == message.conversation_id
    assert can_view_conversation(a, found) and can_view_conversation(b, found)
    assert not can_view_conversation(c, found) and not can_view_conversation(admin(), found)
    assert can_see_message_reports(admin()) and can_see_message_reports(methodist())
    for role in (teacher, student, organiser, juror):
        assert not can_see_message_reports(role())
