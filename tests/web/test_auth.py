"""Registration, login and logout, the login rate limit, password reset, profile and language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.accounts import LoginThrottle, User
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD, login
from tests.factories.accounts import InstitutionFactory, teacher


def _register(client, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "email": "new@example.org",
        "full_name": "Анна Новикова",
        "institution": "0",
        "password": "secret-pass-1",
        "password2": "secret-pass-1",
    }
    data.update(overrides)
    return client.post("/auth/register", data=data)


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


# --- registration -------------------------------------------------------------------------------


def test_register_creates_a_teacher_and_logs_in(client) -> None:  # type: ignore[no-untyped-def]
    school = InstitutionFactory(name="Гимназия № 7")
    db.session.commit()
    response = _register(client, institution=str(school.id), email="  New@Example.org ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user is not None and user.role == "teacher" and user.institution_id == school.id
    assert user.password_hash.startswith("$argon2id$")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Анна Новикова" in page and "Гимназия № 7" in page


def test_register_duplicate_email_is_refused_next_to_the_field(client) -> None:  # type: ignore[no-untyped-def]
    teacher(email="taken@example.org")
    db.session.commit()
    response = _register(client, email="Taken@example.org")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "is-invalid" in html
    assert "Пользователь с таким адресом уже есть." in html
    assert _user_count() == 1


def test_register_rejects_short_password_and_mismatch(client) -> None:  # type: ignore[no-untyped-def]
    response = _register(client, password="short", password2="short")
    assert response.status_code == 422
    response = _register(client, password2="different-pass")
    assert response.status_code == 422
    assert "Пароли не совпадают." in response.get_data(as_text=True)
    assert _user_count() == 0


def test_register_rejects_bad_email_and_unknown_institution(client) -> None:  # type: ignore[no-untyped-def]
    assert _register(client, email="not-an-address").status_code == 422
    assert _register(client, institution="999").status_code == 422
    assert _user_count() == 0


def test_register_page_redirects_a_signed_in_user(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    login(client, user)
    assert client.get("/auth/register").status_code == 302


# --- login, logout, rate limit ------------------------------------------------------------------


def test_login_and_logout(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher(email="t@example.org")
    db.session.commit()
    assert client.get("/dashboard").status_code == 302
    response = client.post("/auth/login", data={"email": "T@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302
    assert user.active


def test_login_follows_a_local_next_but_not_an_outside_one(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    response = client.post("/auth/login?next=/network", data=data)
    assert response.headers["Location"].endswith("/network")
    client.post("/auth/logout")
    response = client.post("/auth/login?next=//evil.example/x", data=data)
    assert response.headers["Location"].endswith("/dashboard")


def test_wrong_password_gives_a_generic_message_and_is_counted(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    wrong = client.post("/auth/login", data={"email": user.email, "password": "not-the-password"})
    unknown = client.post("/auth/login", data={"email": "nobody@example.org", "password": "whatever-1"})
    assert wrong.status_code == unknown.status_code == 422
    message = "Неверный адрес или пароль."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    tries = {row.key: row.tries for row in db.session.execute(select(LoginThrottle.key, LoginThrottle.tries))}
    assert tries[f"account:{user.email}"] == tries["account:nobody@example.org"] == 1
    assert tries["address:127.0.0.1"] == 2


def test_too_many_failures_block_even_the_right_password(app, client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    response = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert "Слишком много неудачных попыток" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_a_successful_login_clears_earlier_failures(app, client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        client.post("/auth/login", data={"email": user.email, "password": "wrong-password"})
    login(client, user)
    pairs = select(func.count()).select_from(LoginThrottle).where(LoginThrottle.key.startswith("pair:"))
    assert db.session.scalar(pairs) == 0


def test_login_with_empty_fields_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/auth/login", data={"email": "", "password": ""}).status_code == 422


def test_deactivated_user_cannot_log_in_and_loses_the_session(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    login(client, user)
    user.active = False
    db.session.commit()
    assert client.get("/dashboard").status_code == 302
    response = client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    assert "Неверный адрес или пароль." in response.get_data(as_text=True)


# --- password reset -----------------------------------------------------------------------------


def _reset_link(outbox) -> str:  # type: ignore[no-untyped-def]
    messages = outbox()
    assert messages, "no letter in the outbox"
    body = messages[-1].get_content()
    match = re.search(r"http://localhost(/auth/reset/\S+)", body)
    assert match, body
    return match.group(1)


def test_password_reset_through_the_outbox(client, outbox) -> None:  # type: ignore[no-untyped-def]
    user = teacher(email="forgetful@example.org")
    db.session.commit()
    response = client.post("/auth/forgot", data={"email": "forgetful@example.org"})
    assert response.status_code == 302
    letters = outbox()
    assert len(letters) == 1 and letters[0]["To"] == "forgetful@example.org"
    assert "сброс пароля" in letters[0]["Subject"]
    link = _reset_link(outbox)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "brand-new-pass", "password2": "brand-new-pass"})
    assert response.status_code == 302
    login(client, user, "brand-new-pass")


def test_reset_token_cannot_be_used_twice(client, outbox) -> None:  # type: ignore[no-untyped-def]
    teacher(email="twice@example.org")
    db.session.commit()
    client.post("/auth/forgot", data={"email": "twice@example.org"})
    link = _reset_link(outbox)
    client.post(link, data={"password": "brand-new-pass", "password2": "brand-new-pass"})
    response = client.post(link, data={"password": "another-pass-2", "password2": "another-pass-2"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/forgot")
    follow = client.get("/auth/forgot").get_data(as_text=True)
    assert "Ссылка для сброса пароля устарела или уже использована" in follow


def test_expired_reset_token_is_refused(app, client, outbox, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    user = teacher(email="late@example.org")
    db.session.commit()
    client.post("/auth/forgot", data={"email": "late@example.org"})
    link = _reset_link(outbox)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)  # every token is now too old
    response = client.post(link, data={"password": "brand-new-pass", "password2": "brand-new-pass"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/forgot")
    login(client, user)  # the old password still works


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, outbox) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/auth/forgot", data={"email": "ghost@example.org"}, follow_redirects=True)
    assert "Если этот адрес зарегистрирован" in response.get_data(as_text=True)
    assert outbox() == []


def test_reset_form_rejects_a_short_password(client, outbox) -> None:  # type: ignore[no-untyped-def]
    teacher(email="short@example.org")
    db.session.commit()
    client.post("/auth/forgot", data={"email": "short@example.org"})
    link = _reset_link(outbox)
    response = client.post(link, data={"password": "short", "password2": "short"})
    assert response.status_code == 422


def test_forgot_rejects_a_bad_address(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/auth/forgot", data={"email": "nope"}).status_code == 422


# --- profile and language -----------------------------------------------------------------------


def test_profile_edit_saves_name_institution_zone_and_language(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    school = InstitutionFactory(name="Лицей № 9")
    db.session.commit()
    login(client, user)
    assert client.get("/auth/profile").status_code == 200
    response = client.post(
        "/auth/profile",
        data={
            "full_name": "Новое Имя",
            "institution": str(school.id),
            "timezone": "Asia/Novosibirsk",
            "locale": "en",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.institution_id, user.timezone, user.locale) == (
        "Новое Имя",
        school.id,
        "Asia/Novosibirsk",
        "en",
    )
    assert "Profile" in client.get("/auth/profile").get_data(as_text=True)


def test_profile_edit_rejects_invalid_values(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher(full_name="Старое Имя")
    db.session.commit()
    login(client, user)
    good = {"full_name": "Имя", "institution": "0", "timezone": "Europe/Moscow", "locale": "ru"}
    for field, value in [
        ("full_name", ""),
        ("timezone", "Mars/Olympus"),
        ("locale", "xx"),
        ("institution", "999"),
    ]:
        response = client.post("/auth/profile", data={**good, field: value})
        assert response.status_code == 422, field
        assert "is-invalid" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.full_name == "Старое Имя"


def test_profile_needs_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/auth/profile")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_russian_by_default_and_english_after_switching(client) -> None:  # type: ignore[no-untyped-def]
    assert "Войти" in client.get("/auth/login").get_data(as_text=True)
    response = client.post("/language", data={"locale": "en", "next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Log in" in page and '<html lang="en">' in page


def test_language_is_remembered_per_user_across_sessions(app) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    first = app.test_client()
    login(first, user)
    first.post("/language", data={"locale": "en", "next": "/dashboard"})
    db.session.refresh(user)
    assert user.locale == "en"
    second = app.test_client()  # a new browser: no session cookie
    assert "Войти" in second.get("/auth/login").get_data(as_text=True)
    login(second, user)
    assert "Dashboard" in second.get("/dashboard").get_data(as_text=True)


def test_language_switch_rejects_unknown_languages_and_outside_targets(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/language", data={"locale": "xx"}).status_code == 400
    response = client.post("/language", data={"locale": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response.headers["Location"].startswith("https://evil")


# --- redirects after login (issue 9 item 12a, item 8 CR/LF) ----------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/",
        "/x%0d%0aSet-Cookie:%20evil=1",
        "/%5Cevil.example",
        "/%0a/evil.example",
        "%2F%2Fevil.example",
    ],
)
def test_login_never_redirects_to_another_host(client, target) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    response = client.post(
        f"/auth/login?next={target}", data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith("/dashboard") and "evil" not in location
    assert all("evil" not in cookie for cookie in response.headers.getlist("Set-Cookie"))


# --- profile institution changes are on the record (issue 9 item 6) ---------------------------


def test_changing_the_profiles_institution_is_audited(client) -> None:  # type: ignore[no-untyped-def]
    from app.audit import AuditEntry

    first, second = InstitutionFactory(name="Школа № 1"), InstitutionFactory(name="Школа № 2")
    user = teacher(institution=first)
    db.session.commit()
    login(client, user)
    data = {"full_name": user.full_name, "timezone": "Europe/Moscow", "locale": "ru"}
    client.post("/auth/profile", data={**data, "institution": str(second.id)})
    client.post("/auth/profile", data={**data, "institution": str(second.id)})  # no change: no entry
    client.post("/auth/profile", data={**data, "institution": "0"})
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.institution_changed").order_by(AuditEntry.id)
    ).all()
    assert [(e.actor_id, e.object_id, e.details["institution_id"]) for e in entries] == [
        (user.id, user.id, [first.id, second.id]),
        (user.id, user.id, [second.id, None]),
    ]
