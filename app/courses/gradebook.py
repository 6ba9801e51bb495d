"""The gradebook page: a tutor types grades (one cell, or a whole row in one save) and exports it as
CSV or XLSX; a student sees their own row."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required

from app.accounts import User
from app.courses import bp
from app.courses.access import course_or_404, require_teach, role_in
from app.courses.forms import OverrideForm, RowOverrideForm
from app.courses.gradebook_table import gradebook_table
from app.extensions import db
from app.i18n import _
from app.pagination import Page, page_args
from app.permissions import require
from app.permissions.courses import course_role, role_can_teach
from app.tabular_http import CSV_MIME, attachment, excel_wanted, xlsx_response
from app.timeutil import utcnow
from app.view_actions import act
from courses.facts import students_page
from courses.gradebook import gradebook_csv_pieces, gradebook_xlsx, save_row, set_override, typed_points
from courses.models import Course, Item

PER_PAGE = 50


@bp.route("/<int:course_id>/gradebook", methods=["GET", "POST"])
@login_required
def gradebook(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    role = role_in(course.id)
    teaching = role_can_teach(role, current_user)
    require(teaching or role == "student")
    form = OverrideForm()
    if request.method == "POST":
        require(teaching)
        back = url_for("courses.gradebook", course_id=course.id, page=request.args.get("page", 1))
        row_form = RowOverrideForm()
        if "item_id" not in request.form and row_form.validate_on_submit():
            return _save_row(course, row_form.user_id.data, back)
        if form.validate_on_submit():
            return _save_cell(course, form, back)
        return redirect(back)
    # Pages of rows a screen can show: 50 students × every column is already 1,500 cells to type in.
    page, per_page = page_args(request.args, max_per_page=PER_PAGE)
    if teaching:
        students, total = students_page(course.id, page, per_page)
    else:
        students, total = [current_user._get_current_object()], 1
    return render_template(
        "courses/gradebook.html",
        course=course,
        teaching=teaching,
        role=role,
        page=Page(students, page, per_page, total),
        form=form,
        table=gradebook_table(course, students, teaching),
    )


@bp.route("/<int:course_id>/gradebook.<any(csv, xlsx):fmt>")
@login_required
def gradebook_export(course_id: int, fmt: str):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require_teach(course.id)
    if fmt == "csv":  # streamed: the first rows leave before the last are read
        excel = excel_wanted(current_user)
        pieces = (piece.encode("utf-8") for piece in gradebook_csv_pieces(course, excel=excel))
        name = f"gradebook-{course.id}.csv"
        return attachment(stream_with_context(pieces), f"{CSV_MIME}; charset=utf-8", name)
    return xlsx_response(gradebook_xlsx(course), f"gradebook-{course.id}.xlsx")


def _save_row(course: Course, user_id: int, back: str):  # type: ignore[no-untyped-def]
    """A row's form (Enter in a cell without JavaScript sends the whole row; the page's script sends
    only the changed cell): the cells `p<item id>` go to one service call, saved together."""
    student = db.session.get(User, user_id)
    if student is None or course_role(student, course.id) != "student":
        abort(404)
    typed = {
        int(key[1:]): value for key, value in request.form.items() if key[:1] == "p" and key[1:].isdigit()
    }
    return act(
        lambda: save_row(course, student, typed, actor=current_user, now=utcnow()),
        done=_("Grade saved."),
        then=back,
    )


def _save_cell(course: Course, form: OverrideForm, back: str):  # type: ignore[no-untyped-def]
    target_item = db.session.get(Item, form.item_id.data)
    student = db.session.get(User, form.user_id.data)
    if target_item is None or student is None or target_item.course_id != course.id:
        abort(404)
    return act(
        lambda: set_override(
            course,
            target_item,
            student,
            typed_points(form.points.data or ""),
            actor=current_user,
            now=utcnow(),
        ),
        done=_("Grade saved."),
        then=back,
    )
