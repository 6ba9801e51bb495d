"""The shell of issue 16: the header's rooms by role, link breadcrumbs on nested pages, empty states
that offer the next step, and Russian words only where codes used to show."""

from __future__ import annotations

import re
from typing import Any

from app.extensions import db
from tests.conftest import login
from tests.factories.accounts import admin, organiser, student, teacher


def _page(client: Any, user: Any, path: str) -> str:
    db.session.commit()
    login(client, user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _crumb_links(html: str) -> list[str]:
    crumbs = html.split("data-breadcrumbs", 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li class="breadcrumb-item"><a href="([^"]+)"', crumbs)


def test_the_administrator_manages_from_one_menu(client: Any) -> None:
    html = _page(client, admin(), "/dashboard")
    menu = html.split('id="nav-admin"', 1)[1].split("</ul>", 1)[0]
    for path in ("/admin/users", "/admin/users/import", "/admin/institutions", "/monitoring/districts"):
        assert f'href="{path}"' in menu, path
    assert "Управление" in html
    assert 'id="nav-courses"' in html  # a primary room stays a link of its own


def test_no_one_else_sees_the_administration_menu(client: Any) -> None:
    for person in (organiser(), teacher(), student()):
        html = _page(client, person, "/dashboard")
        assert 'id="nav-admin"' not in html
        assert 'href="/admin/users"' not in html
        assert 'id="nav-my-quizzes"' in html  # one's own pages sit under one's name
        client.post("/auth/logout")


def test_nested_admin_pages_have_link_breadcrumbs(client: Any) -> None:
    boss = admin()
    other = teacher()
    db.session.commit()
    html = _page(client, boss, f"/admin/users/{other.id}")
    assert _crumb_links(html) == ["/admin/users"]
    html = client.get("/admin/users/import").get_data(as_text=True)
    assert _crumb_links(html) == ["/admin/users"]


def test_the_user_import_names_roles_in_russian_only(client: Any) -> None:
    html = _page(client, admin(), "/admin/users/import")
    assert "«Учитель»" in html
    assert "<code>teacher</code>" not in html


def test_an_empty_shelf_offers_to_publish(client: Any) -> None:
    html = _page(client, teacher(), "/library/my")
    assert "Вы пока ничего не опубликовали" in html
    empty = html.split("data-empty-row", 1)[1].split("</tr>", 1)[0]
    assert 'href="/library/materials/new"' in empty
    assert _crumb_links(html) == ["/library/"]


def test_an_empty_calendar_offers_a_new_event_only_to_who_may_plan(client: Any) -> None:
    html = _page(client, organiser(), "/events?q=nothing-like-this")
    empty = html.split("data-empty-row", 1)[1].split("</tr>", 1)[0]
    assert "измените фильтры" in empty
    assert 'href="/events/new"' in empty  # an organiser plans events
    client.post("/auth/logout")
    html = _page(client, teacher(), "/events?q=nothing-like-this")
    empty = html.split("data-empty-row", 1)[1].split("</tr>", 1)[0]
    assert "измените фильтры" in empty
    assert "/events/new" not in empty  # a teacher who hosts nothing may not
