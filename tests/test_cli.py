"""Command-line entry points: create-admin (non-interactive, promotion) and demo (idempotent)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts import Institution, User
from app.extensions import db
from tests.factories.accounts import teacher


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_create_admin_with_a_password_creates_an_administrator(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(
        args=["create-admin", "Boss@Example.org", "--password", "admin-pass-1"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user is not None and user.role == "admin"
    from app.account_services import authenticate

    assert authenticate("boss@example.org", "admin-pass-1", "127.0.0.1") == user


def test_create_admin_promotes_an_existing_user(app) -> None:  # type: ignore[no-untyped-def]
    user = teacher(email="t@example.org", active=False)
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["create-admin", "t@example.org", "--password", "admin-pass-2"]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.role == "admin" and user.active
    assert _count(User) == 1


def test_create_admin_prompts_when_no_password_is_given(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(
        args=["create-admin", "p@example.org"], input="prompted-pass\nprompted-pass\n"
    )
    assert result.exit_code == 0, result.output
    assert _count(User) == 1


def test_create_admin_refuses_a_short_password(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["create-admin", "s@example.org", "--password", "short"])
    assert result.exit_code != 0
    assert _count(User) == 0


def test_demo_is_idempotent(app) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@vmeste.local" in first.output and "vmeste-demo" in first.output
    counts = {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar()
        for table in db.metadata.sorted_tables
    }
    assert counts["user"] >= 8 and counts["institution"] >= 6
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    again = {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar()
        for table in db.metadata.sorted_tables
    }
    assert again == counts
    assert _count(Institution) == counts["institution"]


def test_demo_accounts_can_log_in(app, client) -> None:  # type: ignore[no-untyped-def]
    app.test_cli_runner().invoke(args=["demo"])
    response = client.post("/auth/login", data={"email": "admin@vmeste.local", "password": "vmeste-demo"})
    assert response.status_code == 302
