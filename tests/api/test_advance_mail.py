"""Advancing a stage never fails or half-happens because of mail (issue 9 item 9): a participant
with a broken address, or a broken SMTP server, still gets a 200 with every notification and every
letter row written; the tick job retries later and sends each letter once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import mail_delivery
from app.extensions import db
from app.mail import MailStatus, OutgoingMail
from app.notifications import Notification
from app.ticks import run_tick
from tests.api.test_contest_teacher import T0, WEEK, at, body, create
from tests.factories.accounts import organiser, teacher
from tests.test_mail import FakeSMTP


def _advance_with(api, emails: list[str]) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    from contest_engine import entries, queries, registration
    from contest_engine.models import Contest

    owner = organiser()
    people = [teacher(email=email) for email in emails]  # stored before addresses were checked
    db.session.commit()
    data = body()
    data["stages"][1].pop("jury")
    data["stages"][1]["advancement"] = {"rule": "all"}
    cid = create(api, owner, data).get_json()["id"]
    contest = db.session.get(Contest, cid)
    card = queries.contest_stages(cid)[1]
    for person in people:
        registration.register(
            contest, person, division="Учителя", consent=True, institution="Школа", now=T0 + timedelta(days=1)
        )
    run_tick(T0 + 2 * WEEK)
    for person in people:
        entries.submit_entry(
            card,
            queries.find_participation(cid, person.id),
            text="эссе",
            actor=person,
            now=T0 + 2 * WEEK + timedelta(hours=1),
        )
    run_tick(T0 + 3 * WEEK)
    card_id = card.id
    db.session.commit()
    with at(T0 + 3 * WEEK + timedelta(hours=1)):
        response = api(owner).post(f"/stages/{card_id}/advance", {})
    return response.status_code, response.get_json()


def _letters() -> list[OutgoingMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def test_a_broken_address_does_not_fail_the_advancement(app, api, outbox) -> None:  # type: ignore[no-untyped-def]
    status, outcome = _advance_with(api, ["one@example.org", "bad\n@example.org", "three@example.org"])
    assert status == 200 and len(outcome["advanced"]) == 3
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 3
    letters = _letters()
    assert len(letters) == 3
    assert sorted(letter.status for letter in letters) == [
        MailStatus.FAILED,
        MailStatus.SENT,
        MailStatus.SENT,
    ]
    assert sorted(m["To"] for m in outbox()) == ["one@example.org", "three@example.org"]


@pytest.fixture()
def failing_smtp(app, monkeypatch):  # type: ignore[no-untyped-def]
    FakeSMTP.sent, FakeSMTP.calls, FakeSMTP.broken = [], [], True
    monkeypatch.setattr(mail_delivery.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.school.example")
    return FakeSMTP


def test_a_broken_smtp_server_loses_no_letter_and_a_retry_sends_each_once(app, api, failing_smtp) -> None:  # type: ignore[no-untyped-def]
    status, outcome = _advance_with(api, ["one@example.org", "two@example.org", "three@example.org"])
    assert status == 200 and len(outcome["advanced"]) == 3
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 3
    assert [letter.status for letter in _letters()] == [MailStatus.PENDING] * 3
    now = T0 + 3 * WEEK + timedelta(hours=1)
    assert "mail: sent 0, retry 3, failed 0" in run_tick(now)
    assert failing_smtp.sent == []
    failing_smtp.broken = False
    run_tick(now + timedelta(minutes=30))
    run_tick(now + timedelta(hours=2))
    assert sorted(m["To"] for m in failing_smtp.sent) == [
        "one@example.org",
        "three@example.org",
        "two@example.org",
    ]
    assert [letter.status for letter in _letters()] == [MailStatus.SENT] * 3
