"""Feedback after the event (one per attendee, 1–5, the host's summary) and the follow-up: the
recording's address and linked library materials."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from community.events import attendance, feedback, followup
from community.events.models import EventFeedback, EventMaterial
from community.library.models import MaterialStatus
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material
from tests.factories.events import EventFactory, registration


def _attended(event, *people):  # type: ignore[no-untyped-def]
    for person in people:
        registration(event, person)
    db.session.commit()
    attendance.mark(event, [p.id for p in people], actor=methodist(), now=event.starts_at)


def test_attendees_answer_once_and_the_host_sees_the_summary(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    people = [teacher() for _ in range(3)]
    _attended(event, *people)
    after = event.ends_at + timedelta(minutes=5)
    feedback.leave_feedback(event, people[0], score=5, comment="Очень полезно", now=after)
    feedback.leave_feedback(event, people[1], score="5", comment="", now=after)
    feedback.leave_feedback(event, people[2], score=4, comment="Мало практики", now=after)
    found = feedback.summary(event)
    assert found.count == 3 and found.average == Decimal("4.67")
    assert found.by_score[0] == (5, 2) and found.by_score[1] == (4, 1)
    assert {row.comment for row in found.comments.items} == {"Очень полезно", "Мало практики"}
    with pytest.raises(Conflict):
        feedback.leave_feedback(event, people[0], score=1, comment="", now=after)
    assert db.session.scalar(select(func.count()).select_from(EventFeedback)) == 3


def test_feedback_is_refused_to_those_who_did_not_attend_and_out_of_range(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    came, absent = teacher(), teacher()
    registration(event, absent)
    _attended(event, came)
    with pytest.raises(Forbidden):
        feedback.leave_feedback(event, absent, score=5, comment="", now=event.ends_at)
    for bad in (0, 6, "abc"):
        with pytest.raises(Invalid) as caught:
            feedback.leave_feedback(event, came, score=bad, comment="", now=event.ends_at)
        assert "score" in caught.value.fields
    with pytest.raises(Invalid):
        feedback.leave_feedback(event, came, score=3, comment="я" * 2001, now=event.ends_at)
    assert db.session.scalar(select(func.count()).select_from(EventFeedback)) == 0
    assert feedback.summary(event).average is None


def test_the_recording_must_be_http(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    lead = methodist()
    db.session.commit()
    followup.set_recording(event, "https://rutube.ru/video/abc", actor=lead, now=event.ends_at)
    with pytest.raises(Invalid) as caught:
        followup.set_recording(event, "javascript:alert(1)", actor=lead, now=event.ends_at)
    assert "recording_url" in caught.value.fields
    db.session.refresh(event)
    assert event.recording_url == "https://rutube.ru/video/abc"
    followup.set_recording(event, "", actor=lead, now=event.ends_at)
    assert event.recording_url == ""


def test_only_published_materials_are_linked_once(app) -> None:  # type: ignore[no-untyped-def]
    event = EventFactory()
    lead = methodist()
    slides = published_material(title="Презентация вебинара")
    draft = published_material(status=MaterialStatus.DRAFT)
    db.session.commit()
    followup.link_material(event, f"https://vmeste.local/library/materials/{slides.id}", actor=lead)
    with pytest.raises(Conflict):
        followup.link_material(event, str(slides.id), actor=lead)
    for bad in (str(draft.id), "999999", "/forums/1"):
        with pytest.raises(Invalid):
            followup.link_material(event, bad, actor=lead)
    assert [m.title for m in followup.materials(event)] == ["Презентация вебинара"]
    assert followup.unlink_material(event, slides.id, actor=lead)
    assert not followup.unlink_material(event, slides.id, actor=lead)
    assert db.session.scalar(select(func.count()).select_from(EventMaterial)) == 0
