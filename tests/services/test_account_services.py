"""Account services: the rules behind the forms and the API, including two requests at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app import account_services, institutions, passwords, user_import
from app.accounts import ApiToken, Institution, LoginThrottle, User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import InstitutionFactory, admin, teacher


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_create_user_normalises_and_hashes(app) -> None:  # type: ignore[no-untyped-def]
    user = account_services.create_user(
        email="  Anna@Example.ORG ", full_name=" Анна ", password="long-enough"
    )
    assert (user.email, user.full_name) == ("anna@example.org", "Анна")
    assert user.password_hash.startswith("$argon2id$") and "long-enough" not in user.password_hash


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "no-at-sign"}, "email"),
        ({"full_name": "  "}, "full_name"),
        ({"role": "king"}, "role"),
        ({"password": "short"}, "password"),
        ({"institution_id": 4242}, "institution_id"),
    ],
)
def test_create_user_refuses_bad_values(app, kwargs, field) -> None:  # type: ignore[no-untyped-def]
    values = {"email": "a@example.org", "full_name": "А", "password": "long-enough", **kwargs}
    with pytest.raises(Invalid) as refused:
        account_services.create_user(**values)
    assert field in refused.value.fields
    assert _count(User) == 0


def test_duplicate_email_refused(app) -> None:  # type: ignore[no-untyped-def]
    teacher(email="a@example.org")
    db.session.commit()
    with pytest.raises(Invalid) as refused:
        account_services.create_user(email="A@example.org", full_name="Б", password="long-enough")
    assert "email" in refused.value.fields


def test_two_registrations_at_once_leave_one_user(app) -> None:  # type: ignore[no-untyped-def]
    """Eight threads register the same e-mail: the database keeps one, the others get the field message."""
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def register() -> None:
        with app.app_context():
            barrier.wait()
            try:
                account_services.register(
                    email="race@example.org", full_name="Гонка", password="long-enough", institution_id=None
                )
                result = "created"
            except Invalid as refused:
                result = "refused:" + ",".join(refused.fields)
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["refused:email"] * 7
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.email == "race@example.org")) == 1
    )


def test_failures_pause_the_guessing_address_not_the_owner_elsewhere(app) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        with pytest.raises(account_services.LoginRefused):
            account_services.authenticate(user.email, "nope-nope", "10.0.0.1")
    with pytest.raises(account_services.LoginRefused) as refused:
        account_services.authenticate(user.email, DEFAULT_PASSWORD, "10.0.0.1")
    assert "Too many" in refused.value.message or "Слишком" in refused.value.message
    assert 0 < (refused.value.retry_after or 0) <= app.config["LOGIN_DELAY_SECONDS"]
    assert account_services.authenticate(user.email, DEFAULT_PASSWORD, "10.0.0.2") == user


def test_the_account_pause_grows_and_always_ends(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Guesses from many addresses pause the account itself, by a doubling pause; once it is over
    the owner's one try goes through (no lock-out)."""
    from datetime import timedelta

    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ACCOUNT", 3)
    user = teacher()
    db.session.commit()
    now = utcnow()
    for n in range(3):
        with pytest.raises(account_services.LoginRefused) as refused:
            account_services.authenticate(user.email, "guess", f"10.0.1.{n}", now=now)
        assert refused.value.retry_after is None
    waits = []
    for n in range(3, 6):
        with pytest.raises(account_services.LoginRefused) as refused:
            account_services.authenticate(user.email, DEFAULT_PASSWORD, "10.0.2.1", now=now)
        waits.append(refused.value.retry_after)
        now += timedelta(seconds=refused.value.retry_after or 0)
        with pytest.raises(account_services.LoginRefused):
            account_services.authenticate(user.email, "guess", f"10.0.1.{n}", now=now)
    assert waits == [2, 4, 8]
    now += timedelta(seconds=16)
    assert account_services.authenticate(user.email, DEFAULT_PASSWORD, "10.0.2.1", now=now) == user


