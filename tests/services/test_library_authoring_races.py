"""Two requests on one material at once: the conditional updates let exactly one of them through.
The other request is a second connection that commits while this session still holds the version
as a draft (its own copy is not reloaded), as a request that read the page a moment earlier would."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app.audit import AuditEntry
from app.domain_errors import Conflict
from app.extensions import db
from app.i18n import _
from app.timeutil import utcnow
from community.library import authoring
from community.library.material_input import MaterialInput
from community.library.models import MaterialVersion, VersionState
from tests.factories.accounts import teacher
from tests.factories.community import subjects


def _input(title: str) -> MaterialInput:
    return MaterialInput(
        title=title, summary="Конспект", kind="lesson_plan", subject_ids=[subjects()["Математика"].id]
    )


def _draft() -> tuple[Any, Any, MaterialVersion]:
    author = teacher()
    material = authoring.create_material(_input("Дроби"), actor=author, now=utcnow())
    version = authoring.latest_version(material)
    assert (
        version.state == VersionState.DRAFT and material.title == "Дроби" and author.trusted_author is False
    )
    session = db.session()
    session.expire_on_commit = False  # end the read transaction but keep what this request has read
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    return author, material, version


def _other_request_sends(version_id: int) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(MaterialVersion)
            .where(MaterialVersion.id == version_id)
            .values(state=VersionState.PENDING, submitted_at=utcnow())
        )


def _submissions() -> int:
    query = select(func.count()).where(AuditEntry.action == "library.version_submitted")
    return db.session.scalar(query) or 0


def test_two_submits_at_once_send_the_version_once(app: Flask) -> None:
    author, material, version = _draft()
    _other_request_sends(version.id)
    assert version.state == VersionState.DRAFT  # this request's stale copy
    with pytest.raises(Conflict) as caught:
        authoring.submit_material(material, actor=author, now=utcnow())
    assert caught.value.message == _("This version has already been sent to moderation.")
    db.session.rollback()
    assert db.session.scalar(select(MaterialVersion.state)) == VersionState.PENDING
    assert _submissions() == 0  # the loser recorded nothing


def test_an_edit_racing_a_submit_does_not_change_the_sent_version(app: Flask) -> None:
    author, material, version = _draft()
    _other_request_sends(version.id)
    with pytest.raises(Conflict) as caught:
        authoring.update_material(material, _input("Правка после отправки"), actor=author, now=utcnow())
    assert caught.value.message == _("The material has just been sent to moderation; reload the page.")
    db.session.rollback()
    assert db.session.scalar(select(MaterialVersion.title)) == "Дроби"
    assert db.session.scalar(select(func.count()).select_from(MaterialVersion)) == 1
