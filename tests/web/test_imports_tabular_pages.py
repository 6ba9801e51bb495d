"""The other pages that take a table (issue 15): a course's class list and a contest's participants
(a file or lines pasted from a spreadsheet), each refused line listed on its own; and the
gradebook's CSV in Excel's form for Russian users."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from contest_engine.models import Participation
from courses.models import CourseMember
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import student
from tests.web.test_contest_pages import running_contest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tabular"


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _items(html: str) -> list[tuple[int, str]]:
    return [(int(n), body) for n, body in re.findall(r'<li data-line="(\d+)">(.*?)</li>', html, flags=re.S)]


def _class_list_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ФИО", "Эл. почта"])
    sheet.append(["Первый Ученик", "Pupil1@School3.ru"])
    sheet.append(["Без адреса", "нет"])
    sheet.append(["Третий", "ghost@school3.ru"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_course_class_list_from_xlsx_lists_each_bad_line_then_enrols_the_valid_ones(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    student(email="pupil1@school3.ru")
    login(client, cf._author(course))
    url = f"/courses/{course.id}/members/csv"
    data = {"csv-file": (io.BytesIO(_class_list_xlsx()), "7б.xlsx"), "csv-role": "student"}
    refused = client.post(url, data=data, content_type="multipart/form-data")
    assert refused.status_code == 422 and _count(CourseMember) == 1
    items = _items(refused.get_data(as_text=True))
    assert [n for n, _ in items] == [3, 4]
    assert "Без адреса;нет" in items[0][1] and "ghost@school3.ru" in items[1][1]
    data = {
        "csv-file": (io.BytesIO(_class_list_xlsx()), "7б.xlsx"),
        "csv-role": "student",
        "csv-valid_only": "y",
    }
    partial = client.post(url, data=data, content_type="multipart/form-data")
    assert partial.status_code == 200 and _count(CourseMember) == 2
    assert len(_items(partial.get_data(as_text=True))) == 2


def test_course_class_list_in_cp1251_without_a_header(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    student(email="pupil1@school3.ru")
    student(email="pupil2@school3.ru")
    login(client, cf._author(course))
    data = {
        "csv-file": (io.BytesIO((FIXTURES / "class_list.csv").read_bytes()), "7б.csv"),
        "csv-role": "student",
    }
    response = client.post(f"/courses/{course.id}/members/csv", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and _count(CourseMember) == 3
    old_excel = {"csv-file": (io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)), "7б.xls")}
    refused = client.post(
        f"/courses/{course.id}/members/csv", data=old_excel, content_type="multipart/form-data"
    )
    assert refused.status_code == 422 and ".xls" in refused.get_data(as_text=True)


def test_contest_participants_from_a_file_or_pasted_from_a_spreadsheet(client) -> None:  # type: ignore[no-untyped-def]
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    url = f"/contests/{contest.id}/participants"
    text = "Почта;ФИО;Номинация;Класс\nanna@school3.ru;Анна Белова;5-8;7\nNobody;Никто;5-8;7\n"
    data = {"file": (io.BytesIO(text.encode("cp1251")), "участники.csv")}
    refused = client.post(url, data=data, content_type="multipart/form-data")
    assert refused.status_code == 422 and _count(Participation) == 0
    assert [(n, "Nobody;Никто;5-8;7" in body) for n, body in _items(refused.get_data(as_text=True))] == [
        (3, True)
    ]
    pasted = "email\tfull_name\tdivision\nanna@school3.ru\tАнна Белова\t5-8\n"
    done = client.post(url, data={"csv_text": pasted})
    assert done.status_code == 302 and _count(Participation) == 1
    nothing = client.post(url, data={"csv_text": "  "}, content_type="multipart/form-data")
    assert nothing.status_code == 422 and _count(Participation) == 1


def test_gradebook_csv_is_excel_ready_for_russian_users_and_plain_on_request(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    cf.assignment(cf.module(course), max_points="10")
    cf.enrolled(course)
    author = cf._author(course)
    login(client, author)
    page = client.get(f"/courses/{course.id}/gradebook").get_data(as_text=True)
    assert "gradebook.csv?excel=1" in page and "gradebook.csv?excel=0" in page
    excel = client.get(f"/courses/{course.id}/gradebook.csv")
    assert excel.data.startswith(b"\xef\xbb\xbf") and b";" in excel.data.split(b"\r\n")[0]
    plain = client.get(f"/courses/{course.id}/gradebook.csv?excel=0")
    assert not plain.data.startswith(b"\xef\xbb\xbf") and b";" not in plain.data.split(b"\r\n")[0]
    author.locale = "en"
    db.session.commit()
    assert not client.get(f"/courses/{course.id}/gradebook.csv").data.startswith(b"\xef\xbb\xbf")
    assert client.get(f"/courses/{course.id}/gradebook.csv?excel=1").data.startswith(b"\xef\xbb\xbf")
