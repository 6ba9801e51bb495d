"""Mail: SMTP when MAIL_SERVER is set (TLS and login as configured), else the file outbox."""

from __future__ import annotations

from typing import Any

from app import mail


class FakeSMTP:
    sent: list[Any] = []
    calls: list[str] = []

    def __init__(self, host: str, port: int, timeout: int) -> None:
        FakeSMTP.calls.append(f"connect {host}:{port}")

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *args: object) -> None:
        FakeSMTP.calls.append("quit")

    def starttls(self) -> None:
        FakeSMTP.calls.append("starttls")

    def login(self, user: str, password: str) -> None:
        FakeSMTP.calls.append(f"login {user}")

    def send_message(self, message: Any) -> None:
        FakeSMTP.sent.append(message)


def test_smtp_is_used_when_configured(app, monkeypatch, outbox) -> None:  # type: ignore[no-untyped-def]
    FakeSMTP.sent, FakeSMTP.calls = [], []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    for key, value in {"MAIL_SERVER": "smtp.school.example", "MAIL_PORT": 587, "MAIL_USE_TLS": True,
                       "MAIL_USERNAME": "robot", "MAIL_PASSWORD": "secret"}.items():
        monkeypatch.setitem(app.config, key, value)
    mail.send_mail("teacher@example.org", "Тема", "Текст письма")
    assert FakeSMTP.calls == ["connect smtp.school.example:587", "starttls", "login robot", "quit"]
    message = FakeSMTP.sent[0]
    assert message["To"] == "teacher@example.org" and message["Subject"] == "Тема"
    assert "Текст письма" in message.get_content()
    assert outbox() == []


def test_outbox_when_no_server_is_configured(app, outbox) -> None:  # type: ignore[no-untyped-def]
    mail.send_mail("a@example.org", "Первое", "1")
    mail.send_mail("b@example.org", "Второе", "2")
    letters = outbox()
    assert [m["Subject"] for m in letters] == ["Первое", "Второе"]
    assert letters[0]["From"] == app.config["MAIL_DEFAULT_SENDER"]
