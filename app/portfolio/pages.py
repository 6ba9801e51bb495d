"""Portfolio pages: a teacher's page of verified documents (public or the owner's own), its single PDF
for attestation, and the owner's settings (sections shown, public or not). Pupils have none: 404."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField

from app.accounts import User, role_label
from app.documents.delivery import pdf_download
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _, lazy_
from app.permissions import require
from app.permissions.library import can_edit_portfolio, can_view_portfolio
from app.portfolio import bp
from app.timeutil import utcnow
from app.view_actions import submit
from community.portfolio import sections
from community.portfolio.portfolio import FLAG_OF_SECTION, gather, save_settings, settings_of
from community.portfolio.portfolio_pdf import portfolio_file_name, portfolio_pdf, section_title


class SettingsForm(FlaskForm):
    is_public = BooleanField(
        lazy_("Anyone with the link may see my portfolio"),
        description=lazy_("Otherwise only you (and the administrator) see it."),
    )
    publications = BooleanField(lazy_("Publications in the methodical library"))
    courses = BooleanField(lazy_("Qualification courses"))
    diplomas = BooleanField(lazy_("Contest diplomas"))
    jury = BooleanField(lazy_("Jury work"))
    events = BooleanField(lazy_("Events"))


def _owner_or_404(user_id: int) -> User:
    """The teacher whose portfolio this is, if the viewer may see it; 404 otherwise (a private
    portfolio and a pupil's are not admitted to exist)."""
    owner = db.session.get(User, user_id)
    if owner is None or not can_view_portfolio(current_user, owner, settings_of(owner.id).is_public):
        abort(404)
    return owner


@bp.route("/")
@login_required
def mine():  # type: ignore[no-untyped-def]
    require(can_edit_portfolio(current_user))
    return redirect(url_for("portfolio.view", user_id=current_user.id))


@bp.route("/<int:user_id>")
def view(user_id: int):  # type: ignore[no-untyped-def]
    owner = _owner_or_404(user_id)
    portfolio = gather(owner)
    return render_template(
        "portfolio/view.html",
        portfolio=portfolio,
        owner=owner,
        position=role_label(owner.role),
        section_title=section_title,
        is_owner=current_user.is_authenticated and current_user.id == owner.id,
    )


@bp.route("/<int:user_id>.pdf")
def pdf(user_id: int):  # type: ignore[no-untyped-def]
    owner = _owner_or_404(user_id)
    now = utcnow()
    data = portfolio_pdf(gather(owner), site_url=url_for("main.index", _external=True), now=now)
    return pdf_download(data, portfolio_file_name(owner), f"portfolio-{owner.id}.pdf")


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():  # type: ignore[no-untyped-def]
    require(can_edit_portfolio(current_user))
    saved = settings_of(current_user.id)
    form = SettingsForm()
    if not form.is_submitted():
        form.is_public.data = saved.is_public
        form.publications.data = saved.show_publications
        form.courses.data = saved.show_courses
        form.diplomas.data = saved.show_diplomas
        form.jury.data = saved.show_jury
        form.events.data = saved.show_events
    if form.validate_on_submit():
        ticked = [section for section in sections.offered_sections() if getattr(form, section).data]
        before = {section: bool(getattr(saved, flag)) for section, flag in FLAG_OF_SECTION.items()}
        chosen = sections.merged_choice(ticked, before)
        done = submit(
            form,
            lambda: save_settings(
                current_user, actor=current_user, is_public=form.is_public.data, sections=chosen, now=utcnow()
            ),
            done=_("Portfolio settings saved."),
            then=url_for("portfolio.view", user_id=current_user.id),
        )
        if done is not None:
            return done
    return render_template(
        "portfolio/settings.html", form=form, offered=sections.offered_sections()
    ), form_status(form)
