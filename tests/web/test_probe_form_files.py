"""A file sent under a form's text field name (a hostile or broken client's multipart) is ignored
for that field, so the form answers with its messages instead of a server error; real file
fields still receive their files."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.accounts import User
from app.extensions import db
from tests.conftest import login
from tests.factories.accounts import admin
from tests.factories.jury import jury_stage


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/library/materials/new", "title"),
        ("/library/associations/new", "name"),
        ("/admin/users/import", "role"),
    ],
)
def test_a_file_in_a_text_field_is_no_500(app: Flask, client: FlaskClient, path: str, field: str) -> None:
    user = admin()
    db.session.commit()
    login(client, user)
    response = client.post(
        path, data={field: (io.BytesIO(b"x" * 10), "x.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code < 500
    assert "FileStorage" not in response.get_data(as_text=True)


def test_the_stage_form_with_a_file_as_file_types(app: Flask, client: FlaskClient) -> None:
    built = jury_stage(entries=1, jurors=1)
    user = admin()
    db.session.commit()
    login(client, user)
    response = client.post(
        f"/contests/stages/{built.stage.id}/edit",
        data={"file_types": (io.BytesIO(b"pdf"), "types.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 422)


def test_a_real_file_field_still_gets_its_file(app: Flask, client: FlaskClient) -> None:
    user = admin()
    db.session.commit()
    login(client, user)
    table = "email,full_name,role\nnew.pupil@example.org,Новый Ученик,student\n".encode()
    response = client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(table), "class.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code < 400
    assert db.session.scalar(db.select(User).where(User.email == "new.pupil@example.org")) is not None