def test_rate_limit_per_address(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_IP", 3)
    user = teacher()
    db.session.commit()
    for n in range(3):
        with pytest.raises(account_services.LoginRefused):
            account_services.authenticate(f"other{n}@example.org", "x-x-x-x-x", "10.9.9.9")
    with pytest.raises(account_services.LoginRefused):
        account_services.authenticate(user.email, DEFAULT_PASSWORD, "10.9.9.9")
    assert account_services.authenticate(user.email, DEFAULT_PASSWORD, "10.1.1.1") == user


def test_failures_older_than_the_forget_period_do_not_count(app) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    user = teacher()
    old = utcnow() - timedelta(seconds=app.config["LOGIN_FORGET_SECONDS"] + 60)
    for key in (f"pair:1.2.3.4:{user.email}", f"account:{user.email}"):
        db.session.add(
            LoginThrottle(key=key, tries=99, last_try_at=old, next_try_at=utcnow() + timedelta(hours=1))
        )
    db.session.commit()
    assert account_services.authenticate(user.email, DEFAULT_PASSWORD, "1.2.3.4") == user


def test_update_profile_validates_every_field(app) -> None:  # type: ignore[no-untyped-def]
    user = teacher(full_name="Было")
    db.session.commit()
    for kwargs, field in [
        ({"full_name": " "}, "full_name"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"locale": "de"}, "locale"),
        ({"institution_id": 777}, "institution_id"),
    ]:
        values = {
            "full_name": "Стало",
            "institution_id": None,
            "timezone": "Europe/Moscow",
            "locale": "ru",
            **kwargs,
        }
        with pytest.raises(Invalid) as refused:
            account_services.update_profile(user, **values)
        assert field in refused.value.fields
        db.session.rollback()
    db.session.refresh(user)
    assert user.full_name == "Было"


def test_admin_update_deactivates_and_revokes_tokens(app) -> None:  # type: ignore[no-untyped-def]
    actor = admin()
    user = teacher()
    db.session.commit()
    raw = account_services.issue_token(user)
    assert account_services.user_for_token(raw) == user
    account_services.admin_update_user(user, role="teacher", institution_id=None, active=False, actor=actor)
    assert account_services.user_for_token(raw) is None
    assert db.session.scalar(select(ApiToken.revoked_at)) is not None


def test_admin_cannot_demote_themselves(app) -> None:  # type: ignore[no-untyped-def]
    actor = admin()
    db.session.commit()
    with pytest.raises(Invalid):
        account_services.admin_update_user(
            actor, role="teacher", institution_id=None, active=True, actor=actor
        )


def test_revoked_token_is_refused_and_revoking_twice_is_harmless(app) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    raw = account_services.issue_token(user)
    assert account_services.revoke_token(raw) is True
    assert account_services.revoke_token(raw) is False
    assert account_services.user_for_token(raw) is None
    assert account_services.revoke_token("never-issued") is False


def test_reset_token_dies_after_use_and_with_age(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    token = account_services.make_reset_token(user)
    assert account_services.user_for_reset_token(token) == user
    with pytest.raises(Invalid):
        passwords.reset_password(token, "short", now=utcnow())
    passwords.reset_password(token, "new-password-1", now=utcnow())
    with pytest.raises(Conflict):
        passwords.reset_password(token, "new-password-2", now=utcnow())
    fresh = account_services.make_reset_token(user)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    assert account_services.user_for_reset_token(fresh) is None
    assert account_services.user_for_reset_token("garbage") is None


def test_save_institution_validates_and_records(app) -> None:  # type: ignore[no-untyped-def]
    from app.audit import AuditEntry

    with pytest.raises(Invalid):
        institutions.save_institution(None, name="  ", district="", region="", actor=None)
    school = institutions.save_institution(None, name=" Школа ", district="Р", region="О", actor=None)
    assert school.name == "Школа"
    institutions.save_institution(school, name="Школа 2", district="Р", region="О", actor=None)
    assert _count(Institution) == 1
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["institution.created", "institution.updated"]


def test_institutions_by_district_counts_active_members(app) -> None:  # type: ignore[no-untyped-def]
    a = InstitutionFactory(name="А", district="Южный")
    b = InstitutionFactory(name="Б", district="Северный")
    teacher(institution=a)
    teacher(institution=a, active=False)
    db.session.commit()
    rows = [(institution.name, members) for institution, members in institutions.institutions_by_district()]
    assert rows == [("Б", 0), ("А", 1)]
    assert b.id


def test_imported_users_cannot_log_in_until_they_reset(app) -> None:  # type: ignore[no-untyped-def]
    actor = admin()
    db.session.commit()
    result = user_import.import_users(
        "email,full_name,role,institution\nn@example.org,Н,student,\n", actor=actor
    )
    assert result.created == 1
    with pytest.raises(account_services.LoginRefused):
        account_services.authenticate("n@example.org", "!", "1.1.1.1")


def test_admin_update_refuses_an_unknown_institution(app) -> None:  # type: ignore[no-untyped-def]
    actor = admin()
    user = teacher()
    db.session.commit()
    with pytest.raises(Invalid) as refused:
        account_services.admin_update_user(
            user, role="teacher", institution_id=4242, active=True, actor=actor
        )
    assert "institution_id" in refused.value.fields
