"""Writing a material: drafts, submission, trusted authors, new versions, and refusals that leave
nothing behind (no row, no file on disk)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.timeutil import utcnow
from app.uploads import StoredFile
from community.library import authoring
from community.library.material_files import IncomingFile
from community.library.material_input import MaterialInput
from community.library.models import (
    Material,
    MaterialFile,
    MaterialGrade,
    MaterialStatus,
    MaterialSubject,
    MaterialVersion,
    VersionState,
)
from community.library.publication import publish_version, reject_version
from tests.factories.accounts import methodist, teacher
from tests.factories.community import AssociationFactory, add_member, subjects

DOCX = b"PK\x03\x04" + b"x" * 100
PDF = b"%PDF-1.4 " + b"x" * 100


def _input(**changes: Any) -> MaterialInput:
    maths = subjects()["Математика"].id
    values: dict[str, Any] = {
        "title": "Сложение дробей",
        "summary": "Конспект урока *для 5 класса*",
        "kind": "lesson_plan",
        "subject_ids": [maths],
        "grades": [5, 6],
        "links": [("https://resh.edu.ru/subject/lesson/7732/", "РЭШ")],
    }
    values.update(changes)
    return MaterialInput(**values)


def _file(name: str, data: bytes) -> IncomingFile:
    return IncomingFile(name, io.BytesIO(data))


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def files_on_disk(app: Flask) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_create_keeps_a_draft_with_its_version_files_subjects_and_grades(app: Flask) -> None:
    author = teacher()
    material = authoring.create_material(_input(), [_file("План.docx", DOCX)], actor=author, now=utcnow())
    assert material.status == MaterialStatus.DRAFT
    assert material.institution_id == author.institution_id
    assert "<em>для 5 класса</em>" in material.summary_html
    version = db.session.scalars(select(MaterialVersion)).one()
    assert (version.number, version.state) == (1, VersionState.DRAFT)
    assert json.loads(version.links) == [{"url": "https://resh.edu.ru/subject/lesson/7732/", "title": "РЭШ"}]
    assert count(MaterialFile) == 1 and count(MaterialSubject) == 1
    assert sorted(db.session.scalars(select(MaterialGrade.grade))) == [5, 6]
    assert len(files_on_disk(app)) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "я" * 301}, "title"),
        ({"subject_ids": [99999]}, "subjects"),
        ({"subject_ids": []}, "subjects"),
        ({"grades": [0]}, "grades"),
        ({"grades": [12]}, "grades"),
        ({"kind": "poster"}, "kind"),
        ({"links": [("javascript:alert(1)", "")]}, "links"),
        ({"links": [("ftp://school.ru/a.pdf", "")]}, "links"),
    ],
)
def test_bad_input_writes_nothing(app: Flask, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as caught:
        authoring.create_material(
            _input(**changes), [_file("План.docx", DOCX)], actor=teacher(), now=utcnow()
        )
    assert field in caught.value.fields
    db.session.rollback()
    assert count(Material) == count(MaterialVersion) == count(StoredFile) == 0
    assert files_on_disk(app) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.exe", b"MZ" + b"x" * 10),
        ("page.docx", b"<html><script>alert(1)</script></html>"),
        ("photo.png", b"not a png at all"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"x" * (10 * 1024 * 1024)),
    ],
)
def test_a_bad_second_file_keeps_neither(app: Flask, name: str, data: bytes) -> None:
    files = [_file("Конспект.pdf", PDF), _file(name, data)]
    with pytest.raises(Invalid) as caught:
        authoring.create_material(_input(), files, actor=teacher(), now=utcnow())
    assert "files" in caught.value.fields
    db.session.rollback()
    assert count(Material) == count(StoredFile) == count(MaterialFile) == 0
    assert files_on_disk(app) == []


def test_association_only_one_the_author_actively_belongs_to(app: Flask) -> None:
    author = teacher()
    mine, other = AssociationFactory(), AssociationFactory()
    add_member(mine, author)
    material = authoring.create_material(_input(association_id=mine.id), actor=author, now=utcnow())
    assert material.association_id == mine.id
    with pytest.raises(Invalid) as caught:
        authoring.create_material(_input(association_id=other.id), actor=author, now=utcnow())
    assert "association_id" in caught.value.fields


def test_submit_sends_to_moderation_and_a_trusted_author_is_published(app: Flask) -> None:
    plain = authoring.create_material(_input(), actor=teacher(), now=utcnow(), send=True)
    assert plain.status == MaterialStatus.PENDING
    trusted = teacher(trusted_author=True)
    material = authoring.create_material(_input(title="Доверенный"), actor=trusted, now=utcnow(), send=True)
    assert material.status == MaterialStatus.PUBLISHED
    assert material.published_at is not None
    with pytest.raises(Conflict):
        authoring.submit_material(plain, actor=teacher(), now=utcnow())


def test_an_empty_material_or_a_video_without_link_cannot_be_submitted(app: Flask) -> None:
    with pytest.raises(Invalid) as caught:
        authoring.create_material(_input(summary="", links=[]), actor=teacher(), now=utcnow(), send=True)
    assert "summary" in caught.value.fields
    with pytest.raises(Invalid) as caught:
        authoring.create_material(_input(kind="video", links=[]), actor=teacher(), now=utcnow(), send=True)
    assert "links" in caught.value.fields
    db.session.rollback()
    assert count(Material) == 0


def test_a_pending_material_cannot_be_edited(app: Flask) -> None:
    author = teacher()
    material = authoring.create_material(_input(), actor=author, now=utcnow(), send=True)
    with pytest.raises(Conflict):
        authoring.update_material(material, _input(title="Правка"), actor=author, now=utcnow())


def test_editing_a_published_material_makes_a_new_version_and_keeps_the_old_visible(app: Flask) -> None:
    author = teacher()
    material = authoring.create_material(
        _input(), [_file("План.docx", DOCX)], actor=author, now=utcnow(), send=True
    )
    first = authoring.latest_version(material)
    publish_version(first, actor=methodist(), now=utcnow())
    db.session.commit()
    stored_id = db.session.scalar(select(MaterialFile.stored_file_id))
    authoring.update_material(
        material,
        _input(title="Сложение дробей, вторая редакция", grades=[5]),
        [_file("Задачи.pdf", PDF)],
        actor=author,
        now=utcnow(),
    )
    second = authoring.latest_version(material)
    assert (second.number, second.state) == (2, VersionState.DRAFT)
    assert material.status == MaterialStatus.PUBLISHED
    assert material.title == "Сложение дробей" and material.published_version_id == first.id
    assert sorted(db.session.scalars(select(MaterialGrade.grade))) == [5]  # the material's own field
    second_files = db.session.scalars(select(MaterialFile).where(MaterialFile.version_id == second.id)).all()
    assert [f.stored_file_id for f in second_files][0] == stored_id  # shared, not copied
    assert len(second_files) == 2 and count(StoredFile) == 2
    authoring.update_material(material, _input(title="Третья правка"), actor=author, now=utcnow())
    assert authoring.latest_version(material).number == 2  # the draft is edited in place
    authoring.submit_material(material, actor=author, now=utcnow())
    publish_version(second, actor=methodist(), now=utcnow())
    db.session.commit()
    db.session.refresh(first)
    assert first.state == VersionState.SUPERSEDED
    assert material.title == "Третья правка"


def test_dropping_a_file_from_a_new_version_keeps_it_on_the_old(app: Flask) -> None:
    author = teacher(trusted_author=True)
    material = authoring.create_material(
        _input(), [_file("План.docx", DOCX)], actor=author, now=utcnow(), send=True
    )
    stored_id = db.session.scalar(select(MaterialFile.stored_file_id))
    authoring.update_material(material, _input(), drop_stored_ids=[stored_id], actor=author, now=utcnow())
    second = authoring.latest_version(material)
    assert count(MaterialFile) == 1  # only version 1's row
    assert db.session.scalar(select(MaterialFile.version_id)) != second.id
    assert count(StoredFile) == 1


def test_dropping_a_draft_only_file_deletes_its_row(app: Flask) -> None:
    author = teacher()
    material = authoring.create_material(_input(), [_file("План.docx", DOCX)], actor=author, now=utcnow())
    stored_id = db.session.scalar(select(MaterialFile.stored_file_id))
    authoring.update_material(material, _input(), drop_stored_ids=[stored_id], actor=author, now=utcnow())
    assert count(MaterialFile) == count(StoredFile) == 0


def test_a_rejected_material_is_reworked_as_a_new_draft_version(app: Flask) -> None:
    author = teacher()
    material = authoring.create_material(_input(), actor=author, now=utcnow(), send=True)
    reject_version(authoring.latest_version(material), "Нет целей урока", actor=methodist(), now=utcnow())
    db.session.commit()
    assert material.status == MaterialStatus.REJECTED
    authoring.update_material(material, _input(summary="С целями"), actor=author, now=utcnow(), send=True)
    assert material.status == MaterialStatus.PENDING
    assert [
        v.state for v in db.session.scalars(select(MaterialVersion).order_by(MaterialVersion.number))
    ] == [
        VersionState.REJECTED,
        VersionState.PENDING,
    ]


def test_dropping_someone_elses_file_by_id_touches_nothing(app: Flask) -> None:
    author = teacher()
    other = authoring.create_material(_input(), [_file("Чужой.pdf", PDF)], actor=teacher(), now=utcnow())
    foreign = db.session.scalar(select(MaterialFile.stored_file_id))
    material = authoring.create_material(_input(), actor=author, now=utcnow())
    authoring.update_material(material, _input(), drop_stored_ids=[foreign], actor=author, now=utcnow())
    assert count(StoredFile) == 1 and count(MaterialFile) == 1
    assert db.session.scalar(select(MaterialFile.version_id)) == authoring.latest_version(other).id


def test_save_and_send_of_an_unsendable_edit_is_refused_before_any_write(app: Flask) -> None:
    author = teacher()
    material = authoring.create_material(_input(title="Черновик"), actor=author, now=utcnow())
    video = _input(title="Видео без ссылки", kind="video", links=[])
    with pytest.raises(Invalid) as caught:
        authoring.update_material(
            material, video, [_file("Кадр.pdf", PDF)], actor=author, now=utcnow(), send=True
        )
    assert "links" in caught.value.fields
    assert not db.session.new and not db.session.dirty  # refused before anything was written
    assert files_on_disk(app) == [] and count(StoredFile) == 0
    assert authoring.latest_version(material).title == "Черновик"
