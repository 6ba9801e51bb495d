"""The user import page (issue 15): admins and organisers upload a table from Excel; each refused line
is its own list item with its number, original text and reason; "import the valid ones"; the empty
template to download as CSV for Excel and as XLSX; the link from the admin users page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from tests.conftest import login
from tests.factories.accounts import InstitutionFactory, admin, juror, organiser, student, teacher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tabular"
URL = "/admin/users/import"


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def _upload(client, name: str, *, valid_only: bool = False):  # type: ignore[no-untyped-def]
    data = {"file": (io.BytesIO((FIXTURES / name).read_bytes()), name)}
    if valid_only:
        data["valid_only"] = "y"
    return client.post(URL, data=data, content_type="multipart/form-data")


@pytest.fixture()
def signed_in(client):  # type: ignore[no-untyped-def]
    InstitutionFactory(name="Лицей № 3")
    user = admin()
    db.session.commit()
    login(client, user)
    return client


def test_the_admin_users_page_links_to_the_import(signed_in) -> None:  # type: ignore[no-untyped-def]
    page = signed_in.get("/admin/users").get_data(as_text=True)
    assert f'href="{URL}"' in page
    form = signed_in.get(URL)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="valid_only"' in html
    assert "/admin/users/import/template.csv?excel=1" in html and "/admin/users/import/template.xlsx" in html


@pytest.mark.parametrize("name", ["users_excel_cp1251.csv", "users.xlsx", "users_unicode.txt"])
def test_a_file_from_excel_creates_the_users(signed_in, name) -> None:  # type: ignore[no-untyped-def]
    before = _users()
    response = _upload(signed_in, name)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    assert _users() > before
    assert "Создано пользователей" in signed_in.get("/admin/users").get_data(as_text=True)


def test_each_bad_line_is_its_own_item_and_nothing_is_created(signed_in) -> None:  # type: ignore[no-untyped-def]
    before = _users()
    response = _upload(signed_in, "users_bad_lines_cp1251.csv")
    assert response.status_code == 422 and _users() == before
    html = response.get_data(as_text=True)
    items = re.findall(r'<li data-line="(\d+)">(.*?)</li>', html, flags=re.S)
    assert [int(line) for line, _ in items] == [3, 4, 5, 6, 7]
    assert "Не адрес;Сидоров Сидор;ученик;" in items[0][1] and "Строка 3" in items[0][1]
    assert "IVANOVA@school3.ru;Иванова-2;учитель;" in items[3][1]  # never lower-cased
    assert "«Директор»" in items[2][1]
    assert "Ничего не импортировано" in html


def test_valid_only_creates_the_good_line_and_lists_the_others(signed_in) -> None:  # type: ignore[no-untyped-def]
    before = _users()
    response = _upload(signed_in, "users_bad_lines_cp1251.csv", valid_only=True)
    assert response.status_code == 200 and _users() == before + 1
    html = response.get_data(as_text=True)
    assert "Импортировано: 1" in html and html.count('<li data-line="') == 5


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".xls"),
        ("Фамилия;Почта\nПетров;a@b.ru\n".encode("koi8_r"), "Windows-1251"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_by_the_field(signed_in, data, fragment) -> None:  # type: ignore[no-untyped-def]
    response = signed_in.post(
        URL, data={"file": (io.BytesIO(data), "list.xls")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True) and fragment in response.get_data(
        as_text=True
    )


def test_no_file_is_refused(signed_in) -> None:  # type: ignore[no-untyped-def]
    assert signed_in.post(URL, data={}, content_type="multipart/form-data").status_code == 422


def test_the_template_as_csv_for_excel_plain_csv_and_xlsx(signed_in) -> None:  # type: ignore[no-untyped-def]
    excel = signed_in.get(URL + "/template.csv")
    assert excel.status_code == 200 and excel.mimetype == "text/csv"
    assert excel.data == "\ufeffПочта;ФИО;Роль;Учреждение\r\n".encode()
    plain = signed_in.get(URL + "/template.csv?excel=0")
    assert plain.data == "Почта,ФИО,Роль,Учреждение\r\n".encode()
    xlsx = signed_in.get(URL + "/template.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["Почта", "ФИО", "Роль", "Учреждение"]
    filled = excel.data + "nova@school3.ru;Новикова Нина;ученик;Лицей № 3\r\n".encode()
    back = signed_in.post(
        URL, data={"file": (io.BytesIO(filled), "users.csv")}, content_type="multipart/form-data"
    )
    assert back.status_code == 302 and db.session.scalar(select(User).where(User.email == "nova@school3.ru"))


def test_an_organiser_may_import_but_not_create_admins(client) -> None:  # type: ignore[no-untyped-def]
    login(client, organiser())
    assert client.get(URL).status_code == 200
    text = "email;ФИО;роль\nboss@example.org;Босс;admin\n".encode("cp1251")
    response = client.post(
        URL, data={"file": (io.BytesIO(text), "u.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "boss@example.org;Босс;admin" in response.get_data(as_text=True)
    assert client.get(URL + "/template.xlsx").status_code == 200


@pytest.mark.parametrize("role", [teacher, student, juror])
def test_other_roles_are_denied(client, role) -> None:  # type: ignore[no-untyped-def]
    login(client, role())
    assert client.get(URL).status_code == 403
    assert client.get(URL + "/template.csv").status_code == 403
    data = {"file": (io.BytesIO((FIXTURES / "users_tab.txt").read_bytes()), "u.txt")}
    before = _users()
    assert client.post(URL, data=data, content_type="multipart/form-data").status_code == 403
    assert _users() == before


def test_anonymous_visitors_are_sent_to_log_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(URL).status_code == 302


def test_a_file_over_the_limit_is_refused_by_the_field(signed_in, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.tabular_http.MAX_BYTES", 50)
    monkeypatch.setattr("app.tabular.MAX_BYTES", 50)
    data = (FIXTURES / "users_excel_cp1251.csv").read_bytes()
    response = signed_in.post(
        URL, data={"file": (io.BytesIO(data), "users.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "Файл больше" in response.get_data(as_text=True)
