"""The gradebook's table as markup, kept between requests: built once per page of students and
reused while nothing it shows has changed — the course's structure (its version), each student's
marks and quiz grades (their versions), the names, the course's missing-grade rule and the
viewer's language. The rows' CSRF token is the only per-session part: put in after the cache."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app import numbers, templating
from app.accounts import User
from app.courses.outline_page import shape_of
from app.i18n import _
from app.memo import remember
from courses.cache_keys import course_key, learner_key
from courses.gradebook import Gradebook
from courses.gradebook import gradebook as load_gradebook
from courses.models import Course
from courses.quiz.grade_keys import quiz_grades_key, user_grades_key

_TOKEN = "\x00csrf\x00"  # where each row's form takes the session's CSRF token


def gradebook_table(course: Course, students: list[User], teaching: bool) -> Markup:
    """The table's head and rows for these students (one page, or a student's own row): two
    statements when it is cached (the versions of the course's shape, then of the page)."""
    quiz_ids = shape_of(course.id).quiz_ids
    ids = [s.id for s in students]
    versions = (
        course_key(course.id),
        *(learner_key(course.id, uid) for uid in ids),
        *(user_grades_key(uid) for uid in ids),
        *(quiz_grades_key(q) for q in quiz_ids),
    )
    locale = str(get_locale() or "ru")
    parts = (
        course.id,
        str(course.missing_grades),
        teaching,
        locale,
        tuple((s.id, s.full_name) for s in students),
    )
    html = remember("gradebook-table", parts, versions, lambda: _table(course, students, teaching, locale))
    if teaching:
        html = html.replace(_TOKEN, str(escape(generate_csrf())))
    return Markup(html)  # noqa: S704 - built by _table from escaped values


def _table(course: Course, students: list[User], teaching: bool, locale: str) -> str:
    book = load_gradebook(course, students=students)
    head = [f'<thead><tr><th scope="col">{escape(_("Full name"))}</th>']
    for column in book.columns:
        limits = _(
            "max %(max)s, weight %(w)s",
            max=templating.number(column.max_points),
            w=templating.number(column.weight),
        )
        title = escape(column.item.title)
        head.append(f'<th scope="col">{title}<br><small class="text-muted">{escape(limits)}</small></th>')
    head.append(f'<th scope="col">{escape(_("Course total"))}</th></tr></thead><tbody>')
    save_label = escape(_("Save the row"))
    cells = _cells(book, teaching)
    rows = []
    for row, row_cells in zip(book.rows, cells, strict=True):
        uid = row.student.id
        form = ""
        if teaching:
            form = (
                f'<form method="post" id="gb-row-{uid}" class="override-row" novalidate>'
                f'<input type="hidden" name="csrf_token" value="{_TOKEN}">'
                f'<input type="hidden" name="user_id" value="{uid}">'
                f'<button type="submit" class="visually-hidden" tabindex="-1">{save_label}</button></form>'
            )
        total = (
            "—"
            if row.total is None
            else numbers.percent_of(row.total.numerator / row.total.denominator, locale)
        )
        rows.append(
            f'<tr data-student="{uid}"><th scope="row">{escape(row.student.full_name)}{form}</th>'
            f'{row_cells}<td class="fw-semibold" data-total>{total}</td></tr>'
        )
    if not rows:
        rows.append(
            f'<tr><td colspan="{len(book.columns) + 2}" class="text-muted text-center">'
            f"{escape(_('No students yet.'))}</td></tr>"
        )
    return "".join(head) + "".join(rows) + "</tbody>"


def _cells(book: Gradebook, teaching: bool) -> list[str]:
    """Each row's grade cells as markup, built here rather than in Jinja: 200 rows × 30 items are
    6,000 cells, and a template spends several escapes per cell. Everything user-typed (titles) is
    escaped once per column; points are numbers."""
    tutor = escape(_("Set by a tutor"))
    comma = get_decimal_symbol(str(get_locale() or "ru"))
    marked = f' class="overridden" title="{tutor}"'
    star = '<span class="text-warning" aria-hidden="true">*</span>'
    rows: list[str] = []
    if teaching:
        inputs = [
            f'name="p{c.item.id}" class="form-control form-control-sm grade-cell" inputmode="decimal" '
            f'aria-label="{escape(c.item.title)}"'
            for c in book.columns
        ]
        for row in book.rows:
            form = f"gb-row-{row.student.id}"
            rows.append(
                "".join(
                    f'<td{marked if overridden else ""}><input form="{form}" {attrs} '
                    f'value="{_typed(points, comma)}">'
                    f"{star if overridden else ''}</td>"
                    for (points, overridden), attrs in zip(row.grades, inputs, strict=True)
                )
            )
    else:
        for row in book.rows:
            rows.append("".join(_grade_cell(points, overridden, marked) for points, overridden in row.grades))
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
