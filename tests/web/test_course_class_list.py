"""Enrolling a class from an Excel file (issue 16): the participants page offers it as its primary
action, says what the file must hold, and gives a sample workbook that, filled in, enrols the class."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from courses.models import CourseMember
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import student, teacher
from tests.factories.courses import count


def test_participants_page_leads_with_the_class_upload(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    login(client, cf._author(course))
    html = client.get(f"/courses/{course.id}/members").get_data(as_text=True)
    header = html.split('id="enrol-class-button"')[0].rsplit("<a", 1)[1]
    assert 'class="btn btn-primary" href="#enrol-class"' in header
    assert html.index('id="enrol-csv"') < html.index('id="enrol-one"')  # the class first
    rules = html.split("data-file-rules>")[1].split("</ul>")[0]
    assert ".xlsx" in rules and "Электронная почта" in rules
    assert "<th>ФИО</th>" in html.replace(' scope="col"', "") and "Название" not in html


def test_sample_workbook_filled_in_enrols_the_class(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    pupils = [student(email=f"pupil{n}@school.ru") for n in range(3)]
    login(client, cf._author(course))
    sample = client.get(f"/courses/{course.id}/members/class-list-sample.xlsx")
    assert sample.status_code == 200 and sample.data[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(sample.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Электронная почта" and "ФИО" in header
    filled = Workbook()
    rows = filled.active
    rows.append(header)
    for pupil in pupils:
        rows.append([pupil.email, pupil.full_name, "7А"])
    data = io.BytesIO()
    filled.save(data)
    enrolled = client.post(
        f"/courses/{course.id}/members/csv",
        data={"csv-file": (io.BytesIO(data.getvalue()), "7А.xlsx"), "csv-role": "student"},
        content_type="multipart/form-data",
    )
    assert enrolled.status_code == 302
    assert count(CourseMember) == 1 + len(pupils)


@pytest.mark.parametrize("who", ["student", "outsider"])
def test_sample_is_for_the_course_teachers_only(client, who) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    viewer = cf.enrolled(course) if who == "student" else teacher()
    login(client, viewer)
    assert client.get(f"/courses/{course.id}/members/class-list-sample.xlsx").status_code == 403
