"""The public check of a document: `/verify` is a box to type the code printed on paper, and
`/verify/<code>` says what the document is, whose, what it certifies, who issued it and when (the
date in the issuer's zone, as on the paper), and whether it was revoked.

Public and read-only, so the form is a GET without CSRF. Nothing is listed: a page shows only the
document whose code was typed. Pupils are minors: their diploma shows the name the holder chose to
show by handing over the paper, and nothing else about them (no school, no grade).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms import Form, StringField
from wtforms.validators import Length

from app import certificates
from app.certificates import Certificate, CertificateKind
from app.documents.paper import clean_code, grouped_code
from app.documents.sources import paper_for
from app.extensions import db
from app.i18n import _, lazy_
from community.library.certificates import SOURCE as MATERIAL_SOURCE
from community.library.models import Material, MaterialStatus

bp = Blueprint("verification", __name__)


class CodeForm(Form):
    """The code as typed from paper: spaces, dashes and case do not matter."""

    code = StringField(
        lazy_("Document code"),
        validators=[Length(max=64)],
        description=lazy_("The code is printed on the document next to the QR code, e.g. KX7M-2PQA-9TZD."),
    )


@dataclass(frozen=True)
class Publication:
    """The published material a publication certificate stands for; url only while it is public."""

    published_at: datetime | None
    url: str | None


def verify_form() -> ResponseReturnValue:
    """The box: an empty code is a 422, an unknown one a 404, both said by the field; a known one
    goes to its page."""
    form = CodeForm(request.args)
    if "code" not in request.args:
        return render_template("verify/form.html", form=form)
    code = clean_code(form.code.data or "")
    if not form.validate() or not code:
        form.code.errors = [_("Type the code printed on the document.")]
        return render_template("verify/form.html", form=form), 422
    if certificates.lookup(code) is None:
        form.code.errors = [_("No document has this code. Check the letters and digits on the paper.")]
        return render_template("verify/form.html", form=form), 404
    return redirect(url_for("verify", code=code))


def verify(code: str) -> ResponseReturnValue:
    """One document by its code: valid or revoked (200: the code is known, the answer may be no), or
    a 404 with the box to try again."""
    found = certificates.lookup(clean_code(code))
    if found is None:
        form = CodeForm(data={"code": code})
        form.code.errors = [_("No document has this code. Check the letters and digits on the paper.")]
        return render_template("verify/form.html", form=form), 404
    paper = paper_for(found)
    valid = found.revoked_at is None
    return render_template(
        "verify/document.html",
        certificate=found,
        paper=paper,
        valid=valid,
        publication=_publication(found) if valid else None,
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


bp.add_app_template_filter(grouped_code, "document_code")


@bp.record_once
def _register(state: Any) -> None:
    """Site-level endpoints (`verify`, `verify_form`): every room links `url_for("verify", code=…)`."""
    state.app.add_url_rule("/verify", "verify_form", verify_form)
    state.app.add_url_rule("/verify/<code>", "verify", verify)
