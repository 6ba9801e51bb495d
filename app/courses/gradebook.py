"""The gradebook page: a tutor types grades (one cell, or a whole row in one save) and exports it as
CSV or XLSX; a student sees their own row."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_decimal_symbol
from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from app import templating
from app.accounts import User
from app.courses import bp
from app.courses.access import course_or_404, require_teach, role_in
from app.courses.forms import OverrideForm, RowOverrideForm
from app.extensions import db
from app.i18n import _
from app.pagination import Page, page_args
from app.permissions import require
from app.permissions.courses import course_role, role_can_teach
from app.tabular_http import csv_response, excel_wanted, xlsx_response
from app.timeutil import utcnow
from app.view_actions import act
from courses.gradebook import Gradebook, gradebook_csv, gradebook_xlsx, save_row, set_override, typed_points
from courses.gradebook import gradebook as load_gradebook
from courses.models import Course, Item


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
    page, per_page = page_args(request.args)
    book = load_gradebook(course, only_user=None if teaching else current_user, page=page, per_page=per_page)
    return render_template(
        "courses/gradebook.html",
        course=course,
        book=book,
        teaching=teaching,
        role=role,
        page=Page(book.rows, page, per_page, book.total_students),
        form=form,
        row_cells=_gradebook_cells(book, teaching),
    )


@bp.route("/<int:course_id>/gradebook.<any(csv, xlsx):fmt>")
@login_required
def gradebook_export(course_id: int, fmt: str):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require_teach(course.id)
    if fmt == "csv":
        return csv_response(
            gradebook_csv(course, excel=excel_wanted(current_user)), f"gradebook-{course.id}.csv"
        )
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


def _gradebook_cells(book: Gradebook, teaching: bool) -> list[Markup]:
    """Each row's grade cells as markup, built here rather than in Jinja: 200 rows × 30 items are
    6,000 cells, and a template spends several escapes per cell. Everything user-typed (titles) is
    escaped once per column; points are numbers."""
    tutor = escape(_("Set by a tutor"))
    comma = get_decimal_symbol(str(get_locale() or "ru"))
    marked = f' class="overridden" title="{tutor}"'
    star = '<span class="text-warning" aria-hidden="true">*</span>'
    rows: list[Markup] = []
    if teaching:
        inputs = [
            f'name="p{c.item.id}" class="form-control form-control-sm grade-cell" inputmode="decimal" '
            f'aria-label="{escape(c.item.title)}"'
            for c in book.columns
        ]
        for row in book.rows:
            form = f"gb-row-{row.student.id}"
            rows.append(
                Markup(
                    "".join(
                        f'<td{marked if overridden else ""}><input form="{form}" {attrs} '
                        f'value="{_typed(points, comma)}">'
                        f"{star if overridden else ''}</td>"
                        for (points, overridden), attrs in zip(row.grades, inputs, strict=True)
                    )
                )
            )
    else:
        for row in book.rows:
            rows.append(
                Markup("".join(_grade_cell(points, overridden, marked) for points, overridden in row.grades))
            )
    return rows


def _grade_cell(points: object, overridden: bool, marked: str) -> str:
    """One read-only cell: a dash for no grade, a star and the tutor's mark for an override."""
    shown = "—" if points is None else templating.number(points)
    return f"<td{marked if overridden else ''}>{shown}{'*' if overridden else ''}</td>"


def _typed(points: object, comma: str) -> str:
    """A grade as the tutor would type it back: exact (an input must not round what it saves again
    unchanged), trailing zeros dropped, the locale's decimal sign («7,5»; the cell accepts both)."""
    if points is None:
        return ""
    exact = format(Decimal(str(points)).normalize(), "f")
    return exact.replace(".", comma)
