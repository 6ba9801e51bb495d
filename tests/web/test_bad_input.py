"""Bad input through the pages is a 4xx in the site's layout with a clear message, never a 500
(issue 9, item 8): ids beyond the database's integer, huge pages, NUL characters, dates a form
cannot put in UTC, and 405 pages that say which methods are allowed."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.input_guard import nul_message
from app.timeutil import out_of_range_message
from courses.models import Item
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import admin, teacher
from tests.factories.courses import count
from tests.factories.jury import jury_stage

BEYOND = [2**31, 2**63, 10**30]  # PostgreSQL's integer, SQLite's integer, neither


def _russian(message) -> str:  # type: ignore[no-untyped-def]
    with force_locale("ru"):
        return str(message())


@pytest.mark.parametrize("big", BEYOND)
def test_ids_beyond_the_database_integer_are_not_found(client, big) -> None:  # type: ignore[no-untyped-def]
    login(client, admin())
    for path in (
        f"/courses/{big}",
        f"/contests/{big}",
        f"/contests/stages/{big}/results",
        f"/courses/modules/{big}/edit",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert 'data-status="404"' in response.get_data(as_text=True)


def test_nul_in_the_login_form_is_refused_with_a_message(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/auth/login", data={"email": "admin\x00@example.org", "password": "secret"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-status="422"' in page and _russian(nul_message) in page


def test_nul_in_the_query_string_is_a_bad_request(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/contests?q=a%00b")
    assert response.status_code == 400 and _russian(nul_message) in response.get_data(as_text=True)


def test_huge_page_numbers_and_ids_in_the_query_are_read_safely(client) -> None:  # type: ignore[no-untyped-def]
    built = jury_stage(entries=1, jurors=1)
    login(client, admin())
    for query in (f"page={10**30}", f"page={2**63}", f"per_page={10**30}"):
        assert client.get(f"/admin/users?{query}").status_code == 200, query
    response = client.get(f"/contests/stages/{built.stage.id}/results?division={2**63}&page={10**30}")
    assert response.status_code == 200


def test_405_page_carries_allow(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/")
    assert response.status_code == 405 and 'data-status="405"' in response.get_data(as_text=True)
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    ("zone", "typed"),
    [
        ("Europe/Moscow", "0001-01-01T00:00"),
        ("America/New_York", "9999-12-31T23:00"),
        ("Europe/Moscow", "1812-09-07T10:00"),
    ],
)
def test_a_date_out_of_range_is_a_message_by_the_field(client, zone, typed) -> None:  # type: ignore[no-untyped-def]
    author = teacher(timezone=zone)
    course = cf.course(author=author)
    login(client, author)
    response = client.post(f"/courses/{course.id}/modules", data={"title": "Модуль", "visible_from": typed})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _russian(out_of_range_message) in page and "invalid-feedback" in page


@pytest.mark.parametrize("big", BEYOND)
def test_integer_form_fields_beyond_the_database_integer_are_refused(client, big) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    course = cf.course(author=author)
    login(client, author)
    # The gradebook's override form is refused by its IntegerFields (the page then redirects back).
    response = client.post(
        f"/courses/{course.id}/gradebook", data={"item_id": big, "user_id": big, "points": "5"}
    )
    assert response.status_code == 302


def test_completion_points_the_database_cannot_hold_are_a_message_by_the_field(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    module = cf.module(cf.course(author=author))
    login(client, author)
    response = client.post(
        f"/courses/modules/{module.id}/items/new/assignment",  # a page no longer asks for points
        data={
            "title": "Эссе",
            "max_points": "10",
            "completion": "graded",
            "completion_points": "1e20",
            "weight": "1",
            "prerequisite": "0",
            "allow_text": "y",
            "allowed_extensions": "pdf",
            "max_file_mb": "5",
            "max_files": "2",
        },
    )
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert count(Item) == 0
