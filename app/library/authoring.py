"""Library pages of a material's author: a new material, editing it (a new version once published),
sending it to moderation, and the author's own list."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.forms_common import form_status
from app.i18n import _
from app.library import bp
from app.library.forms import MaterialForm
from app.library.material_access import visible_material_or_404
from app.main.forms import EmptyForm
from app.pagination import page_args
from app.permissions import require
from app.permissions.library import can_edit_material, can_publish_materials
from app.timeutil import utcnow
from app.view_actions import act, submit
from community.library import authoring
from community.library.labels import KIND_LABELS, STATE_COLOURS, STATUS_LABELS, VERSION_STATE_LABELS
from community.library.material_files import IncomingFile
from community.library.material_input import MaterialInput, associations_for, input_of
from community.library.material_rules import parse_link_lines
from community.library.material_view import material_page
from community.library.models import Material, MaterialFile, MaterialStatus, VersionState
from community.library.my_materials import my_materials as list_my_materials
from community.subjects import all_subjects


@bp.route("/materials/new", methods=["GET", "POST"])
@login_required
def material_new() -> Any:
    require(can_publish_materials(current_user))
    form = MaterialForm()
    _fill_choices(form, current_user.id, None, [])
    if request.method == "GET":
        form.association_id.data = 0
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: authoring.create_material(
                _input_from(form),
                IncomingFile.all_of(form.files.data or []),
                actor=current_user,
                now=utcnow(),
                send=_sending(),
            ),
            done=_done_message,
            then=lambda material: url_for("library.material", material_id=material.id),
            field="title",
        )
        if done:
            return done
    return render_template(
        "library/material_form.html", form=form, material=None, files=[], heading=_("New material")
    ), form_status(form)


@bp.route("/materials/<int:material_id>/edit", methods=["GET", "POST"])
@login_required
def material_edit(material_id: int) -> Any:
    material = visible_material_or_404(material_id, current_user)
    require(can_edit_material(current_user, material))
    working = authoring.latest_version(material)
    if request.method == "GET" and working.state == VersionState.PENDING:
        flash(_("The material is waiting for moderation: it can be edited after the decision."), "warning")
        return redirect(url_for("library.material", material_id=material.id))
    page = material_page(material, full=True, number=working.number)
    form = MaterialForm()
    _fill_choices(form, material.author_id, material.association_id, page.files)
    if request.method == "GET":
        _fill_from(form, input_of(material, working))
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: authoring.update_material(
                material,
                _input_from(form),
                IncomingFile.all_of(form.files.data or []),
                drop_stored_ids=form.drop_files.data or [],
                actor=current_user,
                now=utcnow(),
                send=_sending(),
            ),
            done=_done_message,
            then=url_for("library.material", material_id=material.id),
            field="title",
        )
        if done:
            return done
    return render_template(
        "library/material_form.html",
        form=form,
        material=material,
        working=working,
        files=page.files,
        heading=_("Edit the material"),
    ), form_status(form)


@bp.route("/materials/<int:material_id>/submit", methods=["POST"])
@login_required
def material_submit(material_id: int) -> Response:
    material = visible_material_or_404(material_id, current_user)
    require(can_edit_material(current_user, material))
    back = url_for("library.material", material_id=material.id)
    if not EmptyForm().validate_on_submit():
        return redirect(back)
    return act(
        lambda: authoring.submit_material(material, actor=current_user, now=utcnow()),
        done=_done_message,
        then=back,
    )


@bp.route("/my")
@login_required
def my_materials() -> Any:
    require(can_publish_materials(current_user))
    page, per_page = page_args(request.args, 20, 100)
    found = list_my_materials(current_user.id, page, per_page)
    return render_template(
        "library/my_materials.html",
        found=found,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        state_labels=VERSION_STATE_LABELS,
        state_colours=STATE_COLOURS,
    )


def _sending() -> bool:
    """The form's second button: save and send to moderation."""
    return request.form.get("action") == "send"


def _done_message(material: Material) -> str:
    if material.status == MaterialStatus.PUBLISHED and _sending_or_submit():
        return _("The material is published.")
    if _sending_or_submit():
        return _("The material is sent to moderation.")
    return _("The draft is saved.")


def _sending_or_submit() -> bool:
    return _sending() or request.endpoint == "library.material_submit"


def _fill_choices(
    form: MaterialForm, author_id: int, association_id: int | None, files: list[MaterialFile]
) -> None:
    form.fill_choices(
        all_subjects(),
        associations_for(author_id, association_id),
        str(get_locale() or "ru"),
        [(f.stored_file_id, f.stored.original_name) for f in files],
    )


def _fill_from(form: MaterialForm, data: MaterialInput) -> None:
    form.title.data = data.title
    form.summary.data = data.summary
    form.kind.data = data.kind
    form.subjects.data = data.subject_ids
    form.grades.data = data.grades
    form.association_id.data = data.association_id or 0
    form.links.data = "\n".join(f"{url} {title}".strip() for url, title in data.links)


def _input_from(form: MaterialForm) -> MaterialInput:
    return MaterialInput(
        title=form.title.data or "",
        summary=form.summary.data or "",
        kind=form.kind.data or "",
        subject_ids=list(form.subjects.data or []),
        grades=list(form.grades.data or []),
        association_id=form.association_id.data or None,
        links=parse_link_lines(form.links.data or ""),
    )
