"""Course pages for its tutors: an assignment's hand-ins by status, grading one, the files and the
zip of all hand-ins, and every student's progress."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts import User
from app.courses import bp
from app.courses.access import course_or_404, download, require_teach
from app.courses.forms import GradeForm, rubric_grade_form
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.pagination import Page, page_args
from app.permissions.courses import can_view_submission
from app.security import is_local_path
from app.timeutil import utcnow
from app.uploads import send_stored
from app.view_actions import submit
from courses import rules
from courses.grading import grade_submission, submissions_table, submissions_zip
from courses.models import Assignment, Item, Submission
from courses.progress import progress_table
from courses.submissions import load_submission


@bp.route("/items/<int:item_id>/submissions")
@login_required
def submissions(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    role = require_teach(item.course_id)
    if item.assignment_id is None:
        abort(404)
    assignment = db.session.get(Assignment, item.assignment_id)
    course = course_or_404(item.course_id)
    status = request.args.get("status", "")
    if status not in {s.value for s in rules.Status}:
        status = ""
    page, per_page = page_args(request.args)
    rows, total = submissions_table(item, status=status, page=page, per_page=per_page)
    return render_template(
        "courses/submissions.html",
        course=course,
        item=item,
        assignment=assignment,
        rows=rows,
        page=Page(rows, page, per_page, total),
        status=status,
        statuses=list(rules.Status),
        form=GradeForm(),
        role=role,
    )


@bp.route("/items/<int:item_id>/submissions.zip", endpoint="submissions_zip")
@login_required
def submissions_zip_download(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    require_teach(item.course_id)
    if item.assignment_id is None:
        abort(404)
    return download(submissions_zip(item), "application/zip", f"submissions-{item.id}.zip")


@bp.route("/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def submission(submission_id: int):  # type: ignore[no-untyped-def]
    found, item, assignment = _submission_context(submission_id)
    role = require_teach(item.course_id)
    found = load_submission(found.id)
    course = course_or_404(item.course_id)
    levels = found.rubric_levels or {}
    defaults = {f"criterion_{i}": levels.get(c["name"], -1) for i, c in enumerate(assignment.rubric)}
    form = (
        rubric_grade_form(assignment.rubric, points=found.points, feedback=found.feedback, **defaults)
        if request.method == "GET"
        else rubric_grade_form(assignment.rubric)
    )
    if form.validate_on_submit():
        chosen = {c["name"]: getattr(form, f"criterion_{i}").data for i, c in enumerate(assignment.rubric)}
        done = submit(
            form,
            lambda: grade_submission(
                found,
                points=form.points.data,
                feedback=form.feedback.data or "",
                rubric_levels={k: v for k, v in chosen.items() if v is not None and v >= 0},
                actor=current_user,
                now=utcnow(),
            ),
            done=_("Grade saved."),
            then=lambda _graded: _after_grading(item),
            field="points",
        )
        if done:
            return done
    student = db.session.get(User, found.user_id)
    return render_template(
        "courses/submission.html",
        course=course,
        item=item,
        assignment=assignment,
        submission=found,
        student=student,
        form=form,
        role=role,
    ), form_status(form)


@bp.route("/submissions/<int:submission_id>/files/<int:file_id>")
@login_required
def submission_file(submission_id: int, file_id: int):  # type: ignore[no-untyped-def]
    found, _item, _assignment = _submission_context(submission_id)
    loaded = load_submission(found.id)
    attached = next((f for f in loaded.files if f.file_id == file_id), None)
    if attached is None:
        abort(404)
    return send_stored(attached.file)


@bp.route("/<int:course_id>/progress")
@login_required
def progress(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    role = require_teach(course.id)
    page, per_page = page_args(request.args)
    rows, total = progress_table(course, page=page, per_page=per_page, now=utcnow())
    return render_template(
        "courses/progress.html", course=course, rows=rows, page=Page(rows, page, per_page, total), role=role
    )


def _submission_context(submission_id: int) -> tuple[Submission, Item, Assignment]:
    submission = db.get_or_404(Submission, submission_id)
    item = db.session.scalar(select(Item).where(Item.assignment_id == submission.assignment_id))
    assignment = db.session.get(Assignment, submission.assignment_id)
    if item is None or assignment is None:
        abort(404)
    if not can_view_submission(current_user, submission, item.course_id):
        abort(404)  # another student's work: they may not learn it exists
    return submission, item, assignment


def _after_grading(item: Item) -> str:
    """Back where the tutor came from (a local `next`), else the assignment's hand-ins."""
    target = request.args.get("next", "")
    return target if is_local_path(target) else url_for("courses.submissions", item_id=item.id)
