"""The course gradebook page: overrides, the one-form-per-row grid, exports and who may see what."""

from __future__ import annotations

from decimal import Decimal

from app.timeutil import utcnow
from courses import gradebook
from tests.conftest import login
from tests.factories import courses as cf


def test_gradebook_page_override_and_exports(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    task = cf.assignment(cf.module(course), max_points="10")
    first, second = cf.enrolled(course), cf.enrolled(course)
    login(client, cf._author(course))
    assert (
        client.post(
            f"/courses/{course.id}/gradebook", data={"item_id": task.id, "user_id": first.id, "points": "8"}
        ).status_code
        == 302
    )
    page = client.get(f"/courses/{course.id}/gradebook").get_data(as_text=True)
    assert "overridden" in page and "data-total>80\u00a0%</td>" in page  # «80 %», by the locale
    client.post(
        f"/courses/{course.id}/gradebook", data={"item_id": task.id, "user_id": first.id, "points": "99"}
    )
    assert gradebook.gradebook(course).rows[0].grades[0][0] == Decimal("8")
    csv = client.get(f"/courses/{course.id}/gradebook.csv")
    assert csv.status_code == 200 and first.full_name in csv.get_data(as_text=True)
    assert client.get(f"/courses/{course.id}/gradebook.xlsx").data[:2] == b"PK"
    client.post("/auth/logout")
    login(client, second)
    own = client.get(f"/courses/{course.id}/gradebook").get_data(as_text=True)
    assert second.full_name in own and first.full_name not in own
    assert (
        client.post(
            f"/courses/{course.id}/gradebook", data={"item_id": task.id, "user_id": second.id, "points": "10"}
        ).status_code
        == 403
    )
    assert client.get(f"/courses/{course.id}/gradebook.csv").status_code == 403


def test_gradebook_row_form_saves_only_changed_cells(client) -> None:  # type: ignore[no-untyped-def]
    """The page has one form per row (no form per cell); Enter without JavaScript sends the whole
    row, and only the cells that differ from the grade shown are saved."""
    course = cf.course()
    module = cf.module(course)
    first_task, second_task = cf.assignment(module, max_points="10"), cf.assignment(module, max_points="10")
    learner, other = cf.enrolled(course), cf.enrolled(course)
    gradebook.set_override(course, second_task, learner, Decimal("5"), actor=cf._author(course), now=utcnow())
    login(client, cf._author(course))
    page = client.get(f"/courses/{course.id}/gradebook").get_data(as_text=True)
    assert page.split("<tbody>")[1].count('name="csrf_token"') == 2 and f'id="gb-row-{learner.id}"' in page
    assert f'form="gb-row-{learner.id}" name="p{first_task.id}"' in page
    assert "<form" not in page.split("<tbody>")[1].split("<td")[1]  # cells hold no forms
    saved = client.post(
        f"/courses/{course.id}/gradebook",
        data={"user_id": learner.id, f"p{first_task.id}": "7", f"p{second_task.id}": "5"},
    )
    assert saved.status_code == 302
    row = gradebook.gradebook(course, only_user=learner).rows[0]
    assert row.grades == [(Decimal("7"), True), (Decimal("5"), True)]
    client.post(
        f"/courses/{course.id}/gradebook",
        data={"user_id": learner.id, f"p{first_task.id}": "7", f"p{second_task.id}": ""},
    )
    assert gradebook.gradebook(course, only_user=learner).rows[0].grades == [
        (Decimal("7"), True),
        (None, False),
    ]
    refused = client.post(
        f"/courses/{course.id}/gradebook",
        data={"user_id": learner.id, f"p{first_task.id}": "11", f"p{second_task.id}": "abc"},
        follow_redirects=True,
    )
    assert gradebook.gradebook(course, only_user=learner).rows[0].grades[0] == (Decimal("7"), True)
    assert "Points must" in refused.get_data(as_text=True) or "Баллы" in refused.get_data(as_text=True)
    assert (
        client.post(
            f"/courses/{course.id}/gradebook",
            data={"user_id": cf._author(course).id, f"p{first_task.id}": "3"},
        ).status_code
        == 404
    )
    assert gradebook.gradebook(course, only_user=other).rows[0].grades[0] == (None, False)
    client.post("/auth/logout")
    login(client, learner)
    assert (
        client.post(
            f"/courses/{course.id}/gradebook", data={"user_id": learner.id, f"p{first_task.id}": "10"}
        ).status_code
        == 403
    )
