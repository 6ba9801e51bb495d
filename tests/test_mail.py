"""Mail goes through the outbox: rows written in the action's transaction, delivered by the tick
job (SMTP when MAIL_SERVER is set, with retries) or, without SMTP, to files right after commit."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app import mail_delivery
from app.extensions import db
from app.mail import MailStatus, OutgoingMail, send_mail
from app.ticks import run_tick
from app.timeutil import utcnow


class FakeSMTP:
    sent: list[Any] = []
    calls: list[str] = []
    broken = False

    def __init__(self, host: str, port: int, timeout: int) -> None:
        if FakeSMTP.broken:
            raise ConnectionRefusedError("smtp is down")
        FakeSMTP.calls.append(f"connect {host}:{port}")

    def starttls(self) -> None:
        FakeSMTP.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        FakeSMTP.calls.append(f"login {user}")

    def send_message(self, message: Any) -> None:
        FakeSMTP.sent.append(message)

    def quit(self) -> None:
        FakeSMTP.calls.append("quit")


@pytest.fixture()
def smtp(app, monkeypatch) -> type[FakeSMTP]:  # type: ignore[no-untyped-def]
    FakeSMTP.sent, FakeSMTP.calls, FakeSMTP.broken = [], [], False
    monkeypatch.setattr(mail_delivery.smtplib, "SMTP", FakeSMTP)
    for key, value in {
        "MAIL_SERVER": "smtp.school.example",
        "MAIL_PORT": 587,
        "MAIL_USE_TLS": True,
        "MAIL_USERNAME": "robot",
        "MAIL_PASSWORD": "secret",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return FakeSMTP


def _letters() -> list[OutgoingMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def test_without_smtp_letters_reach_the_file_outbox_when_the_action_commits(app, outbox) -> None:  # type: ignore[no-untyped-def]
    send_mail("a@example.org", "Первое", "1")
    send_mail("b@example.org", "Второе", "2")
    assert outbox() == []  # nothing leaves before the commit
    db.session.commit()
    letters = outbox()
    assert [m["Subject"] for m in letters] == ["Первое", "Второе"]
    assert letters[0]["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert [letter.status for letter in _letters()] == [MailStatus.SENT, MailStatus.SENT]


def test_a_rolled_back_action_sends_nothing(app, outbox) -> None:  # type: ignore[no-untyped-def]
    send_mail("a@example.org", "Не будет", "1")
    db.session.rollback()
    db.session.commit()
    assert outbox() == [] and _letters() == []


def test_with_smtp_only_the_tick_job_sends_and_never_twice(app, smtp, outbox) -> None:  # type: ignore[no-untyped-def]
    send_mail("teacher@example.org", "Тема", "Текст письма")
    db.session.commit()
    assert smtp.sent == [] and _letters()[0].status == MailStatus.PENDING
    now = utcnow()
    assert any(line.startswith("mail: sent 1") for line in run_tick(now))
    assert smtp.calls == ["connect smtp.school.example:587", "starttls", "login robot", "quit"]
    message = smtp.sent[0]
    assert message["To"] == "teacher@example.org" and message["Subject"] == "Тема"
    assert "Текст письма" in message.get_content()
    run_tick(now + timedelta(hours=1))
    assert len(smtp.sent) == 1 and outbox() == []


def test_a_broken_smtp_server_loses_nothing_and_is_retried_with_backoff(app, smtp) -> None:  # type: ignore[no-untyped-def]
    send_mail("teacher@example.org", "Тема", "Текст")
    db.session.commit()
    smtp.broken = True
    now = utcnow()
    assert mail_delivery.deliver_due_mail(now) == ["sent 0, retry 1, failed 0"]
    letter = _letters()[0]
    assert letter.status == MailStatus.PENDING and letter.tries == 1 and "smtp is down" in letter.last_error
    assert letter.next_try_at == now + timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    assert mail_delivery.deliver_due_mail(now + timedelta(seconds=30)) == []  # the pause is not over
    mail_delivery.deliver_due_mail(now + timedelta(seconds=61))
    assert _letters()[0].next_try_at == now + timedelta(seconds=61 + 2 * app.config["MAIL_RETRY_SECONDS"])
    smtp.broken = False
    assert mail_delivery.deliver_due_mail(now + timedelta(hours=1)) == ["sent 1, retry 0, failed 0"]
    assert mail_delivery.deliver_due_mail(now + timedelta(days=1)) == []
    assert len(smtp.sent) == 1 and _letters()[0].status == MailStatus.SENT


def test_delivery_gives_up_after_the_last_try(app, smtp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "MAIL_MAX_TRIES", 2)
    send_mail("teacher@example.org", "Тема", "Текст")
    db.session.commit()
    smtp.broken = True
    now = utcnow()
    mail_delivery.deliver_due_mail(now)
    assert mail_delivery.deliver_due_mail(now + timedelta(days=1)) == ["sent 0, retry 0, failed 1"]
    assert _letters()[0].status == MailStatus.FAILED
    assert mail_delivery.deliver_due_mail(now + timedelta(days=2)) == []


@pytest.mark.parametrize("address", ["bad\n@example.org", "x@", "has space@example.org"])
def test_an_unusable_address_fails_its_letter_only(app, outbox, address) -> None:  # type: ignore[no-untyped-def]
    send_mail(address, "Плохой адрес", "1")
    send_mail("good@example.org", "Хороший адрес", "2")
    db.session.commit()
    assert [m["Subject"] for m in outbox()] == ["Хороший адрес"]
    assert [letter.status for letter in _letters()] == [MailStatus.FAILED, MailStatus.SENT]


def test_two_deliverers_at_once_send_each_letter_once(app, smtp) -> None:  # type: ignore[no-untyped-def]
    for n in range(20):
        send_mail(f"t{n}@example.org", f"Письмо {n}", "текст")
    db.session.commit()
    now = utcnow()
    barrier = threading.Barrier(4)

    def deliver() -> None:
        with app.app_context():
            barrier.wait()
            try:
                mail_delivery.deliver_due_mail(now)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m["Subject"] for m in smtp.sent) == sorted(f"Письмо {n}" for n in range(20))
    assert {letter.status for letter in _letters()} == {MailStatus.SENT}


def test_the_cli_delivers_due_mail(app, smtp) -> None:  # type: ignore[no-untyped-def]
    send_mail("teacher@example.org", "Тема", "Текст")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "sent 1" in result.output
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert "nothing to do" in result.output and len(smtp.sent) == 1


def test_a_released_savepoint_does_not_send_before_the_outer_commit(app, outbox) -> None:  # type: ignore[no-untyped-def]
    send_mail("a@example.org", "Внешнее", "1")
    with db.session.begin_nested():
        send_mail("b@example.org", "Внутреннее", "2")
    assert outbox() == []
    db.session.commit()
    assert [m["Subject"] for m in outbox()] == ["Внешнее", "Внутреннее"]


def test_a_failing_delivery_after_commit_never_fails_the_action(app, outbox, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(ids: Any, now: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mail_delivery, "deliver_letters", broken)
    send_mail("a@example.org", "Позже", "1")
    db.session.commit()  # no exception reaches the caller
    monkeypatch.undo()
    assert [letter.status for letter in _letters()] == [MailStatus.PENDING]
    assert mail_delivery.deliver_due_mail(utcnow() + timedelta(seconds=1)) == ["sent 1, retry 0, failed 0"]
    assert [m["Subject"] for m in outbox()] == ["Позже"]
