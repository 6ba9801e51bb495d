"""The gradebook: totals, typed-in grades one cell or one row at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from app.audit import AuditEntry
from app.domain_errors import Invalid, NotFound
from app.extensions import db
from courses import gradebook, grading, submissions
from tests.factories import courses as cf

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_gradebook_row_saves_every_changed_cell_in_one_commit(app) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: the row used to be diffed in the view and committed once per cell; now one service
    call saves the row, all or nothing, with one commit and an audit entry per changed cell."""
    course = cf.course()
    module = cf.module(course)
    a, b, c = (cf.assignment(module, name, max_points="10") for name in "ABC")
    learner = cf.enrolled(course)
    author = cf._author(course)
    gradebook.set_override(course, c, learner, Decimal("4"), actor=author, now=NOW)
    commits: list[object] = []

    def counted(session: object) -> None:
        commits.append(session)

    event.listen(db.session, "after_commit", counted)
    try:
        saved = gradebook.save_row(
            course, learner, {a.id: "7", b.id: " 5 ", c.id: "4"}, actor=author, now=NOW
        )
    finally:
        event.remove(db.session, "after_commit", counted)
    assert saved == 2 and len(commits) == 1
    assert gradebook.gradebook(course, only_user=learner).rows[0].grades == [
        (Decimal("7"), True),
        (Decimal("5"), True),
        (Decimal("4"), True),
    ]
    audited = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "course.grade_overridden")
    )
    assert audited == 3  # the earlier single cell and the row's two
    with pytest.raises(Invalid) as refused:
        gradebook.save_row(course, learner, {a.id: "9", b.id: "11", c.id: "abc"}, actor=author, now=NOW)
    assert set(refused.value.fields) == {f"p{b.id}", f"p{c.id}"}
    db.session.expire_all()
    assert gradebook.gradebook(course, only_user=learner).rows[0].grades[0] == (Decimal("7"), True)
    with pytest.raises(NotFound):
        gradebook.save_row(course, author, {a.id: "1"}, actor=author, now=NOW)


def test_gradebook_totals_and_overrides(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    a = cf.assignment(module, "A", max_points="10")
    b = cf.assignment(module, "B", max_points="20", item={"weight": Decimal("3")})
    first, second = cf.enrolled(course), cf.enrolled(course)
    author = cf._author(course)
    grading.grade_submission(
        submissions.submit(a, first, text="x", files=[], now=NOW), points=Decimal("8"), actor=author, now=NOW
    )
    gradebook.set_override(course, b, first, Decimal("10"), actor=author, now=NOW)
    book = gradebook.gradebook(course)
    rows = {r.student.id: r for r in book.rows}
    assert [c.item.title for c in book.columns] == ["A", "B"]
    assert rows[first.id].grades == [(Decimal("8"), False), (Decimal("10"), True)]
    assert rows[first.id].total == (80 + 3 * 50) / Decimal(4)
    assert rows[second.id].total == 0
    with pytest.raises(Invalid):
        gradebook.set_override(course, b, first, Decimal("21"), actor=author, now=NOW)
    course.missing_grades = "exclude"
    db.session.commit()
    # By student, not by place: the rows go by name, and the factories' names depend on test order.
    assert {r.student.id: r.total for r in gradebook.gradebook(course).rows}[second.id] is None
    mine = gradebook.gradebook(course, only_user=first)
    assert [r.student.id for r in mine.rows] == [first.id]
    header, table = gradebook.gradebook_table(course)
    assert header[-1] and next(row for row in table if row[1] == first.email)[3] == "10.00*"
    assert gradebook.gradebook_csv(course).startswith("\ufeff")
    assert gradebook.gradebook_xlsx(course)[:2] == b"PK"
