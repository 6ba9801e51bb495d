"""Courses room: a student hands in an assignment (text and files), and may hand in again while the
assignment allows it and nothing is graded. Touches Submission, SubmissionFile and stored files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, NotFound
from app.extensions import db
from app.i18n import _
from app.uploads import UploadRules
from courses import rules
from courses.cache_keys import learner_key
from courses.catalogue import audit_scope
from courses.files import Upload, store_all
from courses.messages import invalid, too_long
from courses.models import Assignment, Item, Submission, SubmissionFile

MAX_TEXT = 200_000


def submit(item: Item, user: User, *, text: str, files: Sequence[Upload], now: datetime) -> Submission:
    """Hand in (or hand in again, when the assignment allows it and it is not graded yet).
    After the cut-off: refused; after the due date: accepted and marked late. Files are checked
    against the assignment's types and size before anything is stored."""
    assignment = db.session.get(Assignment, item.assignment_id) if item.assignment_id else None
    if assignment is None:
        raise NotFound(_("Not found."))
    timing = rules.submission_timing(now, assignment.due_at, assignment.cutoff_at)
    if timing == rules.Timing.CLOSED:
        raise Conflict(_("The cut-off date has passed: submissions are closed."))
    text = text.strip() if assignment.allow_text else ""
    files = [f for f in files if f and f.name]
    _check_hand_in(assignment, text, files)
    existing = db.session.scalar(
        select(Submission).where(Submission.assignment_id == assignment.id, Submission.user_id == user.id)
    )
    if existing is not None:
        if not assignment.resubmission:
            raise Conflict(_("You have already submitted this assignment; resubmission is not allowed."))
        if existing.points is not None:
            raise Conflict(_("Your submission is already graded."))
    upload_rules = UploadRules(
        allowed_extensions=assignment.extensions, max_bytes=assignment.max_file_mb * 1024 * 1024
    )
    stored = store_all(files, upload_rules, user.id, "files")
    late = timing == rules.Timing.LATE
    if existing is None:
        submission = Submission(
            assignment_id=assignment.id, user_id=user.id, text=text, submitted_at=now, late=late
        )
        db.session.add(submission)
    else:
        submission = existing
        # Conditional update: two resubmissions at once both count, neither overwrites a grade.
        changed = db.session.execute(
            update(Submission)
            .where(Submission.id == existing.id, Submission.points.is_(None))
            .values(text=text, submitted_at=now, late=late, version=Submission.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not changed:
            db.session.rollback()
            raise Conflict(_("Your submission is already graded."))
        db.session.execute(
            SubmissionFile.__table__.delete().where(SubmissionFile.submission_id == existing.id)
        )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            _("This assignment was just submitted from another window; reload the page.")
        ) from None
    for stored_file in stored:
        db.session.flush()
        db.session.add(SubmissionFile(submission_id=submission.id, file_id=stored_file.id))
    audit.record(
        "course.submitted",
        actor=user,
        object_type="submission",
        object_id=submission.id,
        details={"late": late, "files": len(stored)},
        **audit_scope(item.course_id),
    )
    bump(learner_key(item.course_id, user.id))
    db.session.commit()
    return load_submission(submission.id)


def load_submission(submission_id: int) -> Submission:
    """A submission with its files (one query for the row, one for the files)."""
    found = db.session.scalar(
        select(Submission)
        .where(Submission.id == submission_id)
        .options(selectinload(Submission.files))
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _check_hand_in(assignment: Assignment, text: str, files: Sequence[Upload]) -> None:
    fields: dict[str, str] = {}
    if files and not assignment.allow_files:
        fields["files"] = _("This assignment does not accept files.")
    elif len(files) > assignment.max_files:
        fields["files"] = _("At most %(n)s files.", n=assignment.max_files)
    if not text and not files:
        fields.setdefault("text", _("Write an answer or attach a file."))
    if len(text) > MAX_TEXT:
        fields["text"] = too_long(MAX_TEXT)
    if fields:
        raise invalid(fields)
