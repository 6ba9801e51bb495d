"""The layout's kept parts (app/layout_fragments.py) show each person the menus their permissions
give, in their language, with their own CSRF token, however many others were served before them."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import g
from flask.testing import FlaskClient

from app.accounts import User
from app.extensions import db
from app.layout_fragments import CSRF_SLOT
from tests.conftest import login
from tests.factories.accounts import admin, methodist, student, teacher

EMPTY_PAGE = "/auth/password"


def _page(client: FlaskClient, path: str = EMPTY_PAGE) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _editor_config(html: str) -> dict[str, Any]:
    found = re.search(r"id=\"markdown-editor\"\s+data-config='([^']*)'", html)
    assert found, "the Markdown editor's script tag"
    return dict(json.loads(found.group(1).replace("&#34;", '"').replace("&#39;", "'")))


def _switch_token(html: str) -> str:
    form = html.split('id="language-switch"', 1)[1].split("</form>", 1)[0]
    return form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_each_role_sees_its_own_menus_from_one_app(app: Any) -> None:
    people = {"teacher": teacher(), "admin": admin(), "methodist": methodist(), "student": student()}
    db.session.commit()
    pages: dict[str, str] = {}
    for _round in range(2):  # the second round is served from what the first kept
        for name, person in people.items():
            client = app.test_client()
            login(client, person)
            html = _page(client)
            assert pages.setdefault(name, html.split("</nav>")[0]) == html.split("</nav>")[0]
    assert 'id="nav-admin"' in pages["admin"] and 'id="nav-districts"' in pages["admin"]
    assert 'id="nav-admin"' not in pages["teacher"] and 'id="nav-admin"' not in pages["methodist"]
    assert 'id="nav-my-materials"' in pages["teacher"] and 'id="nav-my-materials"' not in pages["student"]
    assert 'id="nav-message-reports"' in pages["admin"] and 'id="nav-monitoring"' in pages["admin"]
    assert 'id="nav-monitoring"' not in pages["methodist"] and 'id="nav-forums"' in pages["student"]
    for name, html in pages.items():
        full_name = people[name].full_name
        assert f'title="{full_name}"' in html, name  # the personal part is each person's own


def test_the_kept_parts_follow_the_persons_language(client: FlaskClient) -> None:
    me = teacher()
    me_id = me.id
    db.session.commit()
    login(client, me)
    russian = _page(client)
    assert ">Главная</a>" in russian and "Проверить документ" in russian
    assert _editor_config(russian)["words"]["preview"] == "Просмотр"
    db.session.get_one(User, me_id).locale = "en"
    db.session.commit()
    english = _page(client)
    assert ">Dashboard</a>" in english and "Check a document" in english
    assert _editor_config(english)["words"]["preview"] == "Preview"
    db.session.get_one(User, me_id).locale = "ru"
    db.session.commit()
    assert ">Главная</a>" in _page(client)


def test_each_browser_gets_its_own_token_in_the_kept_editor(app: Any) -> None:
    first, second = app.test_client(), app.test_client()
    login(first, teacher())
    login(second, teacher())
    db.session.commit()
    # The suite keeps one app context around its requests, so Flask-WTF's per-request copy of the
    # token (in `g`) is dropped by hand between them, as a real request's own context would be.
    one = _page(first)
    g.pop("csrf_token", None)
    two = _page(second)
    g.pop("csrf_token", None)
    assert CSRF_SLOT not in one and CSRF_SLOT not in two
    token_one, token_two = _editor_config(one)["csrf"], _editor_config(two)["csrf"]
    assert token_one and token_two and token_one != token_two
    assert token_one == _switch_token(one) and token_two == _switch_token(two)
    assert _editor_config(_page(first))["csrf"] == _switch_token(_page(first))


def test_a_visitor_gets_the_editor_without_a_token_or_a_session(client: FlaskClient) -> None:
    response = client.get("/auth/login")
    html = response.get_data(as_text=True)
    config = _editor_config(html)
    assert config["csrf"] is None and config["preview"] is None
    assert CSRF_SLOT not in html and "Set-Cookie" not in response.headers
    assert 'id="nav-courses"' not in html and ">Войти</a>" in html
