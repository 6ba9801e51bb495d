"""Bad addresses and over-long CSV fields answer 4xx by the field or the line, never 500 and never
a half-written import (issue 9 items 8 and 9); the demo's `.local` addresses are accepted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from tests.factories.accounts import admin

BAD = ["bad\n@example.org", "x@", "has space@example.org"]
CSV_HEADER = "email,full_name,role,institution\n"


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


@pytest.mark.parametrize("address", BAD)
def test_api_refuses_a_broken_address_by_the_field(api, address) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    db.session.commit()
    before = _users()
    response = caller.post("/users", {"email": address, "full_name": "Имя", "password": "long-enough-1"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert error["fields"]["email"] in {"Введите правильный адрес электронной почты.", "Слишком коротко."}
    assert _users() == before


def test_api_accepts_a_demo_address_and_stores_it_lower_case(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    db.session.commit()
    response = caller.post(
        "/users", {"email": "New.Teacher@Vmeste.Local", "full_name": "Имя", "password": "long-enough-1"}
    )
    assert response.status_code == 201 and response.get_json()["email"] == "new.teacher@vmeste.local"


@pytest.mark.parametrize("address", BAD)
def test_csv_import_refuses_a_broken_address_by_the_line(api, address) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    db.session.commit()
    before = _users()
    quoted = '"' + address + '"'
    text = CSV_HEADER + "ok@example.org,Хороший,student,\n" + f"{quoted},Плохой,student,\n"
    body = caller.post("/users/import", data=text.encode(), content_type="text/csv").get_json()
    assert body["created"] == 0 and body["errors"][0]["line"] == 3
    assert body["errors"][0]["message"] == f"«{address}» — не адрес электронной почты."
    assert _users() == before


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("x@example.org," + "Я" * 256 + ",student,", "full_name"),
        ("x" * 300 + "@example.org,Икс,student,", "email"),
        ("x@example.org,Икс,student," + "Ш" * 300, "institution"),
        ("x@example.org,Икс," + "r" * 300 + ",", "role"),
    ],
)
def test_csv_fields_over_255_characters_are_refused_by_the_line(api, line, column) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    db.session.commit()
    before = _users()
    response = caller.post("/users/import", data=(CSV_HEADER + line + "\n").encode(), content_type="text/csv")
    assert response.status_code == 200
    body = response.get_json()
    assert body["created"] == 0 and body["errors"] == [
        {"line": 2, "text": line, "message": f"Столбец «{column}» длиннее 255 символов."}
    ]
    assert _users() == before


def test_csv_import_takes_demo_addresses(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    db.session.commit()
    body = caller.post(
        "/users/import",
        data=(CSV_HEADER + "Pupil9@Demo.Vmeste.Local,Ученик,student,\n").encode(),
        content_type="text/csv",
    ).get_json()
    assert body == {"created": 1, "errors": []}
    assert (
        db.session.scalar(select(User.email).where(User.full_name == "Ученик")) == "pupil9@demo.vmeste.local"
    )
