"""A UTF-16 CSV sent as the raw body with its charset declared (Excel's "Unicode text"): its zero
bytes are halves of characters, not NUL characters, so the input guard lets it through and the
import reads it; a real NUL character in a UTF-8 body is still refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from tests.factories.accounts import InstitutionFactory, admin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tabular"


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def _text() -> str:
    return (FIXTURES / "users_unicode.txt").read_bytes().decode("utf-16")


@pytest.fixture()
def caller(api):
    InstitutionFactory(name="Лицей № 3")
    user = admin()
    db.session.commit()
    return api(user)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (codecs.BOM_UTF16_LE + _text().encode("utf-16-le"), "text/csv; charset=utf-16"),
        (codecs.BOM_UTF16_BE + _text().encode("utf-16-be"), "text/csv; charset=utf-16"),
        (codecs.BOM_UTF16_LE + _text().encode("utf-16-le"), "text/csv"),
        (_text().encode("utf-16-le"), "text/csv; charset=utf-16le"),
        (_text().encode("utf-16-be"), "text/csv; charset=UTF-16BE"),
    ],
    ids=["bom-le", "bom-be", "bom-undeclared", "le-no-bom", "be-no-bom"],
)
def test_a_utf16_body_is_imported(caller, data, content_type) -> None:
    assert b"\x00" in data
    before = _users()
    response = caller.post("/users/import", data=data, content_type=content_type)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"created": 3, "errors": []}
    assert _users() == before + 3
    petrov = db.session.scalar(select(User).where(User.email == "petrov.p@school3.ru"))
    assert petrov is not None and petrov.full_name == "Петров Пётр"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"email;full_name\npetrov\x00@school3.ru;Petrov\n", "text/csv"),
        (b"email;full_name\npetrov\x00@school3.ru;Petrov\n", "text/csv; charset=utf-8"),
        ("email;full_name\npetrov\x00@school3.ru;Петров\n".encode("utf-16-le"), "text/csv; charset=utf-16le"),
        (codecs.BOM_UTF16_LE + "a\x00b\n".encode("utf-16-le"), "text/csv; charset=utf-16"),
    ],
    ids=["utf8", "utf8-declared", "utf16-real-nul", "utf16-bom-real-nul"],
)
def test_a_real_nul_character_is_still_refused(caller, data, content_type) -> None:
    before = _users()
    response = caller.post("/users/import", data=data, content_type=content_type)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "NUL" in error["message"] and "body" in error["fields"]
    assert _users() == before


def test_a_broken_utf16_body_is_an_encoding_error_not_a_nul(caller) -> None:
    data = _text().encode("utf-16-le") + b"\x00"  # an odd number of bytes
    response = caller.post("/users/import", data=data, content_type="text/csv; charset=utf-16le")
    assert response.status_code == 422
    assert "NUL" not in response.get_json()["error"]["message"]
