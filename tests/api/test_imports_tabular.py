"""The API's user import with the files schools have (issue 15): cp1251 `;` from Russian Excel, UTF-8
with a BOM, TAB-separated text, UTF-16, XLSX as the raw body or a multipart `file`; each bad line
on its own with its original text; nothing written on error unless ?valid_only=1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts import Role, User
from app.audit import AuditEntry
from app.exports import XLSX_MIME
from app.extensions import db
from tests.factories.accounts import InstitutionFactory, admin, juror, organiser, student, teacher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tabular"


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def _post(caller, name: str, content_type: str = "text/csv", query: str = ""):  # type: ignore[no-untyped-def]
    data = (FIXTURES / name).read_bytes()
    return caller.post(f"/users/import{query}", data=data, content_type=content_type)


@pytest.fixture()
def caller(api):  # type: ignore[no-untyped-def]
    InstitutionFactory(name="Лицей № 3")
    user = admin()
    db.session.commit()
    return api(user)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("users_excel_cp1251.csv", "text/csv"),
        ("users_utf8_bom.csv", "text/csv"),
        ("users_tab.txt", "text/tab-separated-values"),
        ("users_unicode.txt", "application/octet-stream"),
    ],
)
def test_every_text_form_creates_the_same_users(caller, name, content_type) -> None:  # type: ignore[no-untyped-def]
    before = _users()
    response = _post(caller, name, content_type)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"created": 3, "errors": []}
    assert _users() == before + 3
    petrov = db.session.scalar(select(User).where(User.email == "petrov.p@school3.ru"))
    assert petrov is not None and petrov.full_name == "Петров Пётр" and petrov.role == Role.STUDENT
    assert petrov.institution is not None and petrov.institution.name == "Лицей № 3"
    yolkina = db.session.scalar(select(User).where(User.email == "yolkina@example.org"))
    assert (
        yolkina is not None
        and yolkina.role == Role.ORGANISER
        and yolkina.full_name == "Ёлкина Мария; старшая"
    )


def test_xlsx_as_the_body_and_as_a_multipart_file(caller) -> None:  # type: ignore[no-untyped-def]
    response = _post(caller, "users.xlsx", XLSX_MIME)
    assert response.get_json() == {"created": 2, "errors": []}
    smirnova = db.session.scalar(select(User).where(User.email == "smirnova@school3.ru"))
    assert smirnova is not None and smirnova.full_name == "Смирнова Ольга Ивановна"
    data = (FIXTURES / "users_tab.txt").read_bytes()
    multipart = caller.post(
        "/users/import", data={"file": (io.BytesIO(data), "список.txt")}, content_type="multipart/form-data"
    )
    assert multipart.get_json() == {"created": 3, "errors": []}


BAD_LINES = [
    (3, "Не адрес;Сидоров Сидор;ученик;", "«Не адрес»"),
    (4, "sidorov@school3.ru;;ученик;", "ФИО"),
    (5, "kuznetsov@school3.ru;Кузнецов Олег;Директор;", "«Директор»"),
    (6, "IVANOVA@school3.ru;Иванова-2;учитель;", "IVANOVA@school3.ru"),
    (7, "orlova@school3.ru;Орлова Ольга;учитель;Гимназия № 99", "«Гимназия № 99»"),
]


def test_each_bad_line_is_reported_on_its_own_with_its_original_text_and_nothing_is_written(caller) -> None:  # type: ignore[no-untyped-def]
    before, audits = _users(), db.session.scalar(select(func.count()).select_from(AuditEntry))
    body = _post(caller, "users_bad_lines_cp1251.csv").get_json()
    assert body["created"] == 0
    assert [(e["line"], e["text"]) for e in body["errors"]] == [(line, text) for line, text, _ in BAD_LINES]
    for error, (_line, _text, fragment) in zip(body["errors"], BAD_LINES, strict=True):
        assert fragment in error["message"], error
    assert _users() == before
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_valid_only_creates_the_good_lines_and_reports_the_others(caller) -> None:  # type: ignore[no-untyped-def]
    before = _users()
    body = _post(caller, "users_bad_lines_cp1251.csv", query="?valid_only=1").get_json()
    assert body["created"] == 1 and [e["line"] for e in body["errors"]] == [3, 4, 5, 6, 7]
    assert _users() == before + 1
    assert db.session.scalar(select(User).where(User.email == "ivanova@school3.ru")) is not None
    again = _post(caller, "users_bad_lines_cp1251.csv", query="?valid_only=1").get_json()
    assert again["created"] == 0 and again["errors"][0]["line"] == 2  # now she exists


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".xls"),
        ("ФИО;Почта\nИванов;a@b.ru\n".encode("koi8_r"), "Windows-1251"),
        (b"PK\x03\x04 broken", "Excel"),
        (b"", "пуст"),
    ],
)
def test_a_file_that_is_not_a_table_is_a_422_by_the_file_field(caller, data, fragment) -> None:  # type: ignore[no-untyped-def]
    response = caller.post("/users/import", data=data, content_type="application/octet-stream")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation" and fragment in error["fields"]["file"]


def test_a_header_without_the_required_columns_is_line_one(caller) -> None:  # type: ignore[no-untyped-def]
    body = caller.post("/users/import", data="Почта;ФИО\na@b.ru;Анна\n".encode("cp1251")).get_json()
    assert body["created"] == 0 and body["errors"][0]["line"] == 1
    assert body["errors"][0]["text"] == "Почта;ФИО" and "role" in body["errors"][0]["message"]
    plain = caller.post("/users/import", data=b"a@b.ru,Anna\n", content_type="text/csv").get_json()
    assert plain["errors"][0]["line"] == 1 and "email" in plain["errors"][0]["message"]
    alone = caller.post("/users/import", data="\nПочта;ФИО;Роль\n".encode("cp1251")).get_json()
    assert alone["created"] == 0 and [(e["line"], e["text"]) for e in alone["errors"]] == [
        (2, "Почта;ФИО;Роль")
    ]
    assert "Под заголовком" in alone["errors"][0]["message"]


@pytest.mark.parametrize("role", [teacher, student, juror])
def test_only_admins_and_organisers_import(api, role) -> None:  # type: ignore[no-untyped-def]
    data = (FIXTURES / "users_excel_cp1251.csv").read_bytes()
    response = api(role()).post("/users/import", data=data, content_type="text/csv")
    assert response.status_code == 403
    assert api().post("/users/import", data=data, content_type="text/csv").status_code == 401


def test_an_organiser_is_refused_the_admin_lines_only(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(organiser())
    text = "email;ФИО;роль\nnew@example.org;Новый;ученик\nboss@example.org;Босс;Администратор\n"
    body = caller.post("/users/import?valid_only=1", data=text.encode("cp1251")).get_json()
    assert body["created"] == 1 and [(e["line"], e["text"]) for e in body["errors"]] == [
        (3, "boss@example.org;Босс;Администратор")
    ]


def test_the_import_runs_a_fixed_number_of_queries(caller, count_queries) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for size in (3, 40):
        text = "email;ФИО;роль\n" + "".join(
            f"u{size}-{i}@example.org;Человек {i};ученик\n" for i in range(size)
        )
        with count_queries() as counter:
            body = caller.post("/users/import", data=text.encode("cp1251")).get_json()
        assert body["created"] == size
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("Учитель", Role.TEACHER),
        ("слушатель", Role.STUDENT),
        (" УЧЕНИК ", Role.STUDENT),
        ("Член жюри", Role.JUROR),
        ("methodist", Role.METHODIST),
        ("Организатор", Role.ORGANISER),
    ],
)
def test_roles_in_russian_words_or_english_values(caller, word, role) -> None:  # type: ignore[no-untyped-def]
    text = f"email;ФИО;роль\nperson@example.org;Человек;{word}\n"
    assert caller.post("/users/import", data=text.encode("cp1251")).get_json()["created"] == 1
    person = db.session.scalar(select(User).where(User.email == "person@example.org"))
    assert person is not None and person.role == role


def test_a_table_posted_under_curls_default_form_type_is_read_too(caller) -> None:  # type: ignore[no-untyped-def]
    text = "email;ФИО;роль\nq@example.org;Человек;ученик\n"
    form_type = "application/x-www-form-urlencoded"
    body = caller.post("/users/import", data=text.encode("cp1251"), content_type=form_type).get_json()
    assert body == {"created": 1, "errors": []}
