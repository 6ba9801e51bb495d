"""The publication certificate on the web: the author downloads the one issued at publication, a
moderator revokes it with a reason, the public check page then says revoked; an older publication
says its certificate is being issued until the clock has issued it."""

from __future__ import annotations

import io

import pytest
from flask import Flask, render_template_string
from pypdf import PdfReader
from sqlalchemy import func, select

from app.accounts import User
from app.certificates import Certificate
from app.extensions import db
from app.library.certificate_views import certificate_context
from app.timeutil import utcnow
from community.associations.models import Association
from community.library.certificates import issue_missing_certificates
from community.library.models import Material, MaterialStatus
from tests.conftest import login
from tests.factories.accounts import admin, methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material
from tests.factories.library_certificates import certified_material


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_author_downloads_the_certificate_and_it_verifies(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher(full_name="Ольга Миронова")
    material = certified_material(author, title="Проект «Птицы нашего края»")
    login(client, author)
    response = client.get(f"/library/materials/{material.id}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    certificate = db.session.scalar(select(Certificate))
    assert certificate is not None
    text = _pdf_text(response.data)
    for expected in (certificate.details, "Птицы нашего края", "Ольга Миронова", certificate.code):
        assert expected in text
    check = client.get(f"/verify/{certificate.code}")
    assert check.status_code == 200 and "data-valid" in check.get_data(as_text=True)


def test_no_pdf_before_publication(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author, status=MaterialStatus.PENDING)
    login(client, author)
    response = client.get(f"/library/materials/{material.id}/certificate.pdf")
    assert response.status_code == 302 and not response.data.startswith(b"%PDF")
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_only_the_author_and_moderators_download(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material(teacher())
    login(client, teacher())
    assert client.get(f"/library/materials/{material.id}/certificate.pdf").status_code == 403
    hidden = published_material(teacher(), status=MaterialStatus.PENDING)
    assert client.get(f"/library/materials/{hidden.id}/certificate.pdf").status_code == 404
    client.post("/auth/logout")
    assert client.get(f"/library/materials/{material.id}/certificate.pdf").status_code == 302  # to the login


def test_revocation_shows_on_the_check_page(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = certified_material(author)
    code = db.session.scalar(select(Certificate.code))
    login(client, methodist())
    page = client.get(f"/library/materials/{material.id}/certificate/revoke")
    assert page.status_code == 200 and 'name="reason"' in page.get_data(as_text=True)
    response = client.post(
        f"/library/materials/{material.id}/certificate/revoke", data={"reason": "Заимствованный текст"}
    )
    assert response.status_code == 302
    check = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "data-revoked" in check and "Заимствованный текст" in check and "data-valid" not in check
    assert "Документ отозван" in check


def test_revocation_without_a_reason_is_shown_by_the_field(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material(teacher())
    login(client, methodist())
    response = client.post(f"/library/materials/{material.id}/certificate/revoke", data={"reason": "  "})
    assert response.status_code == 422 and "invalid-feedback" in response.get_data(as_text=True)
    response = client.post(
        f"/library/materials/{material.id}/certificate/revoke", data={"reason": "x" * 1001}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("methodist", 302),
        ("admin", 302),
        ("leader", 302),
        ("other_leader", 403),
        ("teacher", 403),
        ("author", 403),
        ("student", 403),
    ],
)
def test_who_may_revoke(client, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    association, other = AssociationFactory(), AssociationFactory()
    author = teacher()
    material = published_material(author, association=association)
    people = {
        "methodist": methodist,
        "admin": admin,
        "teacher": teacher,
        "student": student,
        "author": lambda: author,
        "leader": lambda: _leader_of(association),
        "other_leader": lambda: _leader_of(other),
    }
    login(client, people[who]())
    response = client.post(f"/library/materials/{material.id}/certificate/revoke", data={"reason": "Плагиат"})
    assert response.status_code == status
    revoked = db.session.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.revoked_at.is_not(None))
    )
    assert revoked == (1 if status == 302 else 0)


def _leader_of(association: Association) -> User:
    leader = teacher()
    add_member(association, leader, leader=True)
    return leader


def test_certificate_part_of_the_material_page(app: Flask, count_queries) -> None:  # type: ignore[no-untyped-def]
    author, moderator, reader = teacher(), methodist(), teacher()
    material = certified_material(author)
    pending = published_material(author, status=MaterialStatus.PENDING)
    db.session.commit()
    with app.test_request_context():
        mine = certificate_context(material, author)["certificate_state"]
        assert mine["can_download"] and not mine["can_revoke"]
        theirs = certificate_context(material, moderator)["certificate_state"]
        assert theirs["can_revoke"] and not theirs["can_download"]
        with count_queries() as counter:
            nobody = certificate_context(material, reader)["certificate_state"]
        assert counter.count <= 1 and not nobody["can_download"] and not nobody["can_revoke"]
        assert not certificate_context(pending, author)["certificate_state"]["can_download"]
        with count_queries() as counter:
            certificate_context(db.session.get_one(Material, material.id), moderator)
        assert counter.count <= 2
        include = '{% include "library/_certificate.html" %}'
        assert "data-certificate-download" in render_template_string(include, certificate_state=mine)
        assert "data-certificate-revoke" in render_template_string(include, certificate_state=theirs)
        assert "data-certificate" not in render_template_string(include, certificate_state=nobody)


def test_the_material_page_shows_the_certificate_part(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = certified_material(author)
    login(client, author)
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert "data-certificate-download" in page and "data-certificate-revoke" not in page
    client.post("/auth/logout")
    login(client, methodist())
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert "data-certificate-revoke" in page and "data-certificate-download" not in page
    client.post(f"/library/materials/{material.id}/certificate/revoke", data={"reason": "Плагиат"})
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert (
        "data-certificate-revoked" in page
        and f"/library/materials/{material.id}/certificate/revoke" not in page
    )
    client.post("/auth/logout")
    assert "data-certificate" not in client.get(f"/library/materials/{material.id}").get_data(as_text=True)


def test_an_older_publication_says_its_certificate_is_being_issued(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author)  # published before certificates came with publication
    login(client, author)
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert "data-certificate-preparing" in page and "data-certificate-download" not in page
    response = client.get(f"/library/materials/{material.id}/certificate.pdf", follow_redirects=True)
    assert "будет готово через несколько минут" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    issue_missing_certificates(utcnow())
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert "data-certificate-download" in page and "data-certificate-preparing" not in page
