"""The JSON API's CSV import of users (POST /users/import): all or nothing, each bad line named."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from tests.factories.accounts import InstitutionFactory, admin, organiser, teacher


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


CSV_HEADER = "email,full_name,role,institution\n"


def test_csv_import_creates_everyone(api) -> None:  # type: ignore[no-untyped-def]
    InstitutionFactory(name="Лицей № 3")
    caller = api(admin())
    db.session.commit()
    text = CSV_HEADER + "a@example.org,Анна,student,Лицей № 3\nb@example.org,Борис,juror,\n"
    response = caller.post("/users/import", data=text.encode(), content_type="text/csv")
    assert response.status_code == 200
    assert response.get_json() == {"created": 2, "errors": []}
    anna = db.session.scalar(select(User).where(User.email == "a@example.org"))
    assert anna is not None and anna.institution is not None and anna.institution.name == "Лицей № 3"


def test_csv_import_with_one_bad_line_creates_nothing(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    db.session.commit()
    before = _count(User)
    text = CSV_HEADER + (
        "a@example.org,Анна,student,\nnot-an-address,Борис,student,\nc@example.org,Вера,teacher,\n"
    )
    response = caller.post("/users/import", data=text.encode(), content_type="text/csv")
    assert response.status_code == 200
    body = response.get_json()
    assert body["created"] == 0
    assert [e["line"] for e in body["errors"]] == [3]
    assert "not-an-address" in body["errors"][0]["message"]
    assert _count(User) == before


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("x@example.org,,student,", "ФИО"),
        ("x@example.org,Икс,king,", "king"),
        ("x@example.org,Икс,student,Нет такой школы", "Нет такой школы"),
        ("x@example.org,Икс", "ученик"),
        ("taken@example.org,Икс,student,", "taken@example.org"),
    ],
)
def test_csv_import_names_each_kind_of_bad_line(api, line, fragment) -> None:  # type: ignore[no-untyped-def]
    teacher(email="taken@example.org")
    caller = api(admin())
    db.session.commit()
    body = caller.post(
        "/users/import", data=(CSV_HEADER + line + "\n").encode(), content_type="text/csv"
    ).get_json()
    assert body["created"] == 0 and body["errors"][0]["line"] == 2
    assert fragment in body["errors"][0]["message"]


def test_csv_import_repeated_email_and_bad_header(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(admin())
    text = CSV_HEADER + "a@example.org,А,student,\nA@example.org,Б,student,\n"
    body = caller.post("/users/import", data=text.encode(), content_type="text/csv").get_json()
    assert body["created"] == 0 and body["errors"][0]["line"] == 3
    body = caller.post("/users/import", data=b"name,mail\n", content_type="text/csv").get_json()
    assert body["created"] == 0 and body["errors"][0]["line"] == 1
    _error(caller.post("/users/import", data=b"", content_type="text/csv"), 422, "validation")
    _error(caller.post("/users/import", data=b"\xff\xfe\xfa", content_type="text/csv"), 422, "validation")


def test_organiser_import_may_not_grant_admin(api) -> None:  # type: ignore[no-untyped-def]
    caller = api(organiser())
    text = CSV_HEADER + "a@example.org,А,student,\nb@example.org,Б,admin,\n"
    body = caller.post("/users/import", data=text.encode(), content_type="text/csv").get_json()
    assert body["created"] == 0 and body["errors"][0]["line"] == 3
