"""Sessions end when they should (issue 9 item 4): logout ends that browser's session (a replayed
cookie is dead), a reset or a password change ends the others, a reset revokes API tokens, and a
deactivation ends everything, even after a later reactivation."""

from __future__ import annotations

from flask.testing import FlaskClient

from app import account_services, passwords
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import DEFAULT_PASSWORD, login
from tests.factories.accounts import admin, teacher


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/dashboard").status_code == 200


def _cookie(client: FlaskClient, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, name
    return cookie.value


def test_a_session_cookie_replayed_after_logout_no_longer_works(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    login(client, user)
    stolen = _cookie(client, "session")
    client.post("/auth/logout")
    client.set_cookie("session", stolen)
    assert not _signed_in(client)


def test_a_remember_cookie_replayed_after_logout_no_longer_works(app, client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    client.post("/auth/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"})
    remembered = _cookie(client, "remember_token")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert _signed_in(fresh)  # the remember cookie alone signs in a new browser…
    client.post("/auth/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert not _signed_in(replay)  # …until that login is ended


def test_logout_leaves_the_users_other_browsers_signed_in(app) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    laptop.post("/auth/logout")
    assert not _signed_in(laptop) and _signed_in(phone)


def test_a_password_reset_ends_every_session_and_revokes_api_tokens(app, api) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    browser = app.test_client()
    login(browser, user)
    caller = api(user)
    assert caller.get("/me").status_code == 200
    token = account_services.make_reset_token(user)
    passwords.reset_password(token, "brand-new-pass", now=utcnow())
    assert not _signed_in(browser)
    assert caller.get("/me").status_code == 401
    login(browser, user, "brand-new-pass")
    assert _signed_in(browser)


def test_a_password_change_keeps_this_session_and_ends_the_others(app) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    response = here.post(
        "/auth/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "password": "another-pass-1",
            "password2": "another-pass-1",
        },
    )
    assert response.status_code == 302
    assert _signed_in(here) and not _signed_in(elsewhere)
    login(elsewhere, user, "another-pass-1")


def test_a_password_change_needs_the_current_password(app, client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    login(client, user)
    response = client.post(
        "/auth/password",
        data={"current_password": "not-it", "password": "another-pass-1", "password2": "another-pass-1"},
    )
    assert response.status_code == 422 and "Текущий пароль указан неверно." in response.get_data(as_text=True)
    client.post("/auth/logout")
    login(client, user)  # the old password still works


def test_deactivation_ends_sessions_even_after_reactivation(app) -> None:  # type: ignore[no-untyped-def]
    actor, user = admin(), teacher()
    db.session.commit()
    browser = app.test_client()
    login(browser, user)
    account_services.admin_update_user(user, role="teacher", institution_id=None, active=False, actor=actor)
    assert not _signed_in(browser)
    account_services.admin_update_user(user, role="teacher", institution_id=None, active=True, actor=actor)
    assert not _signed_in(browser)
    login(browser, user)
    assert _signed_in(browser)


def test_a_session_id_without_a_login_key_is_refused(app, client) -> None:  # type: ignore[no-untyped-def]
    """Ids of the old form ("42") or forged ones sign nobody in."""
    user = teacher()
    db.session.commit()
    for forged in (str(user.id), f"{user.id}:1:", f"{user.id}:1:made-up-key", "x:y:z"):
        with client.session_transaction() as session:
            session["_user_id"] = forged
            session["_fresh"] = True
        assert not _signed_in(client), forged


def test_the_session_check_costs_no_extra_query(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    """The user, this login's row and the version come in the one query that loads the user."""
    user = teacher()
    db.session.commit()
    login(client, user)
    with count_queries(cold=True) as counter:
        assert client.get("/dashboard").status_code == 200
    loads = [s for s in counter.statements if "login_session" in s]
    assert len(loads) == 1 and "JOIN login_session" in loads[0]
