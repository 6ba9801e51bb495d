"""The library's notifications by kind: a decision about one's material (published, rejected), a
comment on it, a hidden comment — each where the author's setting for its kind says."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications import Notification
from app.timeutil import utcnow
from community.library import comment_moderation, comments, moderation
from community.library.models import MaterialStatus, MaterialVersion
from community.notices import preferences
from community.notices.kinds import Choice, Kind
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material

pytestmark = pytest.mark.usefixtures("app")
LINK = "http://localhost/library/materials/1"


def _kinds(user_id: int) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(Notification.user_id == user_id)))


def _pending_version(author: Any) -> MaterialVersion:
    material = published_material(author, status=MaterialStatus.PENDING)
    version = db.session.scalars(
        select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    version.submitted_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    return version


def test_a_decision_goes_to_the_bell_and_by_mail_by_default(outbox: Any) -> None:
    author = teacher(email="author@school1.ru")
    before = len(outbox())
    moderation.review(_pending_version(author), "publish", "", actor=methodist(), now=utcnow(), link=LINK)
    assert _kinds(author.id) == ["material_published"]
    assert [letter["To"] for letter in outbox()[before:]] == ["author@school1.ru"]


def test_an_author_who_turned_mail_off_gets_no_letter(outbox: Any) -> None:
    author = teacher(email="quiet.author@school1.ru")
    preferences.save_choices(
        author, {Kind.MATERIAL_REJECTED: Choice(in_app=True, by_email=False, in_digest=False)}
    )
    before = len(outbox())
    version = _pending_version(author)
    moderation.review(version, "reject", "Нет списка литературы", actor=methodist(), now=utcnow(), link=LINK)
    assert _kinds(author.id) == ["material_rejected"]
    assert outbox()[before:] == []


def test_comments_and_a_hidden_comment_are_told_by_kind() -> None:
    material = published_material()
    reader = teacher()
    comment = comments.post_comment(material, reader, "Спасибо за разработку!", now=utcnow())
    assert _kinds(material.author_id) == ["material_commented"]
    preferences.save_choices(reader, {Kind.MODERATION: Choice(in_app=True, by_email=False, in_digest=False)})
    comment_moderation.hide_comment(comment, methodist(), "Не по теме", now=utcnow())
    note = db.session.scalar(select(Notification).where(Notification.user_id == reader.id))
    assert note is not None and note.kind == "moderation" and "Не по теме" in note.text
    assert note.link.endswith(f"#comment-{comment.id}")
