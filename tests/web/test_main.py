"""Home, dashboard, the network page, error pages, security headers, cookies and CSRF."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from app.notifications import notify
from tests.conftest import login
from tests.factories.accounts import InstitutionFactory, UserFactory, admin, student, teacher


def test_home_page_for_visitors_and_redirect_for_members(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Вместе" in html and "Зарегистрироваться" in html
    user = teacher()
    db.session.commit()
    login(client, user)
    assert client.get("/").headers["Location"].endswith("/dashboard")


def test_dashboard_shows_profile_institution_and_links(client) -> None:  # type: ignore[no-untyped-def]
    school = InstitutionFactory(name="Гимназия № 1", district="Центральный район")
    user = teacher(full_name="Татьяна Иванова", institution=school)
    db.session.commit()
    login(client, user)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Здравствуйте, Татьяна Иванова!" in html
    assert "Гимназия № 1" in html and "Центральный район" in html
    assert "Учитель" in html
    assert "/network" in html and "/auth/profile" in html
    assert "/admin/users" not in html  # admin links only for admins


def test_dashboard_shows_admin_links_to_admins(client) -> None:  # type: ignore[no-untyped-def]
    user = admin()
    db.session.commit()
    login(client, user)
    html = client.get("/dashboard").get_data(as_text=True)
    assert "/admin/users" in html and "/admin/institutions" in html


def test_network_page_lists_institutions_by_district_with_member_counts(client) -> None:  # type: ignore[no-untyped-def]
    a = InstitutionFactory(name="Лицей № 3", district="Ленинский район")
    b = InstitutionFactory(name="Школа № 47", district="Ленинский район")
    c = InstitutionFactory(name="Гимназия № 1", district="Центральный район")
    for _ in range(3):
        teacher(institution=a)
    student(institution=b)
    UserFactory(institution=b, active=False)  # deactivated people are not counted
    viewer = student(institution=c)
    db.session.commit()
    login(client, viewer)
    html = client.get("/network").get_data(as_text=True)
    assert html.index("Ленинский район") < html.index("Центральный район")
    assert html.index("Лицей № 3") < html.index("Школа № 47")
    rows = {
        name: html.split(name, 1)[1].split("data-members>", 1)[1].split("<", 1)[0]
        for name in ("Лицей № 3", "Школа № 47", "Гимназия № 1")
    }
    assert rows == {"Лицей № 3": "3", "Школа № 47": "1", "Гимназия № 1": "1"}


def _measure(client, count_queries, path: str) -> int:  # type: ignore[no-untyped-def]
    with count_queries(cold=True) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_network_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    viewer = teacher()
    InstitutionFactory.create_batch(3)
    db.session.commit()
    login(client, viewer)
    small = _measure(client, count_queries, "/network")
    for school in InstitutionFactory.create_batch(60):
        teacher(institution=school)
    db.session.commit()
    assert _measure(client, count_queries, "/network") == small


def test_dashboard_runs_a_fixed_number_of_queries(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    viewer = teacher()
    db.session.commit()
    login(client, viewer)
    small = _measure(client, count_queries, "/dashboard")
    for school in InstitutionFactory.create_batch(30):
        teacher(institution=school)
    for n in range(40):
        notify(viewer.id, f"Уведомление {n}")
    db.session.commit()
    assert _measure(client, count_queries, "/dashboard") == small


def test_notifications_page_lists_and_marks_read(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    notify(user.id, "Вас зачислили на курс", "/dashboard")
    db.session.commit()
    login(client, user)
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'text-bg-warning">1<' in html
    assert "Вас зачислили на курс" in client.get("/notifications").get_data(as_text=True)
    assert client.post("/notifications").status_code == 302
    assert 'text-bg-warning">1<' not in client.get("/dashboard").get_data(as_text=True)


# --- error pages --------------------------------------------------------------------------------


def test_404_page_in_layout_and_language(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'data-status="404"' in html and "navbar" in html and "Не найдено." in html
    client.post("/language", data={"locale": "en"})
    assert "Not found." in client.get("/no/such/page").get_data(as_text=True)


def test_500_page_in_layout_and_language(app, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken():  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setitem(app.config, "RENDER_500", True)
    monkeypatch.setitem(app.view_functions, "main.index", broken)
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert 'data-status="500"' in html and "navbar" in html
    assert "Что-то пошло не так" in html and "boom" not in html


def test_500_in_the_api_has_the_error_shape(app, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken():  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setitem(app.config, "RENDER_500", True)
    monkeypatch.setitem(app.view_functions, "api.openapi_openapi_document", broken)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"


def test_405_page(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/auth/logout").status_code == 405


# --- security -----------------------------------------------------------------------------------


def test_security_headers_on_every_page(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/auth/login", "/no/such/page", "/api/v1/openapi.json"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client) -> None:  # type: ignore[no-untyped-def]
    user = admin()
    db.session.commit()
    login(client, user)
    for path in ("/dashboard", "/network", "/admin/users", "/admin/institutions", "/auth/profile"):
        html = client.get(path).get_data(as_text=True)
        assert "style=" not in html, path
        for chunk in html.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), path


def test_session_cookie_is_httponly_and_samesite(client) -> None:  # type: ignore[no-untyped-def]
    user = teacher()
    db.session.commit()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": "password123", "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember


@pytest.fixture()
def production_app(tmp_path: Path) -> Flask:
    return create_app(
        {
            "CONFIG_NAME": "production",
            "SECRET_KEY": "production-test-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )


def test_production_cookies_are_secure_and_csrf_is_on(production_app: Flask) -> None:
    with production_app.app_context():
        client = production_app.test_client()
        response = client.get("/auth/login")
        session = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
        assert "Secure" in session and "HttpOnly" in session
        assert "Strict-Transport-Security" in response.headers
        assert production_app.config["REMEMBER_COOKIE_SECURE"] is True
        assert production_app.config.get("WTF_CSRF_ENABLED", True) is True
        db.engine.dispose()


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("VMESTE_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"CONFIG_NAME": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})


def test_development_creates_an_instance_secret_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("VMESTE_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'd.db'}"
    first = create_app({"CONFIG_NAME": "development", "SQLALCHEMY_DATABASE_URI": url})
    second = create_app({"CONFIG_NAME": "development", "SQLALCHEMY_DATABASE_URI": url})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) > 40
    assert (tmp_path / "config.py").stat().st_mode & 0o777 == 0o600
    for made in (first, second):
        with made.app_context():
            db.engine.dispose()


def test_csrf_is_enforced_when_enabled(app, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = teacher()
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": "password123"})
    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)
    # with the token from the page, the same form works
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/auth/login", data={"email": user.email, "password": "password123", "csrf_token": token}
    )
    assert response.status_code == 302
    # the API takes bearer tokens and needs no CSRF token
    from app.account_services import issue_token

    api = app.test_client()
    raw = issue_token(user)
    response = api.post("/api/v1/auth/token", json={"email": user.email, "password": "password123"})
    assert response.status_code == 200
    assert api.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {raw}"}).status_code == 204


def test_static_bootstrap_is_served_locally(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert client.get("/static/vendor/bootstrap/bootstrap.min.css").status_code == 200
    assert client.get("/static/vendor/bootstrap/bootstrap.bundle.min.js").status_code == 200


def test_network_page_is_paginated(client) -> None:  # type: ignore[no-untyped-def]
    viewer = teacher(institution=None)
    for n in range(120):
        InstitutionFactory(name=f"Школа {n:03d}", district="Один район")
    db.session.commit()
    login(client, viewer)
    first = client.get("/network").get_data(as_text=True)
    assert "Школа 000" in first and "Школа 099" in first and "Школа 100" not in first
    assert "120 учреждений" in first and "Страница 1 из 2" in first
    second = client.get("/network?page=2").get_data(as_text=True)
    assert "Школа 119" in second and "Школа 000" not in second


def test_times_are_shown_in_the_viewers_time_zone(client) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from app.notifications import Notification

    user = teacher(timezone="Asia/Novosibirsk")
    db.session.add(
        Notification(user_id=user.id, text="Итоги этапа", created_at=datetime(2026, 1, 10, 12, 0, tzinfo=UTC))
    )
    db.session.commit()
    login(client, user)
    html = client.get("/notifications").get_data(as_text=True)
    assert "10.01.2026, 19:00" in html and "12:00" not in html


def test_language_switch_needs_no_token_from_a_visitor_but_does_from_a_signed_in_person(
    app, client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    home = client.get("/")
    assert 'id="language-switch"' in home.get_data(as_text=True)
    assert "Set-Cookie" not in home.headers  # the visitor got no session for the switch
    response = client.post("/language", data={"locale": "en", "next": "/auth/login"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/auth/login").get_data(as_text=True)
    user = teacher()
    db.session.commit()
    signed_in = app.test_client()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    login(signed_in, user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert signed_in.post("/language", data={"locale": "en"}).status_code == 400
    db.session.refresh(user)
    assert user.locale != "en"
