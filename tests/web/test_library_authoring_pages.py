"""The author's pages: a new material, its edit (a new version once published), sending it to
moderation, "my materials"; every refusal by its field, nothing half-written, a denial per role."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.uploads import StoredFile
from community.library.models import Material, MaterialStatus, MaterialVersion, VersionState
from community.library.publication import publish_version
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import published_material, subjects

DOCX = b"PK\x03\x04" + b"x" * 100


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Сложение дробей с разными знаменателями",
        "summary": "Конспект урока математики.",
        "kind": "lesson_plan",
        "subjects": [str(subjects()["Математика"].id)],
        "grades": ["5"],
        "association_id": "0",
        "links": "https://resh.edu.ru/subject/lesson/7732/ Урок на РЭШ",
        "action": "save",
    }
    data.update(changes)
    return data


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def files_on_disk(app: Flask) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_teacher_publishes_a_draft_with_a_file(client: FlaskClient, app: Flask) -> None:
    author = teacher()
    db.session.commit()
    login(client, author)
    assert client.get("/library/materials/new").status_code == 200
    data = form(files=[(io.BytesIO(DOCX), "План урока.docx")])
    response = client.post("/library/materials/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    material = db.session.scalars(select(Material)).one()
    assert material.status == MaterialStatus.DRAFT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "План урока.docx" in page and "Урок на РЭШ" in page and "Математика" in page
    mine = client.get("/library/my").get_data(as_text=True)
    assert "Сложение дробей с разными знаменателями" in mine
    assert len(files_on_disk(app)) == 1


def test_save_and_send_puts_it_in_the_queue(client: FlaskClient) -> None:
    author = teacher()
    db.session.commit()
    login(client, author)
    response = client.post("/library/materials/new", data=form(action="send"))
    assert response.status_code == 302
    assert db.session.scalars(select(Material)).one().status == MaterialStatus.PENDING


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"title": ""}, None),
        ({"subjects": ["99999"]}, None),
        ({"subjects": []}, "Выберите хотя бы один предмет"),
        ({"grades": ["0"]}, None),
        ({"grades": ["12"]}, None),
        ({"kind": "poster"}, None),
        ({"links": "javascript:alert(1)"}, "http://"),
        ({"links": "ftp://school.ru/plan.pdf"}, "http://"),
    ],
)
def test_bad_input_is_refused_by_its_field_and_writes_nothing(
    client: FlaskClient, changes: dict[str, Any], field_text: str | None
) -> None:
    author = teacher()
    db.session.commit()
    login(client, author)
    response = client.post("/library/materials/new", data=form(**changes))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "invalid-feedback" in text
    if field_text:
        assert field_text in text
    assert count(Material) == count(MaterialVersion) == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ" + b"x" * 10, "не принимаются"),
        ("fake.docx", b"<html><script>alert(1)</script>", "на самом деле не является файлом"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"x" * (10 * 1024 * 1024 + 1), "больше 10 МБ"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_kept(
    client: FlaskClient, app: Flask, name: str, data: bytes, message: str
) -> None:
    author = teacher()
    db.session.commit()
    login(client, author)
    files = [(io.BytesIO(DOCX), "План.docx"), (io.BytesIO(data), name)]
    response = client.post(
        "/library/materials/new", data=form(files=files), content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert count(Material) == count(StoredFile) == 0
    assert files_on_disk(app) == []


def test_a_pupil_may_not_publish(client: FlaskClient) -> None:
    pupil = student()
    db.session.commit()
    login(client, pupil)
    assert client.get("/library/materials/new").status_code == 403
    assert client.post("/library/materials/new", data=form()).status_code == 403
    assert client.get("/library/my").status_code == 403
    assert count(Material) == 0


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    assert client.get("/library/materials/new").status_code == 302
    assert client.get("/library/my").status_code == 302


def test_another_teacher_cannot_see_or_edit_a_draft(client: FlaskClient) -> None:
    draft = published_material(teacher(), status=MaterialStatus.DRAFT)
    db.session.commit()
    login(client, teacher())
    assert client.get(f"/library/materials/{draft.id}").status_code == 404
    assert client.get(f"/library/materials/{draft.id}/edit").status_code == 404
    assert client.post(f"/library/materials/{draft.id}/submit").status_code == 404


def test_a_colleague_cannot_edit_a_published_material(client: FlaskClient) -> None:
    material = published_material(teacher())
    db.session.commit()
    login(client, teacher())
    assert client.get(f"/library/materials/{material.id}").status_code == 200
    assert client.get(f"/library/materials/{material.id}/edit").status_code == 403
    assert client.post(f"/library/materials/{material.id}/edit", data=form()).status_code == 403


def test_a_moderator_sees_a_pending_material_but_does_not_edit_it(client: FlaskClient) -> None:
    material = published_material(teacher(), status=MaterialStatus.PENDING)
    db.session.commit()
    login(client, methodist())
    assert client.get(f"/library/materials/{material.id}").status_code == 200
    assert client.get(f"/library/materials/{material.id}/edit").status_code == 403


def test_editing_a_published_material_keeps_it_visible_until_the_new_version_is_published(
    client: FlaskClient,
) -> None:
    author = teacher()
    material = published_material(author, title="Первая редакция", subject_ids=(subjects()["Математика"].id,))
    db.session.commit()
    material_id = material.id
    login(client, author)
    edit = client.get(f"/library/materials/{material_id}/edit").get_data(as_text=True)
    assert "Первая редакция" in edit and "версией 2" in edit
    response = client.post(f"/library/materials/{material_id}/edit", data=form(title="Вторая редакция"))
    assert response.status_code == 302
    reader = FlaskClient(client.application, client.response_wrapper)
    public = reader.get(f"/library/materials/{material_id}").get_data(as_text=True)
    assert "Первая редакция" in public and "Вторая редакция" not in public
    mine = client.get(f"/library/materials/{material_id}").get_data(as_text=True)
    assert 'id="version-history"' in mine and 'data-version="2"' in mine
    assert "Вторая редакция" in client.get(f"/library/materials/{material_id}?version=2").get_data(
        as_text=True
    )
    assert (
        reader.get(f"/library/materials/{material_id}?version=2").get_data(as_text=True).count("Вторая") == 0
    )
    assert client.post(f"/library/materials/{material_id}/submit").status_code == 302
    second = db.session.scalars(select(MaterialVersion).where(MaterialVersion.number == 2)).one()
    assert second.state == VersionState.PENDING
    assert "Первая редакция" in reader.get(f"/library/materials/{material_id}").get_data(as_text=True)
    publish_version(second, actor=methodist(), now=second.submitted_at)  # type: ignore[arg-type]
    db.session.commit()
    public = reader.get(f"/library/materials/{material_id}").get_data(as_text=True)
    assert "Вторая редакция" in public


def test_a_pending_material_shows_no_edit_button_and_refuses_edits(client: FlaskClient) -> None:
    author = teacher()
    material = published_material(author, status=MaterialStatus.PENDING)
    db.session.commit()
    login(client, author)
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert 'id="edit-material"' not in page
    response = client.get(f"/library/materials/{material.id}/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/library/materials/{material.id}"
    )
    response = client.post(f"/library/materials/{material.id}/edit", data=form())
    assert response.status_code == 422
    assert "ожидает модерации" in response.get_data(as_text=True)


def test_my_materials_runs_the_same_queries_for_few_or_many(client: FlaskClient, count_queries: Any) -> None:
    author = teacher()
    published_material(author, status=MaterialStatus.DRAFT)
    db.session.commit()
    login(client, author)
    client.get("/library/my")

    def queries() -> int:
        with count_queries(cold=True) as counter:
            assert client.get("/library/my").status_code == 200
        return counter.count

    few = queries()
    for status in (MaterialStatus.PUBLISHED, MaterialStatus.PENDING, MaterialStatus.REJECTED) * 5:
        published_material(author, status=status)
    db.session.commit()
    assert queries() == few
    assert client.get("/library/my?page=99").status_code == 200


def test_removing_a_file_and_ids_too_big_for_the_database(client: FlaskClient) -> None:
    author = teacher()
    db.session.commit()
    login(client, author)
    client.post(
        "/library/materials/new",
        data=form(files=[(io.BytesIO(DOCX), "План.docx")]),
        content_type="multipart/form-data",
    )
    material_id = db.session.scalar(select(Material.id))
    stored_id = db.session.scalar(select(StoredFile.id))
    for field_name in ("drop_files", "subjects", "grades", "association_id"):
        big = form(**{field_name: ["99999999999999999999"]})
        assert client.post(f"/library/materials/{material_id}/edit", data=big).status_code == 422
    page = client.get(f"/library/materials/{material_id}/edit").get_data(as_text=True)
    assert f'value="{stored_id}"' in page
    response = client.post(f"/library/materials/{material_id}/edit", data=form(drop_files=[str(stored_id)]))
    assert response.status_code == 302
    db.session.expire_all()
    assert count(StoredFile) == 0
