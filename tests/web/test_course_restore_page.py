"""The course import page takes a Moodle `.mbz` as well as our own backup: a restore that left things
behind shows the report (in Russian) with the way into the course; a refusal stays on the form."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from courses.models import Course, Item
from tests.conftest import login
from tests.factories.accounts import juror, student, teacher
from tests.fixtures.moodle_mbz import Mbz
from tests.fixtures.moodle_sample import FIXTURE


def _upload(client: Any, data: bytes, name: str = "course.mbz") -> Any:
    return client.post(
        "/courses/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _courses() -> int:
    return db.session.scalar(select(func.count()).select_from(Course)) or 0


def test_the_form_offers_both_formats(app, client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    page = client.get("/courses/import").get_data(as_text=True)
    assert "наш (.zip) или Moodle (.mbz)" in page and 'accept=".zip,.mbz"' in page


def test_a_moodle_backup_shows_what_stayed_behind(app, client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    response = _upload(client, FIXTURE.read_bytes())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    course = db.session.scalars(select(Course)).one()
    assert "Курс восстановлен" in page and f'href="/courses/{course.id}"' in page
    assert (
        "Теперь на странице «Форумы» курса; его обсуждения (сообщения пользователей) не переносятся." in page
    )
    assert "Элементы курса типа «lesson» не поддерживаются; не перенесено." in page
    assert "Пользователи, их ответы, попытки и оценки не переносятся." in page
    assert page.count('class="restore-report-line"') >= 5


def test_a_clean_moodle_backup_goes_straight_to_the_course(app, client) -> None:  # type: ignore[no-untyped-def]
    mbz = Mbz()
    section = mbz.section("Введение")
    mbz.activity(section, "page", {"name": "Приветствие", "content": "<p>Здравствуйте!</p>"})
    login(client, teacher())
    response = _upload(client, mbz.build())
    course = db.session.scalars(select(Course)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/courses/{course.id}")
    assert "Приветствие" in client.get(f"/courses/{course.id}").get_data(as_text=True)


def test_a_broken_backup_stays_on_the_form_with_the_reason(app, client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    response = _upload(client, FIXTURE.read_bytes()[:3000])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Архив повреждён" in page and "Ничего не импортировано" in page
    assert _courses() == 0


@pytest.mark.parametrize("make", [student, juror])
def test_who_may_not_create_courses_may_not_restore(app, client, make) -> None:  # type: ignore[no-untyped-def]
    login(client, make())
    assert client.get("/courses/import").status_code == 403
    assert _upload(client, FIXTURE.read_bytes()).status_code == 403
    assert _courses() == 0


def test_a_restored_page_shows_its_picture_from_the_course(app, client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    _upload(client, FIXTURE.read_bytes())
    page = db.session.scalar(select(Item).where(Item.title == "Теория"))
    assert page is not None
    html = client.get(f"/courses/items/{page.id}").get_data(as_text=True)
    found = re.search(r'<img src="(/courses/\d+/assets/\d+)"', html)
    assert found is not None and "@@PLUGINFILE@@" not in html
    picture = client.get(found.group(1))
    assert picture.status_code == 200 and picture.mimetype == "image/png"
