"""The login throttle (issue 9 item 3): exact under concurrency, per address and per account, the
real client address behind a trusted proxy only, and the same for the HTML and the API login."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import account_services, create_app
from app.accounts import LoginThrottle
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import admin, teacher


def test_forty_simultaneous_guesses_get_exactly_the_free_tries(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "LOGIN_DELAY_SECONDS", 600)  # no pause can end during the test
    user = teacher()
    db.session.commit()
    email = user.email
    db.session.commit()  # reading `email` began a transaction: end it before the threads write
    checked: list[str] = []
    lock = threading.Lock()
    real_check = account_services.check_password

    def counting_check(password_hash: str, password: str) -> bool:
        with lock:
            checked.append(password)
        return real_check(password_hash, password)

    monkeypatch.setattr(account_services, "check_password", counting_check)
    barrier = threading.Barrier(40)
    outcomes: list[str] = []

    def guess(n: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                account_services.authenticate(email, f"guess-{n}", "10.20.30.40")
                result = "in"
            except account_services.LoginRefused as refused:
                result = "paused" if refused.retry_after else "wrong"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    free = app.config["LOGIN_MAX_FAILURES"]
    assert len(checked) == free
    assert sorted(outcomes) == ["paused"] * (40 - free) + ["wrong"] * free
    row = db.session.get(LoginThrottle, f"pair:10.20.30.40:{email}")
    assert row is not None and row.tries == free


@pytest.fixture()
def proxied_app(app: Flask) -> Iterator[Flask]:
    """The app as deployed behind nginx: TRUSTED_PROXIES = 1, same database."""
    behind = create_app(
        {
            "CONFIG_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_OUTBOX_DIR": app.config["MAIL_OUTBOX_DIR"],
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "SERVER_NAME": "localhost",
            "TRUSTED_PROXIES": 1,
            "LOGIN_MAX_FAILURES_PER_IP": 50,
        }
    )
    yield behind
    with behind.app_context():
        db.engine.dispose()


def _via_nginx(client: Any, path: str, client_ip: str, **kwargs: Any) -> Any:
    return client.post(
        path, headers={"X-Forwarded-For": client_ip}, environ_base={"REMOTE_ADDR": "127.0.0.1"}, **kwargs
    )


def _keys() -> set[str]:
    db.session.expire_all()
    keys = set(db.session.scalars(select(LoginThrottle.key)))
    db.session.rollback()  # SQLite: an open transaction here would hold the lock the requests need
    return keys


def test_behind_a_trusted_proxy_one_guesser_does_not_lock_out_the_admin(app, proxied_app) -> None:  # type: ignore[no-untyped-def]
    boss = admin(email="boss@example.org")
    db.session.commit()
    boss_email = boss.email
    db.session.commit()
    client = proxied_app.test_client()
    for n in range(50):
        response = _via_nginx(
            client,
            "/auth/login",
            "203.0.113.7",
            data={"email": f"random{n}@example.org", "password": "whatever-1"},
        )
        assert response.status_code == 422
    assert "address:203.0.113.7" in _keys() and "address:127.0.0.1" not in _keys()
    refused = _via_nginx(
        client, "/auth/login", "203.0.113.7", data={"email": boss_email, "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 429  # the guesser's own address now waits
    html = _via_nginx(
        client, "/auth/login", "198.51.100.2", data={"email": boss_email, "password": DEFAULT_PASSWORD}
    )
    assert html.status_code == 302
    api = _via_nginx(
        client, "/api/v1/auth/token", "198.51.100.3", json={"email": boss_email, "password": DEFAULT_PASSWORD}
    )
    assert api.status_code == 200 and api.get_json()["token"]


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app, client) -> None:  # type: ignore[no-untyped-def]
    assert app.config["TRUSTED_PROXIES"] == 0
    _via_nginx(
        client, "/auth/login", "203.0.113.9", data={"email": "x@example.org", "password": "whatever-1"}
    )
    assert "address:127.0.0.1" in _keys() and "address:203.0.113.9" not in _keys()


def test_the_api_login_is_throttled_like_the_html_one(app, api, client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    api().post("/auth/token", json={"email": user.email, "password": "wrong-password"})
    html = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    token = api().post("/auth/token", json={"email": user.email, "password": DEFAULT_PASSWORD})
    assert html.status_code == token.status_code == 429


def test_a_reset_clears_the_accounts_pause(app) -> None:  # type: ignore[no-untyped-def]
    from app import passwords
    from app.timeutil import utcnow

    user = teacher()
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        with pytest.raises(account_services.LoginRefused):
            account_services.authenticate(user.email, "wrong", "10.1.2.3")
    passwords.reset_password(account_services.make_reset_token(user), "brand-new-pass", now=utcnow())
    assert account_services.authenticate(user.email, "brand-new-pass", "10.1.2.3") == user


def test_the_tick_job_forgets_quiet_keys(app) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from app.ticks import run_tick
    from app.timeutil import utcnow

    with pytest.raises(account_services.LoginRefused):
        account_services.authenticate("someone@example.org", "wrong", "10.1.2.3")
    assert run_tick(utcnow()) == ["nothing to do"] or all(
        "accounts" not in line for line in run_tick(utcnow())
    )
    lines = run_tick(utcnow() + timedelta(seconds=app.config["LOGIN_FORGET_SECONDS"] + 1))
    assert any(line.startswith("accounts: forgot 3 throttle keys") for line in lines)
    assert _keys() == set()
