"""Course pages for its author: modules (add, edit, move, delete), moving and deleting items, and the
course backup (export; import as a new course from our backup or a Moodle `.mbz`). Items are edited
in item_editor.py."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.courses import bp
from app.courses.access import course_or_404, download, require_author
from app.courses.forms import BackupImportForm, ModuleForm
from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import apply_domain_error, form_status
from app.i18n import _
from app.main.forms import EmptyForm
from app.permissions import require
from app.permissions.courses import can_create_course
from app.timeutil import parse_local, to_form_time
from app.view_actions import act, submit
from courses import backup
from courses.backup_import import MAX_BACKUP_BYTES
from courses.items import delete_item
from courses.models import Item, Module
from courses.moodle_restore import restore_course
from courses.structure import add_module, delete_module, move_item, move_module, update_module


@bp.route("/<int:course_id>/modules", methods=["POST"])
@login_required
def module_add(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require_author(course.id)
    form = ModuleForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: add_module(
                course,
                title=form.title.data or "",
                hidden=form.hidden.data,
                visible_from=parse_local(form.visible_from.data, current_user.timezone),
                actor=current_user,
            ),
            done=_("Module added."),
            then=url_for("courses.view", course_id=course.id),
            field="title",
        )
        if done:
            return done
    return render_template("courses/form.html", form=form, title=_("New module"), course=course), 422


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
@login_required
def module_edit(module_id: int):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    require_author(module.course_id)
    course = course_or_404(module.course_id)
    form = ModuleForm(obj=module)
    if request.method == "GET":
        form.visible_from.data = to_form_time(module.visible_from, current_user.timezone)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: update_module(
                module,
                title=form.title.data or "",
                hidden=form.hidden.data,
                visible_from=parse_local(form.visible_from.data, current_user.timezone),
                actor=current_user,
            ),
            done=_("Module saved."),
            then=url_for("courses.view", course_id=module.course_id),
            field="title",
        )
        if done:
            return done
    return render_template(
        "courses/form.html", form=form, title=_("Edit module"), course=course
    ), form_status(form)


@bp.route("/modules/<int:module_id>/<any(up, down):direction>", methods=["POST"])
@login_required
def module_move(module_id: int, direction: str):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    require_author(module.course_id)
    if EmptyForm().validate_on_submit():
        move_module(module, direction, actor=current_user)
    return redirect(url_for("courses.view", course_id=module.course_id) + f"#module-{module.id}")


@bp.route("/modules/<int:module_id>/delete", methods=["POST"])
@login_required
def module_delete(module_id: int):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    back = url_for("courses.view", course_id=module.course_id)
    require_author(module.course_id)
    if EmptyForm().validate_on_submit():
        return act(lambda: delete_module(module, actor=current_user), done=_("Module deleted."), then=back)
    return redirect(back)


@bp.route("/items/<int:item_id>/<any(up, down):direction>", methods=["POST"])
@login_required
def item_move(item_id: int, direction: str):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    require_author(item.course_id)
    if EmptyForm().validate_on_submit():
        move_item(item, direction, actor=current_user)
    return redirect(url_for("courses.view", course_id=item.course_id) + f"#item-{item.id}")


@bp.route("/items/<int:item_id>/delete", methods=["POST"])
@login_required
def item_delete(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    back = url_for("courses.view", course_id=item.course_id)
    require_author(item.course_id)
    if EmptyForm().validate_on_submit():
        return act(lambda: delete_item(item, actor=current_user), done=_("Item deleted."), then=back)
    return redirect(back)


@bp.route("/<int:course_id>/backup")
@login_required
def backup_export(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require_author(course.id)
    return download(backup.export_course(course), "application/zip", f"course-{course.id}.zip")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def backup_import():  # type: ignore[no-untyped-def]
    """Our own backup or a Moodle `.mbz`: a clean restore goes to the course, one that left things
    behind shows what (the report) with the way into the course."""
    require(can_create_course(current_user))
    form = BackupImportForm()
    if form.validate_on_submit():
        try:
            result = restore_course(form.file.data.read(MAX_BACKUP_BYTES + 1), actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error, "file")
        else:
            if not result.report:
                flash(_("Course imported."), "success")
                return redirect(url_for("courses.view", course_id=result.course.id))
            return render_template("courses/restore_report.html", course=result.course, report=result.report)
    return render_template(
        "courses/form.html",
        form=form,
        title=_("Import a course"),
        course=None,
        enctype="multipart/form-data",
        submit=_("Import"),
    ), form_status(form)
