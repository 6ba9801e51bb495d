"""The publishing API: POST /materials (JSON and multipart), GET and PUT/PATCH /materials/{id};
shapes, refusals with the error shape, nothing written on a refusal, a denial per role."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.uploads import StoredFile
from community.library.models import Material, MaterialStatus, MaterialVersion
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material, subjects

DOCX = b"PK\x03\x04" + b"x" * 100


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Тест по теме «Дроби»",
        "summary": "Десять заданий с ответами.",
        "kind": "test",
        "subjects": [subjects()["Математика"].id],
        "grades": [5, 6],
        "links": [{"url": "https://resh.edu.ru/", "title": "РЭШ"}, "https://school.ru Сайт школы"],
        "submit": False,
    }
    data.update(changes)
    return data


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def files_on_disk(app: Flask) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_create_answers_201_with_id_status_and_the_version(api: Any) -> None:
    author = teacher()
    db.session.commit()
    response = api(author).post("/materials", body())
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "draft" and isinstance(data["id"], int)
    assert data["kind"] == "test" and data["grades"] == [5, 6]
    assert data["subjects"] == [{"id": subjects()["Математика"].id, "name": "Математика"}]
    assert data["author"] == {"id": author.id, "full_name": author.full_name}
    assert data["version"]["number"] == 1 and data["version"]["state"] == "draft"
    assert data["version"]["links"] == [
        {"url": "https://resh.edu.ru/", "title": "РЭШ"},
        {"url": "https://school.ru", "title": "Сайт школы"},
    ]
    assert [v["state"] for v in data["versions"]] == ["draft"]


def test_submit_true_gives_pending_and_published_for_a_trusted_author(api: Any) -> None:
    plain, trusted = teacher(), teacher(trusted_author=True)
    db.session.commit()
    assert api(plain).post("/materials", body(submit=True)).get_json()["status"] == "pending"
    answer = api(trusted).post("/materials", body(submit=True)).get_json()
    assert answer["status"] == "published" and answer["published_at"]


def test_multipart_with_files(api: Any, app: Flask) -> None:
    author = teacher()
    association = AssociationFactory()
    add_member(association, author)
    db.session.commit()
    maths, algebra = subjects()["Математика"].id, subjects()["Алгебра"].id
    form = {
        "title": "Презентация к уроку",
        "kind": "presentation",
        "subjects": f"{maths},{algebra}",
        "grades": ["7", "8"],
        "association_id": str(association.id),
        "links": "https://resh.edu.ru Урок",
        "submit": "true",
        "files": [(io.BytesIO(DOCX), "Урок.pptx"), (io.BytesIO(b"%PDF-1.4 x"), "Задания.pdf")],
    }
    response = api(author).post("/materials", data=form, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "pending" and data["association"]["id"] == association.id
    assert [f["name"] for f in data["version"]["files"]] == ["Урок.pptx", "Задания.pdf"]
    assert sorted(s["id"] for s in data["subjects"]) == sorted([maths, algebra])
    assert len(files_on_disk(app)) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"subjects": [987654]}, "subjects"),
        ({"subjects": []}, "subjects"),
        ({"grades": [0]}, "grades"),
        ({"grades": [12]}, "grades"),
        ({"kind": "poster"}, "kind"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"links": [{"url": "ftp://school.ru/a.pdf"}]}, "links"),
        ({"association_id": 5}, "association_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_json_is_422_with_the_field_and_writes_nothing(
    api: Any, changes: dict[str, Any], field: str
) -> None:
    author = teacher()
    db.session.commit()
    response = api(author).post("/materials", body(**changes))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation"
    assert any(name.startswith(field) for name in error["fields"]), error
    assert count(Material) == count(MaterialVersion) == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.exe", b"MZ" + b"x" * 10),
        ("fake.pdf", b"<html>not a pdf</html>"),
        ("huge.jpg", b"\xff\xd8\xff" + b"x" * (10 * 1024 * 1024 + 1)),
    ],
)
def test_a_bad_file_is_422_and_nothing_is_kept(api: Any, app: Flask, name: str, data: bytes) -> None:
    author = teacher()
    db.session.commit()
    form = {
        "title": "Материал",
        "kind": "worksheet",
        "subjects": str(subjects()["Математика"].id),
        "files": [(io.BytesIO(DOCX), "Лист.docx"), (io.BytesIO(data), name)],
    }
    response = api(author).post("/materials", data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "files" in response.get_json()["error"]["fields"]
    db.session.expire_all()
    assert count(Material) == count(StoredFile) == 0
    assert files_on_disk(app) == []


def test_roles(api: Any) -> None:
    pupil = student()
    db.session.commit()
    assert api().post("/materials", body()).status_code == 401
    assert api(pupil).post("/materials", body()).status_code == 403
    assert count(Material) == 0


def test_reading_a_material_by_role(api: Any) -> None:
    author = teacher()
    draft = published_material(author, status=MaterialStatus.DRAFT, title="Черновик")
    public = published_material(author, title="Опубликованный")
    colleague, moderator = teacher(), methodist()
    db.session.commit()
    assert api().get(f"/materials/{public.id}").get_json()["title"] == "Опубликованный"
    assert "versions" not in api(colleague).get(f"/materials/{public.id}").get_json()
    assert api().get(f"/materials/{draft.id}").status_code == 404
    assert api(colleague).get(f"/materials/{draft.id}").status_code == 404
    assert api(moderator).get(f"/materials/{draft.id}").status_code == 200
    mine = api(author).get(f"/materials/{draft.id}").get_json()
    assert mine["title"] == "Черновик" and mine["versions"][0]["state"] == "draft"
    assert api(author).get(f"/materials/{draft.id}?version=9").status_code == 404


def test_patch_by_the_author_makes_a_new_version_of_a_published_material(api: Any) -> None:
    author = teacher()
    material = published_material(author, title="Первая", subject_ids=(subjects()["Математика"].id,))
    db.session.commit()
    response = api(author).request(
        "PATCH", f"/materials/{material.id}", json={"title": "Вторая", "grades": [7]}
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["title"] == "Вторая" and data["status"] == "published" and data["grades"] == [7]
    assert [v["state"] for v in data["versions"]] == ["draft", "published"]
    assert api().get(f"/materials/{material.id}").get_json()["title"] == "Первая"
    sent = api(author).request("PATCH", f"/materials/{material.id}", json={"submit": True}).get_json()
    assert sent["versions"][0]["state"] == "pending"
    again = api(author).request("PATCH", f"/materials/{material.id}", json={"title": "Третья"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"


def test_put_and_patch_refusals(api: Any) -> None:
    author = teacher()
    material = published_material(author, subject_ids=(subjects()["Математика"].id,))
    draft = published_material(author, status=MaterialStatus.DRAFT)
    colleague = teacher()
    db.session.commit()
    assert api(colleague).put(f"/materials/{material.id}", body()).status_code == 403
    assert api(colleague).request("PATCH", f"/materials/{draft.id}", json={"title": "x"}).status_code == 404
    assert api().request("PATCH", f"/materials/{material.id}", json={"title": "x"}).status_code == 401
    bad = api(author).request("PATCH", f"/materials/{material.id}", json={"grades": [12]})
    assert bad.status_code == 422 and "grades" in bad.get_json()["error"]["fields"]
    assert count(MaterialVersion) == 2  # no new version was left behind
    replaced = api(author).put(f"/materials/{draft.id}", body(title="Новый"))
    assert replaced.status_code == 200 and replaced.get_json()["title"] == "Новый"


def test_the_openapi_document_lists_the_publishing_endpoints(api: Any) -> None:
    paths = api().get("/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/materials"]
    assert {"get", "put", "patch"} <= set(paths["/api/v1/materials/{material_id}"])
