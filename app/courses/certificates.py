"""Course certificates: a student's PDF once the course is complete, and the public page that checks
any certificate or diploma by its code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app import certificates
from app.certificates import Certificate, CertificateKind
from app.courses import bp
from app.courses.access import course_or_404, download, role_in
from app.domain_errors import DomainError
from app.extensions import db
from app.i18n import lazy_
from app.permissions import require
from app.timeutil import utcnow
from community.library.certificates import SOURCE as MATERIAL_SOURCE
from community.library.models import Material, MaterialStatus
from courses.certificates import certificate_pdf, course_certificate

# What the check page calls each document, as it is named on paper.
KIND_LABELS = {
    CertificateKind.COURSE: lazy_("Certificate of professional development"),
    CertificateKind.DIPLOMA: lazy_("Diploma"),
    CertificateKind.PARTICIPATION: lazy_("Certificate of participation"),
    CertificateKind.JURY: lazy_("Certificate of a jury member"),
    CertificateKind.PUBLICATION: lazy_("Certificate of publication"),
    CertificateKind.EVENT_ATTENDANCE: lazy_("Certificate of participation in an event"),
    CertificateKind.EVENT_CONDUCTING: lazy_("Certificate of conducting an event"),
}


@dataclass(frozen=True)
class Publication:
    """The published material a publication certificate stands for; url only while it is public."""

    published_at: datetime | None
    url: str | None


@bp.route("/<int:course_id>/certificate")
@login_required
def certificate(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require(role_in(course.id) == "student")
    try:
        issued = course_certificate(course, current_user, now=utcnow())
    except DomainError as error:  # a download, not act()'s redirect: the refusal shows as a warning
        flash(error.message, "warning")
        return redirect(url_for("courses.view", course_id=course.id))
    verify_url = url_for("verify", code=issued.code, _external=True)
    return download(
        certificate_pdf(course, issued, verify_url), "application/pdf", f"certificate-{issued.code}.pdf"
    )


def _publication(certificate: Certificate) -> Publication | None:
    """One query: the material's publication date and whether it is still public (a withdrawn or
    deleted material gets no link; a deleted one no date either)."""
    if certificate.kind != CertificateKind.PUBLICATION or certificate.source_type != MATERIAL_SOURCE:
        return None
    row = db.session.execute(
        select(Material.published_at, Material.status).where(Material.id == certificate.source_id)
    ).one_or_none()
    if row is None:
        return None
    public = row.status == MaterialStatus.PUBLISHED
    url = url_for("library.material", material_id=certificate.source_id) if public else None
    return Publication(published_at=row.published_at, url=url)


def verify(code: str):  # type: ignore[no-untyped-def]
    """Public: confirms a certificate or diploma, revealing only what it is, holder, title and date
    (and, for a publication, the material's date and page); a revoked one is named as revoked, with
    the date and reason (200: the code is known, the answer is no)."""
    found = certificates.lookup(code)
    valid = found is not None and found.revoked_at is None
    return render_template(
        "courses/verify.html",
        certificate=found,
        code=code,
        kind_label=KIND_LABELS.get(found.kind) if valid and found else None,
        publication=_publication(found) if valid and found else None,
    ), 200 if found else 404


@bp.record_once
def _register_verify(state: Any) -> None:
    state.app.add_url_rule("/verify/<code>", "verify", verify)
