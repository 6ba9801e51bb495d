"""Courses room: the gradebook — one column per assignment and quiz, the weighted course total,
grades typed in by a tutor (one cell or a whole row), and its CSV and XLSX exports.
Touches GradeOverride."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit, exports
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.i18n import _
from courses import rules
from courses.cache_keys import learner_key
from courses.catalogue import audit_scope
from courses.facts import load_facts, students_page
from courses.messages import invalid
from courses.models import Assignment, Course, CourseMember, CourseRole, GradeOverride, Item, ItemKind, Module


@dataclass
class GradebookColumn:
    item: Item
    max_points: Decimal
    weight: Decimal


@dataclass
class GradebookRow:
    student: User
    grades: list[tuple[Decimal | None, bool]]  # per column: points, overridden
    total: Fraction | None


@dataclass
class Gradebook:
    columns: list[GradebookColumn]
    rows: list[GradebookRow]
    total_students: int


def gradebook(
    course: Course,
    *,
    only_user: User | None = None,
    page: int = 1,
    per_page: int = 50,
    students: list[User] | None = None,
) -> Gradebook:
    """One column per assignment and quiz, the weighted total per the course's missing-grade
    setting, overrides marked. `only_user` gives that student's row alone, `students` the rows of
    students the caller has loaded already. Fixed query count."""
    items = list(
        db.session.scalars(
            select(Item)
            .join(Module, Module.id == Item.module_id)
            .where(Item.course_id == course.id, Item.kind.in_([ItemKind.ASSIGNMENT, ItemKind.QUIZ]))
            .order_by(Module.position, Module.id, Item.position, Item.id)
            .options(joinedload(Item.assignment))
        )
    )
    if students is not None:
        total = len(students)
    elif only_user is not None:
        students, total = [only_user], 1
    else:
        students, total = students_page(course.id, page, per_page)
    facts = load_facts(course.id, items, [s.id for s in students], with_views=False)
    columns = []
    for item in items:
        maximum = facts.max_points(item)
        if maximum is not None:
            columns.append(GradebookColumn(item, maximum, item.weight))
    # Where each column's grade comes from, read once per column rather than once per cell
    # (the same precedence as StudentFacts.points: an override, else the submission or quiz grade).
    overrides = facts.overrides
    sources: list[tuple[int, dict[tuple[int, int], Any] | None, int | None, bool]] = []
    for column in columns:
        item = column.item
        if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
            sources.append((item.id, facts.submissions, item.assignment_id, True))
        elif item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            sources.append((item.id, facts.quiz_grades, item.quiz_id, False))
        else:
            sources.append((item.id, None, None, False))
    missing = str(course.missing_grades)
    rows = []
    for student in students:
        uid = student.id
        grades: list[tuple[Decimal | None, bool]] = []
        for item_id, found_in, key, is_submission in sources:
            override = overrides.get((item_id, uid))
            if override is not None:
                grades.append((override.points, True))
            elif found_in is None:
                grades.append((None, False))
            else:
                found = found_in.get((key, uid))  # type: ignore[arg-type]
                grades.append(((found.points if found else None) if is_submission else found, False))
        cells = [
            rules.GradeCell(points, c.max_points, c.weight, overridden)
            for (points, overridden), c in zip(grades, columns, strict=True)
        ]
        rows.append(GradebookRow(student, grades, rules.course_total(cells, missing)))
    return Gradebook(columns, rows, total)


def set_override(
    course: Course, item: Item, student: User, points: Decimal | None, *, actor: User, now: datetime
) -> None:
    """Type a grade into the gradebook (None removes the override and the computed grade returns)."""
    if item.course_id != course.id or not item.graded:
        raise NotFound(_("Not found."))
    if points is not None:
        facts = load_facts(course.id, [item], [student.id])
        maximum = facts.max_points(item) if item.kind == ItemKind.QUIZ else _assignment_maximum(item)
        if maximum is None or points < 0 or points > maximum:
            raise invalid({"points": _out_of_range(maximum)})
    _write_override(course, item, student, points, actor=actor, now=now)
    _commit()


def save_row(course: Course, student: User, typed: Mapping[int, str], *, actor: User, now: datetime) -> int:
    """A student's row as a tutor typed it (item id → text): every cell that differs from the grade
    shown becomes a typed-in grade, an emptied typed-in grade is removed. All or nothing, one commit;
    returns how many cells changed."""
    role = db.session.scalar(
        select(CourseMember.role).where(
            CourseMember.course_id == course.id, CourseMember.user_id == student.id
        )
    )
    if role != CourseRole.STUDENT:
        raise NotFound(_("Not found."))
    book = gradebook(course, only_user=student)
    shown = dict(
        zip(
            (c.item.id for c in book.columns),
            zip(book.columns, book.rows[0].grades, strict=True),
            strict=True,
        )
    )
    problems: dict[str, str] = {}
    changes: list[tuple[Item, Decimal | None]] = []
    for item_id, value in typed.items():
        if item_id not in shown:
            continue
        column, (current, overridden) = shown[item_id]
        try:
            points = typed_points(value)
        except Invalid as error:
            problems[f"p{item_id}"] = error.message
            continue
        if (points is None and not overridden) or (points is not None and points == current):
            continue  # unchanged (an emptied computed grade has no override to remove)
        if points is not None and not 0 <= points <= column.max_points:
            problems[f"p{item_id}"] = _out_of_range(column.max_points)
        else:
            changes.append((column.item, points))
    if problems:
        raise Invalid(" ".join(dict.fromkeys(problems.values())), problems)
    for item, points in changes:
        _write_override(course, item, student, points, actor=actor, now=now)
    if changes:
        _commit()
    return len(changes)


def typed_points(raw: str) -> Decimal | None:
    """A grade as typed into a cell: empty is None (no typed-in grade), "7,5" is 7.5, text is refused."""
    raw = raw.strip()
    points = rules.to_decimal(raw) if raw else None
    if raw and points is None:
        raise invalid({"points": _("Points must be a number.")})
    return points


EXPORT_BATCH = 100  # students read at a time by the exports: a district's course need not fit in memory


def gradebook_header(course: Course) -> list[str]:
    book = gradebook(course, students=[])
    return [_("Learner"), _("E-mail")] + [c.item.title for c in book.columns] + [_("Course total, %")]


def gradebook_rows(course: Course) -> Iterator[list[Any]]:
    """Every student's row for the exports, a batch of students at a time (a fixed number of
    queries per batch), so that a response can send the first rows before the last are read."""
    page = 1
    while True:
        students, _total = students_page(course.id, page, EXPORT_BATCH)
        if not students:
            return
        for row in gradebook(course, students=students).rows:
            cells: list[Any] = [row.student.full_name, row.student.email]
            for points, overridden in row.grades:
                cells.append("" if points is None else (f"{points}*" if overridden else points))
            cells.append(rules.display(row.total) if row.total is not None else "")
            yield cells
        if len(students) < EXPORT_BATCH:
            return
        page += 1


def gradebook_table(course: Course) -> tuple[list[str], list[list[Any]]]:
    """All students (no pagination) as a header and rows."""
    return gradebook_header(course), list(gradebook_rows(course))


def gradebook_csv(course: Course, *, excel: bool = True) -> str:
    """The whole export as one text (see gradebook_csv_pieces)."""
    return "".join(gradebook_csv_pieces(course, excel=excel))


def gradebook_csv_pieces(course: Course, *, excel: bool = True) -> Iterator[str]:
    """The export for spreadsheets, in pieces: the header, then a piece per batch of students.
    Cells go through app.exports (formulas neutralised); `excel` chooses Russian Excel's form (BOM
    and `;`) over plain comma-separated UTF-8."""
    yield exports.csv_text(gradebook_header(course), [], excel=excel)
    batch: list[list[Any]] = []
    for row in gradebook_rows(course):
        batch.append(row)
        if len(batch) == EXPORT_BATCH:
            yield _csv_piece(batch, excel)
            batch = []
    if batch:
        yield _csv_piece(batch, excel)


def _csv_piece(rows: list[list[Any]], excel: bool) -> str:
    """Rows as CSV lines, written by app.exports as the header was (same separator, same cells)."""
    return exports.csv_text([], rows, excel=excel).removeprefix("\ufeff").removeprefix("\r\n")


def gradebook_xlsx(course: Course) -> bytes:
    """The same table as XLSX (written row by row as the batches are read); numbers stay numbers."""
    return exports.xlsx_bytes(
        _("Gradebook"),
        gradebook_header(course),
        ([float(c) if isinstance(c, Decimal) else c for c in row] for row in gradebook_rows(course)),
    )


def _out_of_range(maximum: Decimal | None) -> str:
    return _("Points must be between 0 and %(max)s.", max=maximum)


def _write_override(
    course: Course, item: Item, student: User, points: Decimal | None, *, actor: User, now: datetime
) -> None:
    existing = db.session.scalar(
        select(GradeOverride).where(GradeOverride.item_id == item.id, GradeOverride.user_id == student.id)
    )
    if points is None:
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(
            GradeOverride(item_id=item.id, user_id=student.id, points=points, set_by_id=actor.id, set_at=now)
        )
    else:
        existing.points, existing.set_by_id, existing.set_at = points, actor.id, now
    audit.record(
        "course.grade_overridden",
        actor=actor,
        object_type="item",
        object_id=item.id,
        details={"user_id": student.id, "points": None if points is None else str(points)},
        **audit_scope(course.id),
    )
    bump(learner_key(course.id, student.id))


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("The grade was changed at the same time; reload the gradebook.")) from None


def _assignment_maximum(item: Item) -> Decimal | None:
    """The most points an assignment item can get (None for an item without its assignment)."""
    assignment = db.session.get(Assignment, item.assignment_id) if item.assignment_id else None
    return assignment.max_points if assignment is not None else None
