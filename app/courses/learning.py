"""Course pages for its students (teachers see them too): an item — page, link, file, assignment with
the hand-in form, quiz — its file, and the images of pages."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.after_response import after_response
from app.courses import bp
from app.courses.access import course_or_404, role_in
from app.courses.forms import SubmissionForm
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.permissions import is_admin, require
from app.permissions.courses import role_can_author, role_can_teach
from app.timeutil import utcnow
from app.uploads import StoredFile, send_stored
from app.view_actions import submit
from courses import rules
from courses.files import uploads_of
from courses.models import Assignment, CourseAsset, Item, ItemKind, Submission
from courses.progress import has_viewed, item_access, record_view
from courses.submissions import load_submission
from courses.submissions import submit as hand_in


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    role, teaching = _member_of(item)
    course = course_or_404(item.course_id)
    now = utcnow()
    if not teaching:
        visible, locked_by = item_access(item, current_user, now=now)
        if not visible:
            abort(404)
        if locked_by is not None:
            return render_template(
                "courses/locked.html", course=course, item=item, locked_by=locked_by, role=role
            ), 403
        if item.kind != ItemKind.ASSIGNMENT:
            _note_view(item, now)
    assignment = db.session.get(Assignment, item.assignment_id) if item.assignment_id else None
    submission = None
    form = SubmissionForm()
    if assignment is not None and not teaching:
        submission = db.session.scalar(
            select(Submission).where(
                Submission.assignment_id == assignment.id, Submission.user_id == current_user.id
            )
        )
        if form.validate_on_submit():
            done = submit(
                form,
                lambda: hand_in(
                    item,
                    current_user,
                    text=form.text.data or "",
                    files=uploads_of(form.files.data or []),
                    now=now,
                ),
                done=_("Your work is submitted."),
                then=url_for("courses.item", item_id=item.id),
                field="text",
            )
            if done:
                return done
        if submission is not None:
            submission = load_submission(submission.id)
            _note_view(item, now)
    elif request.method == "POST":
        abort(403)
    status = None
    timing = None
    if assignment is not None:
        timing = rules.submission_timing(now, assignment.due_at, assignment.cutoff_at)
        status = rules.submission_status(
            submission is not None,
            bool(submission and submission.late),
            bool(submission and submission.points is not None),
        )
    file_row = db.session.get(StoredFile, item.file_id) if item.file_id else None
    return render_template(
        "courses/item.html",
        course=course,
        item=item,
        assignment=assignment,
        submission=submission,
        form=form,
        teaching=teaching,
        status=status,
        timing=timing,
        file_row=file_row,
        authoring=role_can_author(role, current_user),
        role=role,
    ), form_status(form)


@bp.route("/items/<int:item_id>/file")
@login_required
def item_file(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    _role, teaching = _member_of(item)
    if not teaching:
        visible, locked_by = item_access(item, current_user, now=utcnow())
        if not visible or locked_by is not None:
            abort(403)
        _note_view(item, utcnow())
    stored = db.session.get(StoredFile, item.file_id) if item.file_id else None
    if stored is None:
        abort(404)
    return send_stored(stored)


@bp.route("/<int:course_id>/assets/<int:asset_id>")
@login_required
def asset(course_id: int, asset_id: int):  # type: ignore[no-untyped-def]
    found = db.get_or_404(CourseAsset, asset_id)
    if found.course_id != course_id:
        abort(404)
    require(role_in(course_id) is not None or is_admin(current_user))
    return send_stored(found.file)


def _note_view(item: Item, now: datetime) -> None:
    """The first view of an item counts for its completion: noted after the page is sent (a page
    read does not write, app/after_response.py); later views cost one read."""
    user_id = current_user.id
    if not has_viewed(item.id, user_id):
        after_response(partial(record_view, item.course_id, item.id, user_id, now))


def _member_of(item: Item) -> tuple[str | None, bool]:
    """Check the caller may open the item: (role, teaching). Students only see visible items."""
    role = role_in(item.course_id)
    teaching = role_can_teach(role, current_user)
    if role is None and not teaching:
        abort(403)
    return role, teaching
