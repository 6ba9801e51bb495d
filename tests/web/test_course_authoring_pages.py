"""Course authoring pages: modules and items, backup and import, the item links on the course page."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from app.extensions import db
from courses.models import Course, Item, Module
from courses.structure import load_structure
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.courses import count


def test_author_builds_modules_and_items(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    login(client, cf._author(course))
    assert client.post(f"/courses/{course.id}/modules", data={"title": ""}).status_code == 422
    assert client.post(f"/courses/{course.id}/modules", data={"title": "Модуль 1"}).status_code == 302
    assert client.post(f"/courses/{course.id}/modules", data={"title": "Модуль 2"}).status_code == 302
    first, second = db.session.scalars(select(Module).order_by(Module.position)).all()
    assert client.post(f"/courses/modules/{second.id}/up").status_code == 302
    db.session.expire_all()
    assert [m.title for m in load_structure(course.id)] == ["Модуль 2", "Модуль 1"]
    page = client.post(
        f"/courses/modules/{first.id}/items/new/page",
        data={
            "title": "Введение",
            "body": "Текст",
            "completion": "viewed",
            "prerequisite": "0",
            "weight": "1",
            "image": (io.BytesIO(b"\x89PNG\r\n\x1a\n0000"), "схема.png"),
        },
        content_type="multipart/form-data",
    )
    assert page.status_code == 302, page.get_data(as_text=True)
    item = db.session.scalar(select(Item))
    assert "/assets/" in item.body
    asset_url = item.body.split("(")[-1].rstrip(")\n")
    assert client.get(asset_url).status_code == 200
    bad_link = client.post(
        f"/courses/modules/{first.id}/items/new/link",
        data={"title": "Ссылка", "url": "javascript:alert(1)", "completion": "none", "prerequisite": "0"},
    )
    assert bad_link.status_code == 422
    wrong_rule = client.post(
        f"/courses/modules/{first.id}/items/new/page",
        data={"title": "x", "completion": "graded", "prerequisite": "0"},
    )
    assert wrong_rule.status_code == 422
    assignment = client.post(
        f"/courses/modules/{first.id}/items/new/assignment",
        data={
            "title": "Эссе",
            "description": "Напишите",
            "max_points": "10",
            "completion": "graded",
            "completion_points": "6",
            "prerequisite": str(item.id),
            "weight": "2",
            "allow_text": "y",
            "allow_files": "y",
            "allowed_extensions": "pdf, docx",
            "max_file_mb": "5",
            "max_files": "2",
            "rubric": "Содержание: слабо = 0; хорошо = 6\nОформление: да = 4",
            "resubmission": "y",
        },
    )
    assert assignment.status_code == 302, assignment.get_data(as_text=True)
    bad_rubric = client.post(
        f"/courses/modules/{first.id}/items/new/assignment",
        data={
            "title": "Эссе",
            "max_points": "10",
            "completion": "none",
            "prerequisite": "0",
            "allow_text": "y",
            "allowed_extensions": "pdf",
            "max_file_mb": "5",
            "max_files": "2",
            "rubric": "без двоеточия",
        },
    )
    assert bad_rubric.status_code == 422
    task = db.session.scalar(select(Item).where(Item.kind == "assignment"))
    assert client.get(f"/courses/items/{task.id}/edit").status_code == 200
    assert client.post(f"/courses/items/{task.id}/up").status_code == 302
    assert client.get(f"/courses/{course.id}/backup").status_code == 200


def test_backup_roundtrip_and_malformed_file(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course, "Основы")
    intro = cf.page(module, "Введение", body="**Текст**", completion="viewed")
    cf.assignment(
        module,
        "Эссе",
        rubric=[{"name": "Суть", "levels": [{"label": "да", "points": 5}]}],
        item={"prerequisite_id": intro.id},
    )
    author = cf._author(course)
    login(client, author)
    data = client.get(f"/courses/{course.id}/backup").data
    broken = client.post(
        "/courses/import",
        data={"file": (io.BytesIO(b"not a zip"), "x.zip")},
        content_type="multipart/form-data",
    )
    assert broken.status_code == 422 and count(Course) == 1
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr(
            "course.json",
            '{"format": "vmeste-course", "version": 1, "course": {"title": "X"}, '
            '"modules": [{"title": "M", "items": [{"kind": "alien", "title": "?"}]}]}',
        )
    refused = client.post(
        "/courses/import",
        data={"file": (io.BytesIO(damaged.getvalue()), "x.zip")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "alien" in refused.get_data(as_text=True) and count(Course) == 1
    imported = client.post(
        "/courses/import", data={"file": (io.BytesIO(data), "course.zip")}, content_type="multipart/form-data"
    )
    assert imported.status_code == 302
    copy = db.session.scalars(select(Course).order_by(Course.id.desc())).first()
    structure = load_structure(copy.id)
    items = structure[0].items
    assert [i.title for i in items] == ["Введение", "Эссе"]
    assert items[1].prerequisite_id == items[0].id and items[1].assignment.rubric[0]["name"] == "Суть"


def test_course_page_item_links_match_the_routes(app, client) -> None:  # type: ignore[no-untyped-def]
    """The course page builds one item URL prefix instead of calling url_for per item: every link
    must still be exactly what url_for gives."""
    from flask import url_for

    course = cf.course()
    module = cf.module(course)
    task = cf.assignment(module, "Эссе")
    learner = cf.enrolled(course)
    item_id, course_id = task.id, course.id
    with app.test_request_context():
        links = [
            url_for("courses.item", item_id=item_id),
            url_for("courses.submissions", item_id=item_id),
            url_for("courses.item_edit", item_id=item_id),
            url_for("courses.item_delete", item_id=item_id),
            url_for("courses.item_move", item_id=item_id, direction="up"),
            url_for("courses.item_move", item_id=item_id, direction="down"),
        ]
    login(client, cf._author(course))
    page = client.get(f"/courses/{course_id}").get_data(as_text=True)
    assert all(f'"{link}"' in page for link in links), links
    client.post("/auth/logout")
    login(client, learner)
    page = client.get(f"/courses/{course_id}").get_data(as_text=True)
    assert f'href="{links[0]}"' in page and links[1] not in page and 'id="add-module"' not in page
