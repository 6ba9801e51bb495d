"""Courses room: the tutor's side of an assignment — the list of hand-ins by status, grading one with
points or a rubric, and all hand-ins as a zip. Touches Submission (grade, feedback) and notifications."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.extensions import db
from app.i18n import _
from app.notifications import notify
from app.uploads import read_bytes
from courses import rules
from courses.cache_keys import learner_key
from courses.catalogue import audit_scope
from courses.messages import invalid, refusal
from courses.models import Assignment, CourseMember, CourseRole, Item, Submission


def grade_submission(
    submission: Submission,
    *,
    points: Decimal | None = None,
    rubric_levels: dict[str, int] | None = None,
    feedback: str = "",
    actor: User,
    now: datetime,
) -> Submission:
    """Points within 0..max, or one level per rubric criterion (points are then their sum).
    The student is told; the grade then counts in the gradebook and for completion."""
    assignment = db.session.get(Assignment, submission.assignment_id)
    assert assignment is not None
    try:
        if assignment.rubric:
            points = rules.rubric_points(assignment.rubric, rubric_levels or {})
        if points is None:
            raise invalid({"points": _("Enter the points.")})
        rules.check_points(points, assignment.max_points)
    except rules.RuleError as error:
        raise refusal(error) from None
    submission.points = points
    submission.rubric_levels = dict(rubric_levels or {}) if assignment.rubric else {}
    submission.feedback = feedback.strip()
    submission.graded_at = now
    submission.grader_id = actor.id
    item_id = db.session.scalar(select(Item.id).where(Item.assignment_id == assignment.id))
    audit.record(
        "course.graded",
        actor=actor,
        object_type="submission",
        object_id=submission.id,
        details={"points": str(points)},
        **audit_scope(assignment.course_id),
    )
    notify(submission.user_id, _("Your assignment has been graded."), f"/courses/items/{item_id}")
    bump(learner_key(assignment.course_id, submission.user_id))
    db.session.commit()
    return submission


@dataclass
class SubmissionRow:
    student: User
    submission: Submission | None
    status: rules.Status


def submissions_table(
    item: Item, *, status: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[SubmissionRow], int]:
    """The students of the course with their submission for this assignment, filtered by status;
    three queries whatever the size (count, students with submissions, files)."""
    sub = aliased(Submission)
    query = (
        select(User, sub)
        .join(
            CourseMember,
            (CourseMember.user_id == User.id)
            & (CourseMember.course_id == item.course_id)
            & (CourseMember.role == CourseRole.STUDENT),
        )
        .outerjoin(sub, (sub.user_id == User.id) & (sub.assignment_id == item.assignment_id))
        .options(selectinload(sub.files))
    )
    if status == rules.Status.NOT_SUBMITTED:
        query = query.where(sub.id.is_(None))
    elif status == rules.Status.GRADED:
        query = query.where(sub.points.is_not(None))
    elif status == rules.Status.LATE:
        query = query.where(sub.late.is_(True), sub.points.is_(None))
    elif status == rules.Status.SUBMITTED:
        query = query.where(sub.id.is_not(None), sub.late.is_(False), sub.points.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(User.full_name, User.id).limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    result = [
        SubmissionRow(
            user,
            submission,
            rules.submission_status(
                submission is not None,
                bool(submission and submission.late),
                bool(submission and submission.points is not None),
            ),
        )
        for user, submission in rows
    ]
    return result, total


def submissions_zip(item: Item) -> bytes:
    """Every submission as folders named after the students: their text and their files."""
    rows = db.session.execute(
        select(Submission, User)
        .join(User, User.id == Submission.user_id)
        .where(Submission.assignment_id == item.assignment_id)
        .order_by(User.full_name, User.id)
        .options(selectinload(Submission.files))
    ).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission, user in rows:
            folder = _safe_name(f"{user.full_name} {user.id}")
            if submission.text:
                archive.writestr(f"{folder}/text.txt", submission.text)
            for index, attached in enumerate(submission.files, start=1):
                archive.writestr(
                    f"{folder}/{index}-{_safe_name(attached.file.original_name)}", read_bytes(attached.file)
                )
    return buffer.getvalue()


def _safe_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in name).strip(" .")
    return cleaned[:120] or "file"
