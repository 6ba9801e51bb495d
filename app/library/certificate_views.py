"""Methodical library: the publication certificate on the material page — the author downloads the
PDF, a moderator revokes it with a reason (a page with a form, so a missing reason is shown by the
field)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.documents.delivery import document_response
from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import form_status, strip_whitespace
from app.i18n import _, lazy_
from app.library import bp
from app.permissions import require
from app.permissions.library import (
    can_download_certificate,
    can_revoke_certificate,
    can_view_material,
    is_author,
)
from app.timeutil import utcnow
from app.view_actions import submit
from community.library.certificate_rules import REASON_LIMIT
from community.library.certificates import (
    current_certificate,
    material_path,
    publication_certificate,
    publication_paper,
    revoke_certificate,
)
from community.library.models import Material, MaterialStatus


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        lazy_("Reason"),
        filters=[strip_whitespace],
        validators=[DataRequired(), Length(max=REASON_LIMIT)],
        description=lazy_("The author and anyone checking the certificate will see it."),
    )


def certificate_context(material: Material, user: Any) -> dict[str, Any]:
    """What the material page's certificate part needs; spread it into the page's context
    (`**certificate_context(material, user)`). At most two queries whatever the data: the
    moderator check and the certificate row, and none for a reader who is neither author nor
    moderator."""
    published = material.status == MaterialStatus.PUBLISHED
    author = is_author(user, material)
    moderator = published and can_revoke_certificate(user, material)
    certificate = current_certificate(material.id) if published and (author or moderator) else None
    revoked = certificate is not None and certificate.revoked_at is not None
    state = {
        "material_id": material.id,
        "published": published,
        "is_author": author,
        "certificate": certificate,
        "revoked": revoked,
        # published before certificates came with publication: the clock issues it shortly
        "preparing": published and author and certificate is None,
        "can_download": author and published and certificate is not None and not revoked,
        "can_revoke": moderator and not revoked,
    }
    return {"certificate_state": state}


def _material_or_404(material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None or not can_view_material(current_user, material):
        abort(404)
    return material


@bp.route("/materials/<int:material_id>/certificate.pdf")
@login_required
def certificate_download(material_id: int):  # type: ignore[no-untyped-def]
    material = _material_or_404(material_id)
    require(can_download_certificate(current_user, material))
    try:
        certificate = publication_certificate(material)
    except DomainError as error:  # a download, not a form: the refusal shows on the material page
        flash(error.message, "warning")
        return redirect(material_path(material.id))
    paper = publication_paper(
        material,
        certificate,
        material_url=url_for("main.index", _external=True).rstrip("/") + material_path(material.id),
    )
    return document_response(paper, url_for("verify", code=certificate.code, _external=True))


@bp.route("/materials/<int:material_id>/certificate/revoke", methods=["GET", "POST"])
@login_required
def certificate_revoke(material_id: int):  # type: ignore[no-untyped-def]
    material = _material_or_404(material_id)
    require(can_revoke_certificate(current_user, material))
    certificate = current_certificate(material.id)
    form = RevokeForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: revoke_certificate(
                material,
                actor=current_user,
                reason=form.reason.data,
                now=utcnow(),
                link=url_for("main.index", _external=True).rstrip("/") + material_path(material.id),
            ),
            done=_("The certificate has been revoked."),
            then=material_path(material.id),
            field="reason",
        )
        if done is not None:
            return done
    return render_template(
        "library/certificate_revoke.html",
        material=material,
        material_url=material_path(material.id),
        certificate=certificate,
        form=form,
    ), form_status(form)
