"""Moderation through its services: one decision per version, the author told once in their own
language, the queue scoped, ordered and aged, trusted authors."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.audit import AuditEntry
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.mail import OutgoingMail
from app.notifications import Notification
from app.timeutil import utcnow
from community.library import moderation
from community.library.authoring import MaterialInput, create_material
from community.library.models import Material, MaterialStatus, MaterialVersion, VersionState
from tests.factories.accounts import admin, methodist, student, teacher
from tests.factories.community import AssociationFactory, published_material, subjects

LINK = "http://localhost/library/materials/1"


def pending(
    author: Any = None, *, association: Any = None, days_ago: float = 0, title: str = "Урок"
) -> Material:
    material = published_material(author, status=MaterialStatus.PENDING, association=association, title=title)
    version = _version(material)
    version.submitted_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return material


def new_pending_version(material: Material, *, title: str = "Урок, версия 2") -> MaterialVersion:
    version = MaterialVersion(
        material_id=material.id,
        number=2,
        state=VersionState.PENDING,
        title=title,
        summary="Исправленный конспект",
        submitted_at=utcnow(),
    )
    db.session.add(version)
    db.session.commit()
    return version


def _version(material: Material) -> MaterialVersion:
    return db.session.scalars(
        select(MaterialVersion)
        .where(MaterialVersion.material_id == material.id)
        .order_by(MaterialVersion.number)
    ).first()  # type: ignore[return-value]


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_publishing_tells_the_author_in_the_app_and_by_mail(app, outbox) -> None:
    author, moderator = teacher(), methodist()
    material = pending(author, title="Сложение дробей")
    version = _version(material)
    moderation.review(version, "publish", "", actor=moderator, now=utcnow(), link=LINK)
    db.session.refresh(material)
    assert material.status == MaterialStatus.PUBLISHED
    assert material.published_version_id == version.id
    note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert note is not None and "Сложение дробей" in note.text and note.link == LINK
    letters = outbox()
    assert [m["To"] for m in letters] == [author.email]
    assert letters[0]["Subject"] == "Ваш материал опубликован"
    assert LINK in letters[0].get_content()
    assert (
        _count(
            AuditEntry, AuditEntry.action == "library.version_published", AuditEntry.actor_id == moderator.id
        )
        == 1
    )


def test_rejecting_needs_a_reason_and_writes_nothing_without_one(app, outbox) -> None:
    material = pending()
    version = _version(material)
    with pytest.raises(Invalid) as refused:
        moderation.review(version, "reject", "   ", actor=methodist(), now=utcnow(), link=LINK)
    assert "reason" in refused.value.fields
    db.session.refresh(version)
    assert version.state == VersionState.PENDING
    assert _count(Notification) == 0 and outbox() == []


def test_rejection_reaches_an_english_author_in_english_with_the_reason(app, outbox) -> None:
    author = teacher(locale="en")
    material = pending(author)
    moderation.review(
        _version(material), "reject", "Нет конспекта", actor=methodist(), now=utcnow(), link=LINK
    )
    db.session.refresh(material)
    assert material.status == MaterialStatus.REJECTED
    assert _version(material).review_reason == "Нет конспекта"
    (letter,) = outbox()
    assert letter["Subject"] == "Your material was not published"
    assert "Нет конспекта" in letter.get_content()
    assert _count(AuditEntry, AuditEntry.action == "library.version_rejected") == 1


def test_a_rejected_new_version_leaves_the_published_one(app) -> None:
    material = published_material(teacher())
    version = new_pending_version(material)
    moderation.review(version, "reject", "Ссылки не открываются", actor=methodist(), now=utcnow(), link=LINK)
    db.session.refresh(material)
    assert material.status == MaterialStatus.PUBLISHED
    assert material.published_version_id != version.id


def test_a_second_decision_is_a_conflict(app, outbox) -> None:
    material = pending()
    version = _version(material)
    moderation.review(version, "publish", "", actor=methodist(), now=utcnow(), link=LINK)
    with pytest.raises(Conflict):
        moderation.review(version, "reject", "Поздно", actor=methodist(), now=utcnow(), link=LINK)
    assert len(outbox()) == 1
    assert _count(Notification) == 1


def test_two_moderators_deciding_at_once_give_one_decision(app, outbox) -> None:
    author = teacher()
    material = pending(author)
    version_id = _version(material).id
    moderator_ids = [methodist().id, methodist().id, methodist().id, methodist().id]
    db.session.commit()
    outcomes: list[Any] = []
    start = threading.Barrier(len(moderator_ids))

    def decide(index: int) -> None:
        with app.app_context():
            try:
                version = db.session.get_one(MaterialVersion, version_id)
                actor = db.session.get_one(User, moderator_ids[index])
                decision, reason = ("publish", "") if index % 2 else ("reject", "Не подходит")
                # Each has read the version as pending; SQLite begins every transaction IMMEDIATE, so
                # the reads end (the rows stay loaded, detached) before all start deciding together.
                assert version.state == VersionState.PENDING and actor.locale
                db.session.close()
                start.wait(timeout=30)
                db.session.add_all([version, actor])
                moderation.review(version, decision, reason, actor=actor, now=utcnow(), link=LINK)
                outcomes.append(decision)
            except Conflict as error:
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(len(moderator_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    decided = [o for o in outcomes if isinstance(o, str)]
    assert len(decided) == 1 and len(outcomes) == len(moderator_ids), outcomes
    assert _count(Notification, Notification.user_id == author.id) == 1
    assert _count(OutgoingMail) == 1 and len(outbox()) == 1
    db.session.expire_all()
    state = db.session.get_one(MaterialVersion, version_id).state
    assert state == (VersionState.PUBLISHED if decided[0] == "publish" else VersionState.REJECTED)
    decisions = AuditEntry.action.in_(["library.version_published", "library.version_rejected"])
    assert _count(AuditEntry, decisions) == 1


def test_the_queue_is_oldest_first_and_scoped_to_the_leaders_associations(app) -> None:
    mine, other = AssociationFactory(), AssociationFactory()
    young = pending(association=mine, days_ago=1, title="Свежий")
    old = pending(association=mine, days_ago=5, title="Старый")
    pending(association=other, days_ago=9, title="Чужой")
    pending(days_ago=2, title="Без объединения")
    published_material(teacher(), association=mine)  # not waiting
    now = utcnow()
    everything = [moderation.queue_item(r, now) for r in db.session.execute(moderation.queue_query(None))]
    assert [i.title for i in everything] == ["Чужой", "Старый", "Без объединения", "Свежий"]
    assert [i.days for i in everything] == [9, 5, 2, 1]
    scoped = [moderation.queue_item(r, now) for r in db.session.execute(moderation.queue_query([mine.id]))]
    assert [i.material_id for i in scoped] == [old.id, young.id]
    assert moderation.queue_summary([mine.id])[0] == 2
    assert moderation.queue_summary([])[0] == 0
    total, oldest = moderation.queue_summary(None)
    assert total == 4 and oldest is not None and (now - oldest).days == 9


def test_a_new_version_of_a_published_material_is_marked_in_the_queue(app) -> None:
    new_pending_version(published_material(teacher()))
    (item,) = [moderation.queue_item(r, utcnow()) for r in db.session.execute(moderation.queue_query(None))]
    assert item.republication and item.number == 2


def test_an_administrator_marks_and_unmarks_a_trusted_author(app) -> None:
    boss, author = admin(), teacher()
    moderation.set_trusted_author(author, True, actor=boss)
    assert author.trusted_author
    assert [u.id for u in db.session.scalars(moderation.trusted_authors_query())] == [author.id]
    moderation.set_trusted_author(author, False, actor=boss)
    assert not author.trusted_author
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["library.trusted_author_set", "library.trusted_author_unset"]


def test_a_pupil_is_never_a_trusted_author(app) -> None:
    pupil = student()
    with pytest.raises(Invalid):
        moderation.set_trusted_author(pupil, True, actor=admin())
    assert not pupil.trusted_author


def test_a_trusted_authors_submission_is_published_at_once(app) -> None:
    author = teacher()
    moderation.set_trusted_author(author, True, actor=admin())
    data = MaterialInput(
        title="Проверочная работа по дробям",
        summary="Два варианта заданий с ответами для 5 класса.",
        kind="test",
        subject_ids=[subjects()["Математика"].id],
        grades=[5],
        links=[("https://example.org/drobi", "Задания")],
    )
    material = create_material(data, actor=author, now=utcnow(), send=True)
    assert material.status == MaterialStatus.PUBLISHED
    assert _version(material).state == VersionState.PUBLISHED
    assert moderation.queue_summary(None)[0] == 0
