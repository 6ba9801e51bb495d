"""The other API imports read the same tables (issue 15): contest participants from an XLSX with
Russian headers or a cp1251 CSV, a course's class list of bare e-mails; and every CSV export offers
Excel's form (BOM and `;`, the default for Russian users) and XLSX."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.accounts import User
from app.exports import XLSX_MIME
from app.extensions import db
from contest_engine.models import Participation
from courses.models import CourseMember
from tests.factories import courses as cf
from tests.factories.accounts import InstitutionFactory, student, teacher
from tests.factories.contests import DivisionFactory, contest_with_organiser
from tests.web.test_contest_results_pages import _closed_ranked_stage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tabular"


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture()
def contest(app):  # type: ignore[no-untyped-def]
    InstitutionFactory(name="Лицей № 3")
    contest, owner = contest_with_organiser()
    DivisionFactory(contest=contest, name="5–8 классы")
    db.session.commit()
    return contest, owner


def test_participants_from_a_workbook_with_russian_headers(api, contest) -> None:  # type: ignore[no-untyped-def]
    row, owner = contest
    data = (FIXTURES / "participants.xlsx").read_bytes()
    body = (
        api(owner)
        .post(f"/contests/{row.id}/participants/import", data=data, content_type=XLSX_MIME)
        .get_json()
    )
    assert body == {"created": 2, "errors": []}
    orlov = db.session.scalar(select(User).where(User.email == "orlov@school3.ru"))
    assert orlov is not None and orlov.full_name == "Орлов Олег"
    grades = set(db.session.scalars(select(Participation.grade).where(Participation.contest_id == row.id)))
    assert grades == {"7", "8"}


def test_participants_bad_lines_with_text_then_valid_only(api, contest) -> None:  # type: ignore[no-untyped-def]
    row, owner = contest
    student(email="known@school3.ru")
    db.session.commit()
    text = (
        "Почта;ФИО;Номинация\n"
        "known@school3.ru;;5–8 классы\n"
        "Nobody;Никто;5–8 классы\n"
        "new@school3.ru;Новая Ученица;9–11 классы\n"
        "fresh@school3.ru;;5–8 классы\n"
    )
    url = f"/contests/{row.id}/participants/import"
    body = api(owner).post(url, data=text.encode("cp1251"), content_type="text/csv").get_json()
    assert body["created"] == 0
    assert [(e["line"], e["text"]) for e in body["errors"]] == [
        (3, "Nobody;Никто;5–8 классы"),
        (4, "new@school3.ru;Новая Ученица;9–11 классы"),
        (5, "fresh@school3.ru;;5–8 классы"),
    ]
    assert "Nobody" in body["errors"][0]["message"] and "9–11 классы" in body["errors"][1]["message"]
    assert _count(Participation) == 0
    partial = api(owner).post(url + "?valid_only=1", data=text.encode("cp1251"), content_type="text/csv")
    assert partial.get_json()["created"] == 1 and _count(Participation) == 1


def test_participants_import_is_the_organisers(api, contest) -> None:  # type: ignore[no-untyped-def]
    row, _owner = contest
    data = (FIXTURES / "participants.xlsx").read_bytes()
    refused = api(teacher()).post(
        f"/contests/{row.id}/participants/import", data=data, content_type=XLSX_MIME
    )
    assert refused.status_code in (403, 404) and _count(Participation) == 0


def test_enrolment_from_a_class_list_by_the_api(api) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    author = cf._author(course)
    student(email="pupil1@school3.ru")
    db.session.commit()
    url = f"/courses/{course.id}/enrolments/import"
    data = (FIXTURES / "class_list.csv").read_bytes()
    body = api(author).post(url, data=data, content_type="text/csv").get_json()
    assert body == {
        "created": 0,
        "already": 0,
        "errors": [{"line": 2, "text": "pupil2@school3.ru", "message": "Нет пользователя с таким e-mail."}],
    }
    assert _count(CourseMember) == 1
    student(email="pupil2@school3.ru")
    db.session.commit()
    multipart = api(author).post(
        url, data={"file": (io.BytesIO(data), "класс.csv")}, content_type="multipart/form-data"
    )
    assert multipart.get_json() == {"created": 2, "already": 0, "errors": []} and _count(CourseMember) == 3
    assert api(student()).post(url, data=data, content_type="text/csv").status_code in (403, 404)
    bad_role = api(author).post(url + "?role=king", data=data, content_type="text/csv")
    assert bad_role.status_code == 422 and "role" in bad_role.get_json()["error"]["fields"]


def _csv_rows(text: str, separator: str) -> list[list[str]]:
    return [line.split(separator) for line in text.strip("\r\n").split("\r\n")]


def test_results_csv_is_excel_ready_for_russian_users_plain_on_request_and_xlsx_too(api) -> None:  # type: ignore[no-untyped-def]
    _contest, owner, card = _closed_ranked_stage(3)
    caller = api(owner)
    default = caller.get(f"/stages/{card.id}/results.csv")
    assert default.status_code == 200 and default.mimetype == "text/csv"
    assert default.data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(default.data.decode("utf-8-sig"), ";")
    assert len(rows) == 4 and len({len(row) for row in rows}) == 1 and len(rows[0]) > 3
    plain = caller.get(f"/stages/{card.id}/results.csv?excel=0").data
    assert (
        not plain.startswith(b"\xef\xbb\xbf")
        and plain.decode().split("\r\n")[0].count(",") == len(rows[0]) - 1
    )
    owner.locale = "en"
    db.session.commit()
    assert not caller.get(f"/stages/{card.id}/results.csv").data.startswith(b"\xef\xbb\xbf")
    assert caller.get(f"/stages/{card.id}/results.csv?excel=1").data.startswith(b"\xef\xbb\xbf")
    xlsx = caller.get(f"/stages/{card.id}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype == XLSX_MIME
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert sheet.max_row == 4 and [cell.value for cell in sheet[1]] == rows[0]
    assert api(student()).get(f"/stages/{card.id}/results.xlsx").status_code in (403, 404)
