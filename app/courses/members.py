"""Course pages for its teachers: the members list, enrolling by e-mail or a class list (CSV or XLSX),
removing someone."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.courses import bp
from app.courses.access import course_or_404, require_author, require_teach
from app.courses.forms import EnrolCsvForm, EnrolForm
from app.exports import xlsx_bytes
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.main.forms import EmptyForm
from app.pagination import Page, page_args
from app.permissions.courses import role_can_author
from app.tabular_http import file_bytes, xlsx_response
from app.tabular_views import ImportShown, run_import
from app.view_actions import act, submit
from courses.enrolment import enrol_by_email, enrol_from_file, members_page
from courses.enrolment import unenrol as remove_member
from courses.models import Course, CourseMember


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
    shown = ImportShown()
    if csv_form.validate_on_submit():
        if csv_form.role.data == "tutor" and not role_can_author(role, current_user):
            abort(403)
        outcome = run_import(
            csv_form,
            lambda: enrol_from_file(
                course,
                file_bytes(csv_form.file.data),
                csv_form.role.data,
                actor=current_user,
                valid_only=bool(csv_form.valid_only.data),
            ),
            written=lambda report: len(report.enrolled),
            done=lambda report: _(
                "Enrolled: %(n)s. Already in the course: %(m)s.",
                n=len(report.enrolled),
                m=len(report.already),
            ),
            then=url_for("courses.members", course_id=course.id),
        )
        if not isinstance(outcome, ImportShown):
            return outcome
        shown = outcome
    return _page(course, role, EnrolForm(), csv_form, shown), form_status(csv_form)


@bp.route("/<int:course_id>/members/class-list-sample.xlsx")
@login_required
def members_sample(course_id: int):  # type: ignore[no-untyped-def]
    """A class list a teacher can fill in: the e-mail column the upload reads, and two it ignores."""
    course = course_or_404(course_id)
    require_teach(course.id)
    header = [_("E-mail"), _("Full name"), _("Class")]
    example = ["ivanova.maria@school.example", _("Ivanova Maria"), "7А"]
    return xlsx_response(xlsx_bytes(_("Class list"), header, [example]), "class-list.xlsx")


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


def _page(
    course: Course,
    role: str | None,
    form: EnrolForm,
    csv_form: EnrolCsvForm,
    shown: ImportShown | None = None,
) -> str:
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
        shown=shown,
    )
