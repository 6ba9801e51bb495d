"""The publication certificate: issued when the material is published (and by the clock for older
publications), read by downloads, printed with its serial, revoked by a moderator with a reason
(once, even when two revoke at once)."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.accounts import User
from app.audit import AuditEntry
from app.certificates import Certificate, CertificateKind
from app.documents.layout import render_paper
from app.domain_errors import Conflict, DomainError, Invalid
from app.extensions import db
from app.mail import OutgoingMail
from app.notifications import Notification
from community.library import moderation
from community.library.certificates import (
    BACKFILL_BATCH,
    issue_missing_certificates,
    issue_on_publication,
    publication_certificate,
    publication_paper,
    revoke_certificate,
)
from community.library.models import Material, MaterialStatus
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material
from tests.factories.library_certificates import certified_material

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("status", [MaterialStatus.DRAFT, MaterialStatus.PENDING, MaterialStatus.REJECTED])
def test_no_certificate_before_publication(app, status: MaterialStatus) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author, status=status)
    with pytest.raises(Conflict):
        publication_certificate(material)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_certificate_issued_once_with_its_serial(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher(full_name="Ирина Соколова")
    material = published_material(author, title="Урок «Дроби»")
    material.published_at = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # already 1 January in Moscow
    first = issue_on_publication(material, actor=author, now=NOW)
    material.title = "Новое название"  # a republication does not reword a document already issued
    again = issue_on_publication(material, actor=author, now=NOW)
    assert first.id == again.id == publication_certificate(material).id
    assert first.kind == CertificateKind.PUBLICATION and first.details == f"МБ-2027-{material.id:06d}"
    assert (first.holder, first.title, first.user_id) == ("Ирина Соколова", "Урок «Дроби»", author.id)
    issued = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "library.certificate_issued"))
    assert len(issued.all()) == 1


def test_a_moderators_publication_issues_the_certificate_in_its_transaction(app) -> None:  # type: ignore[no-untyped-def]
    author, moderator = teacher(full_name="Ирина Соколова"), methodist()
    material = published_material(author, status=MaterialStatus.PENDING, title="Урок «Дроби»")
    version = moderation.pending_version(material.id)
    assert version is not None
    moderation.review(version, "publish", "", actor=moderator, now=NOW, link="/library/materials/1")
    certificate = publication_certificate(db.session.get_one(Material, material.id))
    assert (certificate.holder, certificate.title, certificate.issued_at) == (
        "Ирина Соколова",
        "Урок «Дроби»",
        NOW.replace(tzinfo=None) if certificate.issued_at.tzinfo is None else NOW,
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "library.certificate_issued"))
    assert entry is not None and entry.actor_id == moderator.id and entry.object_id == certificate.id


def test_an_older_publication_without_a_certificate_is_refused_until_the_clock_issues_it(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material(teacher())
    with pytest.raises(Conflict) as refused:
        publication_certificate(material)
    assert "несколько минут" in refused.value.message
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_pdf_states_serial_title_author_code_and_link(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher(full_name="Ирина Соколова")
    material = published_material(author, title="Сложение дробей")
    certificate = issue_on_publication(material, actor=author, now=NOW)
    paper = publication_paper(
        material, certificate, material_url=f"http://localhost/library/materials/{material.id}"
    )
    data = render_paper(paper, f"http://localhost/verify/{certificate.code}")
    text = pdf_text(data)
    assert data.startswith(b"%PDF")
    for expected in (certificate.details, "Сложение дробей", "Ирина Соколова", certificate.code):
        assert expected in text
    assert "учитель" in text and author.institution.name in text
    assert "СВИДЕТЕЛЬСТВО" in text and "о публикации" in text and f"/library/materials/{material.id}" in text


def test_revocation_needs_a_reason(app) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    with pytest.raises(Invalid) as caught:
        revoke_certificate(material, actor=methodist(), reason="  ", now=NOW)
    assert "reason" in caught.value.fields
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_revocation_is_recorded_told_and_final(app) -> None:  # type: ignore[no-untyped-def]
    author, moderator = teacher(), methodist()
    material = certified_material(author)
    code = publication_certificate(material).code
    revoked = revoke_certificate(material, actor=moderator, reason="Плагиат", now=NOW)
    assert revoked.code == code and revoked.revoked_reason == "Плагиат" and revoked.revoked_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "library.certificate_revoked"))
    assert entry is not None and entry.actor_id == moderator.id and entry.reason == "Плагиат"
    note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert note is not None and "Плагиат" in note.text
    letter = db.session.scalar(select(OutgoingMail).where(OutgoingMail.to_address == author.email))
    assert letter is not None and "Плагиат" in letter.body and "отозвано" in letter.subject
    with pytest.raises(Conflict):
        revoke_certificate(material, actor=moderator, reason="Ещё раз", now=NOW)
    with pytest.raises(Conflict) as refused:
        publication_certificate(material)
    assert "Плагиат" in refused.value.message


def test_revoking_before_the_clock_issued_it_leaves_no_valid_certificate(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author)
    revoke_certificate(material, actor=methodist(), reason="Чужой текст", now=NOW)
    certificate = db.session.scalar(select(Certificate))
    assert certificate is not None and certificate.revoked_at is not None
    assert issue_missing_certificates(NOW) == []  # the clock leaves the revoked one as it is
    with pytest.raises(Conflict):
        publication_certificate(material)


def test_the_clock_issues_older_publications_certificates_once_in_batches(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    older = [published_material(author), published_material(author), published_material(teacher())]
    published_material(author, status=MaterialStatus.PENDING)
    certified = certified_material(author)
    monkeypatch.setattr("community.library.certificates.BACKFILL_BATCH", 2)
    assert issue_missing_certificates(NOW) == ["issued 2 publication certificate(s)"]
    assert issue_missing_certificates(NOW) == ["issued 1 publication certificate(s)"]
    assert issue_missing_certificates(NOW) == []
    assert BACKFILL_BATCH >= 100
    for material in older:
        assert publication_certificate(material).issued_at is not None
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 4
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "library.certificate_issued"))
    by_material = {entry.scope_id: entry.actor_id for entry in entries}
    assert by_material == {certified.id: author.id, **{m.id: None for m in older}}


def test_two_revocations_at_once_give_one(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    author = teacher()
    material = certified_material(author)
    material_id, moderator_ids = material.id, [methodist().id for _ in range(3)]
    db.session.commit()
    db.session.close()
    outcomes: list[str] = []
    barrier = threading.Barrier(3)

    def run(user_id: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                row = db.session.get_one(Material, material_id)
                revoke_certificate(row, actor=db.session.get_one(User, user_id), reason="Плагиат", now=NOW)
                outcomes.append("revoked")
            except DomainError:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(user_id,)) for user_id in moderator_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "refused", "revoked"]
    revocations = (
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "library.certificate_revoked")
    )
    assert db.session.scalar(revocations) == 1
