"""The dashboard's courses panel with no course yet says what to do next (issue 16): a teacher
creates a course, a pupil finds one in the catalogue or learns the teacher will enrol them."""

from __future__ import annotations

from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import juror, student, teacher


def _panel(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/dashboard").get_data(as_text=True)
    return html.split('id="courses-panel"')[1].split("</section>")[0] if 'id="courses-panel"' in html else ""


def test_teacher_with_no_course_is_asked_to_create_one(client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    panel = _panel(client)
    assert 'class="btn btn-primary" href="/courses/new">Создать курс</a>' in panel
    assert 'href="/courses/import"' in panel


def test_pupil_with_no_course_is_sent_to_the_catalogue(client) -> None:  # type: ignore[no-untyped-def]
    cf.course(enrolment_mode="key", enrolment_key="ключ")
    cf.course(enrolment_mode="invitation")
    login(client, student())
    panel = _panel(client)
    assert 'class="btn btn-primary" href="/courses/">Найти курс в каталоге</a>' in panel
    assert "открыт 1 курс" in panel


def test_pupil_with_nothing_to_join_is_told_who_enrols_them(client) -> None:  # type: ignore[no-untyped-def]
    cf.course(enrolment_mode="invitation")
    login(client, student())
    panel = _panel(client)
    assert "data-empty-state" in panel and "Учитель запишет вас" in panel and "btn-primary" not in panel


def test_pupil_in_a_course_sees_it_not_the_empty_state(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course(title="Алгебра, 7 класс", enrolment_mode="open")
    cf.enrolled(course)
    learner = cf.enrolled(course, student())
    login(client, learner)
    panel = _panel(client)
    assert "Алгебра, 7 класс" in panel and "data-empty-state" not in panel


def test_juror_without_courses_gets_no_courses_panel(client) -> None:  # type: ignore[no-untyped-def]
    login(client, juror())
    assert _panel(client) == ""
    assert "Москва (UTC+3)" in client.get("/dashboard").get_data(as_text=True)  # the zone by city
