"""Course pages for its teachers: the members list, enrolling by e-mail or a CSV file, removing someone."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.courses import bp
from app.courses.access import course_or_404, require_author, require_teach
from app.courses.forms import EnrolCsvForm, EnrolForm
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.main.forms import EmptyForm
from app.pagination import Page, page_args
from app.permissions.courses import role_can_author
from app.view_actions import act, submit
from courses.enrolment import enrol_by_email, enrol_csv, members_page
from courses.enrolment import unenrol as remove_member
from courses.models import Course, CourseMember

MAX_CSV_BYTES = 2 * 1024 * 1024


@bp.route("/<int:course_id>/members", methods=["GET", "POST"])
@login_required
def members(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    role = require_teach(course.id)
    form = EnrolForm()
    if form.validate_on_submit():
        if form.role.data == "tutor" and not role_can_author(role, current_user):
            abort(403)
        done = submit(
            form,
            lambda: enrol_by_email(course, form.email.data or "", form.role.data, actor=current_user),
            done=_("Enrolled."),
            then=url_for("courses.members", course_id=course.id),
            field="email",
        )
        if done:
            return done
    return _page(course, role, form, EnrolCsvForm(prefix="csv")), form_status(form)


@bp.route("/<int:course_id>/members/csv", methods=["POST"])
@login_required
def members_csv(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    role = require_teach(course.id)
    csv_form = EnrolCsvForm(prefix="csv")
    if csv_form.validate_on_submit():
        if csv_form.role.data == "tutor" and not role_can_author(role, current_user):
            abort(403)
        text = _csv_text(csv_form)
        if text is not None:
            done = submit(
                csv_form,
                lambda: enrol_csv(course, text, csv_form.role.data, actor=current_user),
                done=lambda report: _(
                    "Enrolled: %(n)s. Already in the course: %(m)s.",
                    n=len(report.enrolled),
                    m=len(report.already),
                ),
                then=url_for("courses.members", course_id=course.id),
                field="file",
            )
            if done:
                return done
    return _page(course, role, EnrolForm(), csv_form), 422


@bp.route("/<int:course_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def member_remove(course_id: int, member_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require_author(course.id)
    member = db.get_or_404(CourseMember, member_id)
    if member.course_id != course.id:
        abort(404)
    back = url_for("courses.members", course_id=course.id)
    if EmptyForm().validate_on_submit():
        return act(
            lambda: remove_member(course, member, actor=current_user),
            done=_("Removed from the course."),
            then=back,
        )
    return redirect(back)


def _csv_text(csv_form: EnrolCsvForm) -> str | None:
    """The file as text, or None with the reason by the field (too large, not UTF-8)."""
    raw = csv_form.file.data.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        csv_form.file.errors = [_("The file is too large.")]
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        csv_form.file.errors = [_("The file must be UTF-8 text.")]
        return None


def _page(course: Course, role: str | None, form: EnrolForm, csv_form: EnrolCsvForm) -> str:
    page, per_page = page_args(request.args)
    rows, total = members_page(course, page=page, per_page=per_page)
    return render_template(
        "courses/members.html",
        course=course,
        form=form,
        csv_form=csv_form,
        page=Page(rows, page, per_page, total),
        action_form=EmptyForm(),
        authoring=role_can_author(role, current_user),
        role=role,
    )
