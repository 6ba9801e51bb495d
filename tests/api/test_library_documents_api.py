"""Library documents API: a material's certificate (409 before publication, and for an older publication
until the clock issues it; the GETs only read), its revocation by the
material's moderators, the public check with "kind" and "revoked", and a teacher's portfolio."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.accounts import User
from app.certificates import Certificate, CertificateKind, issue
from app.extensions import db
from app.timeutil import utcnow
from community.associations.models import Association
from community.library.certificates import issue_missing_certificates
from community.library.models import MaterialStatus
from community.portfolio.models import PortfolioSettings
from tests.factories.accounts import admin, methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material
from tests.factories.library_certificates import certified_material


def _leader_of(association: Association) -> User:
    leader = teacher()
    add_member(association, leader, leader=True)
    return leader


def test_certificate_code_and_pdf_for_the_author(api) -> None:  # type: ignore[no-untyped-def]
    author = teacher(full_name="Ольга Миронова")
    material = certified_material(author, title="Игры на переменах")
    answer = api(author).get(f"/materials/{material.id}/certificate")
    assert answer.status_code == 200, answer.json
    assert set(answer.json) >= {"code", "pdf_url"}
    assert answer.json["serial"].startswith("МБ-") and answer.json["serial"].endswith(f"{material.id:06d}")
    again = api(author).get(f"/materials/{material.id}/certificate")
    assert again.json["code"] == answer.json["code"]
    pdf = api(author).get(answer.json["pdf_url"].split("/api/v1", 1)[1])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert answer.json["code"] in text and "Игры на переменах" in text and "Ольга Миронова" in text
    check = api().get(f"/certificates/{answer.json['code']}")
    assert check.status_code == 200
    assert (
        check.json["valid"] is True and check.json["kind"] == "publication" and check.json["revoked"] is False
    )
    assert check.json["holder"] == "Ольга Миронова" and check.json["title"] == "Игры на переменах"


@pytest.mark.parametrize("status", [MaterialStatus.DRAFT, MaterialStatus.PENDING, MaterialStatus.REJECTED])
def test_certificate_refused_before_publication(api, status: MaterialStatus) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author, status=status)
    answer = api(author).get(f"/materials/{material.id}/certificate")
    assert answer.status_code == 409 and answer.json["error"]["message"]
    assert api(author).get(f"/materials/{material.id}/certificate.pdf").status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_certificate_refused_to_others(api) -> None:  # type: ignore[no-untyped-def]
    material = certified_material(teacher())
    hidden = published_material(teacher(), status=MaterialStatus.PENDING)
    assert api(teacher()).get(f"/materials/{material.id}/certificate").status_code == 403
    assert api(student()).get(f"/materials/{material.id}/certificate").status_code == 403
    assert api(teacher()).get(f"/materials/{hidden.id}/certificate").status_code == 404
    assert api(teacher()).get("/materials/999999/certificate").status_code == 404
    assert api().get(f"/materials/{material.id}/certificate").status_code == 401
    assert api(methodist()).get(f"/materials/{material.id}/certificate").status_code == 200


def test_revoke_then_the_check_says_revoked(api) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = certified_material(author)
    code = api(author).get(f"/materials/{material.id}/certificate").json["code"]
    answer = api(methodist()).post(f"/materials/{material.id}/certificate/revoke", {"reason": "Плагиат"})
    assert answer.status_code == 200, answer.json
    assert answer.json["revoked"] is True and answer.json["code"] == code
    check = api().get(f"/certificates/{code}")
    assert check.status_code == 200
    assert (
        check.json["valid"] is False and check.json["revoked"] is True and check.json["kind"] == "publication"
    )
    assert check.json["revoked_reason"] == "Плагиат" and check.json["revoked_at"]
    again = api(methodist()).post(f"/materials/{material.id}/certificate/revoke", {"reason": "Ещё раз"})
    assert again.status_code == 409
    assert api(author).get(f"/materials/{material.id}/certificate").status_code == 409


def test_an_older_publication_is_refused_until_the_clock_issues_its_certificate(api) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author)  # published before certificates came with publication
    answer = api(author).get(f"/materials/{material.id}/certificate")
    assert answer.status_code == 409 and "несколько минут" in answer.json["error"]["message"]
    assert api(author).get(f"/materials/{material.id}/certificate.pdf").status_code == 409
    assert issue_missing_certificates(utcnow()) == ["issued 1 publication certificate(s)"]
    assert api(author).get(f"/materials/{material.id}/certificate").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 1001}, "reason"),
        ({}, "reason"),
        ({"reason": 5}, "reason"),
    ],
)
def test_revoke_bad_input(api, body: dict[str, object], field: str) -> None:  # type: ignore[no-untyped-def]
    material = published_material(teacher())
    answer = api(methodist()).post(f"/materials/{material.id}/certificate/revoke", body)
    assert answer.status_code == 422 and field in answer.json["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_revoke_refused_for_an_unpublished_material(api) -> None:  # type: ignore[no-untyped-def]
    material = published_material(teacher(), status=MaterialStatus.PENDING)
    answer = api(methodist()).post(f"/materials/{material.id}/certificate/revoke", {"reason": "Плагиат"})
    assert answer.status_code == 409


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("methodist", 200),
        ("admin", 200),
        ("leader", 200),
        ("other_leader", 403),
        ("teacher", 403),
        ("author", 403),
    ],
)
def test_who_may_revoke(api, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    association, other = AssociationFactory(), AssociationFactory()
    author = teacher()
    material = published_material(author, association=association)
    caller = {
        "methodist": methodist,
        "admin": admin,
        "teacher": teacher,
        "author": lambda: author,
        "leader": lambda: _leader_of(association),
        "other_leader": lambda: _leader_of(other),
    }[who]()
    answer = api(caller).post(f"/materials/{material.id}/certificate/revoke", {"reason": "Плагиат"})
    assert answer.status_code == status


def test_the_public_check_keeps_the_other_kinds(api) -> None:  # type: ignore[no-untyped-def]
    holder = teacher(full_name="Анна Петрова")
    jury = issue(
        kind=CertificateKind.JURY,
        user_id=holder.id,
        holder="Анна Петрова",
        title="Финал",
        source_type="stage",
        source_id=1,
    )
    db.session.commit()
    check = api().get(f"/certificates/{jury.code}").json
    assert check == {
        "valid": True,
        "revoked": False,
        "kind": "jury",
        "holder": "Анна Петрова",
        "title": "Финал",
        "issued_at": jury.issued_at.isoformat(),
    }


def test_portfolio_api(api) -> None:  # type: ignore[no-untyped-def]
    owner = teacher(full_name="Наталья Кузнецова")
    certified_material(owner, title="Сценарий праздника")
    course = issue(
        kind=CertificateKind.COURSE,
        user_id=owner.id,
        holder=owner.full_name,
        title="ФГОС",
        source_type="course",
        source_id=7,
        details="72",
    )
    db.session.commit()
    assert api().get(f"/users/{owner.id}/portfolio").status_code == 404  # private
    assert api(teacher()).get(f"/users/{owner.id}/portfolio").status_code == 404
    mine = api(owner).get(f"/users/{owner.id}/portfolio")
    assert mine.status_code == 200 and mine.json["public"] is False
    pdf = api(owner).get(mine.json["pdf_url"].split("/api/v1", 1)[1])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert course.code in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert api().get(f"/users/{owner.id}/portfolio.pdf").status_code == 404
    assert api(admin()).get(f"/users/{owner.id}/portfolio").status_code == 200
    db.session.add(PortfolioSettings(user_id=owner.id, is_public=True, show_publications=False))
    db.session.commit()
    public = api().get(f"/users/{owner.id}/portfolio")
    assert public.status_code == 200
    assert [s["key"] for s in public.json["sections"]] == ["courses"]
    (document,) = public.json["sections"][0]["documents"]
    assert (
        document["code"] == course.code
        and document["hours"] == 72
        and document["verify_url"].endswith(course.code)
    )
    assert public.json["course_hours"] == 72 and public.json["full_name"] == "Наталья Кузнецова"


def test_pupils_have_no_portfolio_in_the_api(api) -> None:  # type: ignore[no-untyped-def]
    pupil = student()
    db.session.add(PortfolioSettings(user_id=pupil.id, is_public=True))
    db.session.commit()
    assert api().get(f"/users/{pupil.id}/portfolio").status_code == 404
    assert api(pupil).get(f"/users/{pupil.id}/portfolio").status_code == 404
    assert api(admin()).get(f"/users/{pupil.id}/portfolio").status_code == 404
    assert api().get("/users/999999/portfolio").status_code == 404
