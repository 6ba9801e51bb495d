"""Library API: documents — a material's publication certificate (the author's code and PDF, a
moderator's revocation) and a teacher's portfolio.

Who gets what: a material the caller may not see is a 404 (as everywhere in the library); a
published material's certificate is the author's and their moderators' (403 for other colleagues);
a pupil's or a private portfolio is a 404 unless the caller is its owner or an administrator.
Every endpoint here but the revocation only reads: a certificate is issued when its material is
published (community.library.certificates).
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from pydantic import Field

from app.accounts import User, role_label
from app.api.core import Strict, api_user, endpoint, not_found, require_api
from app.certificates import Certificate
from app.documents.delivery import document_response, pdf_download
from app.extensions import db
from app.permissions.library import can_download_certificate, can_revoke_certificate, can_view_material
from app.permissions.library import can_view_portfolio as may_view_portfolio
from app.timeutil import utcnow
from community.library.certificate_rules import REASON_LIMIT
from community.library.certificates import (
    material_path,
    publication_certificate,
    publication_paper,
    revoke_certificate,
)
from community.library.models import Material
from community.portfolio.portfolio import Document, gather, settings_of
from community.portfolio.portfolio_pdf import portfolio_file_name, portfolio_pdf, section_title


class RevokeIn(Strict):
    reason: str = Field(min_length=1, max_length=REASON_LIMIT)


def _material(material_id: int, user: User) -> Material:
    material = db.session.get(Material, material_id)
    if material is None or not can_view_material(user, material):
        raise not_found()
    return material


def _site(path: str) -> str:
    return url_for("main.index", _external=True).rstrip("/") + path


def _certificate_json(certificate: Certificate, material_id: int) -> dict[str, Any]:
    return {
        "code": certificate.code,
        "serial": certificate.details,
        "pdf_url": url_for("api.documents_certificate_pdf_file", material_id=material_id, _external=True),
        "verify_url": url_for("verify", code=certificate.code, _external=True),
    }


@endpoint(
    "/materials/<int:material_id>/certificate",
    summary="The publication certificate of a published material: its code and PDF (author or "
    "moderator; 409 before publication, after a revocation, or for an older publication until the clock "
    "has issued its certificate)",
    tag="library",
)
def get_certificate(material_id: int) -> Any:
    actor = api_user()
    material = _material(material_id, actor)
    require_api(can_download_certificate(actor, material))
    certificate = publication_certificate(material)
    return _certificate_json(certificate, material.id)


@endpoint(
    "/materials/<int:material_id>/certificate.pdf",
    summary="The publication certificate as a PDF (author or moderator)",
    tag="library",
)
def certificate_pdf_file(material_id: int) -> Any:
    actor = api_user()
    material = _material(material_id, actor)
    require_api(can_download_certificate(actor, material))
    certificate = publication_certificate(material)
    paper = publication_paper(material, certificate, material_url=_site(material_path(material.id)))
    return document_response(paper, url_for("verify", code=certificate.code, _external=True))


@endpoint(
    "/materials/<int:material_id>/certificate/revoke",
    "POST",
    summary="Revoke a publication certificate with a reason (the material's moderators)",
    tag="library",
    body=RevokeIn,
)
def revoke(material_id: int, body: RevokeIn) -> Any:
    actor = api_user()
    material = _material(material_id, actor)
    require_api(can_revoke_certificate(actor, material))
    certificate = revoke_certificate(
        material, actor=actor, reason=body.reason, now=utcnow(), link=_site(material_path(material.id))
    )
    assert certificate.revoked_at is not None
    return {
        "code": certificate.code,
        "revoked": True,
        "revoked_at": certificate.revoked_at.isoformat(),
        "revoked_reason": certificate.revoked_reason,
    }


@endpoint(
    "/users/<int:user_id>/portfolio",
    summary="A teacher's portfolio: the sections they chose, with verified documents (404 for pupils "
    "and for private portfolios unless the owner or an administrator asks)",
    tag="library",
    public=True,
)
def portfolio(user_id: int) -> Any:
    owner = _portfolio_owner(user_id)
    gathered = gather(owner)
    return {
        "user_id": owner.id,
        "full_name": owner.full_name,
        "position": role_label(owner.role),
        "institution": owner.institution.name if owner.institution else None,
        "public": gathered.settings.is_public,
        "course_hours": gathered.course_hours,
        "pdf_url": url_for("api.documents_portfolio_pdf_file", user_id=owner.id, _external=True),
        "sections": [
            {"key": key, "title": section_title(key), "documents": [_document_json(d) for d in documents]}
            for key, documents in gathered.sections
        ],
    }


@endpoint(
    "/users/<int:user_id>/portfolio.pdf",
    summary="A teacher's portfolio as one PDF for attestation: a cover listing the shown documents with "
    "their codes, then one page per document (who may see it as for the portfolio)",
    tag="library",
    public=True,
)
def portfolio_pdf_file(user_id: int) -> Any:
    owner = _portfolio_owner(user_id)
    now = utcnow()
    data = portfolio_pdf(gather(owner), site_url=_site("/"), now=now)
    return pdf_download(data, portfolio_file_name(owner), f"portfolio-{owner.id}.pdf")


def _portfolio_owner(user_id: int) -> User:
    """The owner if the caller (or an anonymous reader) may see the portfolio; else a 404."""
    owner = db.session.get(User, user_id)
    if owner is None or not may_view_portfolio(g.get("api_user"), owner, settings_of(user_id).is_public):
        raise not_found()
    return owner


def _document_json(document: Document) -> dict[str, Any]:
    return {
        "kind": document.kind,
        "code": document.code,
        "title": document.title,
        "details": document.details,
        "hours": document.hours,
        "issued_at": document.issued_at.isoformat(),
        "verify_url": url_for("verify", code=document.code, _external=True),
        "material_url": _site(document.material_link) if document.material_link else None,
    }
