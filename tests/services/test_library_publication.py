"""The shared publish and reject steps: state changes, supersession, search text, one decision."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.timeutil import utcnow
from app.uploads import StoredFile
from community.library import search
from community.library.models import (
    MaterialFile,
    MaterialStatus,
    MaterialVersion,
    VersionState,
)
from community.library.publication import publish_version, reject_version
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material

pytestmark = pytest.mark.usefixtures("app")


def _pending(material: Any, number: int, title: str, summary: str = "") -> MaterialVersion:
    version = MaterialVersion(
        material_id=material.id,
        number=number,
        state=VersionState.PENDING,
        title=title,
        summary=summary,
        submitted_at=utcnow(),
    )
    db.session.add(version)
    db.session.flush()
    return version


def _indexed(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []
    monkeypatch.setattr(search, "index_material", lambda material: calls.append(material.status))
    return calls


def test_first_publication_copies_content_and_sets_published_at(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _indexed(monkeypatch)
    material = published_material(teacher(), status=MaterialStatus.PENDING, title="Черновик")
    version = db.session.scalars(select(MaterialVersion)).one()
    version.summary = "**Важно**: задачи"
    now = utcnow()
    publish_version(version, actor=methodist(), now=now)
    db.session.commit()
    assert version.state == VersionState.PUBLISHED
    assert material.status == MaterialStatus.PUBLISHED
    assert material.published_version_id == version.id
    assert material.published_at is not None
    assert "<strong>Важно</strong>" in material.summary_html
    assert material.search_text == "Черновик\n**Важно**: задачи"
    assert calls == [MaterialStatus.PUBLISHED]
    assert db.session.scalar(select(AuditEntry.action)) == "library.version_published"


def test_new_version_supersedes_the_old_and_keeps_published_at(monkeypatch: pytest.MonkeyPatch) -> None:
    _indexed(monkeypatch)
    material = published_material(teacher(), title="Первая")
    first_at = material.published_at
    first = db.session.scalars(select(MaterialVersion)).one()
    second = _pending(material, 2, "Вторая", "Новое")
    db.session.add(MaterialFile(version_id=second.id, stored_file_id=_stored().id, text_content="дроби"))
    db.session.flush()
    publish_version(second, actor=methodist(), now=utcnow())
    db.session.commit()
    db.session.refresh(first)
    assert first.state == VersionState.SUPERSEDED
    assert material.published_version_id == second.id
    assert material.title == "Вторая"
    assert material.search_text == "Вторая\nНовое\nдроби"
    assert material.published_at == first_at


def test_rejecting_a_new_version_leaves_the_material_published(monkeypatch: pytest.MonkeyPatch) -> None:
    _indexed(monkeypatch)
    material = published_material(teacher(), title="Первая")
    second = _pending(material, 2, "Вторая")
    reject_version(second, "Нет источников", actor=methodist(), now=utcnow())
    db.session.commit()
    assert second.state == VersionState.REJECTED
    assert second.review_reason == "Нет источников"
    assert material.status == MaterialStatus.PUBLISHED
    assert material.title == "Первая"


def test_rejecting_a_never_published_material_rejects_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _indexed(monkeypatch)
    material = published_material(teacher(), status=MaterialStatus.PENDING)
    version = db.session.scalars(select(MaterialVersion)).one()
    with pytest.raises(Invalid):
        reject_version(version, "  ", actor=methodist(), now=utcnow())
    reject_version(version, "Пустой конспект", actor=methodist(), now=utcnow())
    db.session.commit()
    assert material.status == MaterialStatus.REJECTED


def test_a_decided_version_cannot_be_decided_again(monkeypatch: pytest.MonkeyPatch) -> None:
    _indexed(monkeypatch)
    published_material(teacher(), status=MaterialStatus.PENDING)
    version = db.session.scalars(select(MaterialVersion)).one()
    publish_version(version, actor=methodist(), now=utcnow())
    db.session.commit()
    with pytest.raises(Conflict):
        reject_version(version, "Поздно", actor=methodist(), now=utcnow())
    with pytest.raises(Conflict):
        publish_version(version, actor=methodist(), now=utcnow())


def _stored() -> StoredFile:
    stored = StoredFile(
        original_name="plan.pdf",
        storage_key="k" * 64,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    db.session.add(stored)
    db.session.flush()
    return stored
