"""Course pages for everyone signed in: the catalogue, a new course and its settings, the course page
with its outline, self-enrolment, and the courses panel on the dashboard."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from app.accounts import Role
from app.courses import bp
from app.courses.access import course_or_404, require_author, role_in
from app.courses.forms import CourseForm, EnrolKeyForm, ModuleForm
from app.courses.item_layout import COURSE_LAYOUT, grouped, opened
from app.courses.outline_page import empty_outline_html, student_outline, teacher_outline_html
from app.forms_common import form_status
from app.i18n import _
from app.main.dashboard import Panel
from app.pagination import page_args, paginate
from app.permissions import has_role, is_admin, require
from app.permissions.courses import can_create_course, role_can_author, role_can_teach
from app.timeutil import utcnow
from app.view_actions import submit
from courses.catalogue import CourseSettings, catalogue_query, create_course, roles_in, update_course
from courses.dashboard import dashboard_summary, joinable_count
from courses.enrolment import self_enrol
from courses.progress import Outline


@bp.route("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args, default_per_page=20)
    search = request.args.get("q", "").strip()
    result = paginate(
        catalogue_query(current_user, admin=is_admin(current_user), search=search), page, per_page
    )
    roles = roles_in(current_user, [c.id for c in result.items])
    return render_template(
        "courses/index.html", page=result, roles=roles, q=search, can_create=can_create_course(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # type: ignore[no-untyped-def]
    require(can_create_course(current_user))
    form = CourseForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: create_course(_settings(form), actor=current_user),
            done=_("Course created. Add modules and items."),
            then=_course_page,
        )
        if done:
            return done
    return render_template(
        "courses/form.html",
        form=form,
        title=_("New course"),
        course=None,
        sections=grouped(COURSE_LAYOUT, form),
        opened=opened,
    ), form_status(form)


@bp.route("/<int:course_id>/settings", methods=["GET", "POST"])
@login_required
def settings(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    require_author(course.id)
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: update_course(course, _settings(form), actor=current_user),
            done=_("Course saved."),
            then=_course_page,
        )
        if done:
            return done
    return render_template(
        "courses/form.html",
        form=form,
        title=_("Course settings"),
        course=course,
        nav_active="settings",
        sections=grouped(COURSE_LAYOUT, form),
        opened=opened,
    ), form_status(form)


@bp.route("/<int:course_id>")
@login_required
def view(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    role = role_in(course.id)
    teaching = role_can_teach(role, current_user)
    if role is None and not teaching:
        if course.enrolment_mode == "invitation":
            abort(403)
        return render_template("courses/enrol.html", course=course, form=EnrolKeyForm())
    # One URL built per page, not per item (url_for costs tens of microseconds; the page may list
    # hundreds of items): every per-item link is `/…/items/<id>` plus a suffix.
    item_url = _url_prefix("courses.item", "item_id")
    now = utcnow()
    authoring = role_can_author(role, current_user)
    if teaching:
        shown = Outline(course, [], None)
        outline_html = teacher_outline_html(course, authoring=authoring, now=now, item_url=item_url)
    else:
        shown, outline_html = student_outline(course, current_user, now, item_url)
        if not outline_html:
            outline_html = empty_outline_html(course, role)
    return render_template(
        "courses/view.html",
        course=course,
        outline=shown,
        outline_html=outline_html,
        role=role,
        teaching=teaching,
        authoring=authoring,
        module_form=ModuleForm() if authoring else None,
        item_url=item_url,
    )


@bp.route("/<int:course_id>/enrol", methods=["POST"])
@login_required
def enrol_self(course_id: int):  # type: ignore[no-untyped-def]
    course = course_or_404(course_id)
    form = EnrolKeyForm()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: self_enrol(course, current_user, key=form.key.data or ""),
            done=_("You are enrolled. Welcome to the course!"),
            then=url_for("courses.view", course_id=course.id),
            field="key",
        )
        if done:
            return done
    return render_template("courses/enrol.html", course=course, form=form), 422


def courses_panel(user: Any) -> Panel | None:
    """The user's courses with progress and the next assignment deadlines; with none yet, what to do
    next: a teacher creates a course, a pupil finds one in the catalogue (or waits for the teacher)."""
    courses_, deadlines = dashboard_summary(user, utcnow())
    creator = can_create_course(user)
    pupil = has_role(user, Role.STUDENT)
    if not courses_ and not creator and not pupil:
        return None
    return Panel(
        "courses/_panel.html",
        order=20,
        context={
            "courses": courses_,
            "deadlines": deadlines,
            "can_create": creator,
            "joinable": joinable_count(user) if pupil and not courses_ else 0,
        },
    )


def _settings(form: CourseForm) -> CourseSettings:
    return CourseSettings(
        title=form.title.data or "",
        summary=form.summary.data or "",
        hours=form.hours.data or 0,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        enrolment_mode=form.enrolment_mode.data,
        enrolment_key=form.enrolment_key.data or "",
        missing_grades=form.missing_grades.data,
    )


def _course_page(course: Any) -> str:
    return url_for("courses.view", course_id=course.id)


_MARKER = 987654321


def _url_prefix(endpoint: str, argument: str) -> str:
    """What `url_for(endpoint, **{argument: id})` gives before the id (it must end the URL)."""
    built = url_for(endpoint, **{argument: _MARKER})
    prefix, marker, rest = built.rpartition(str(_MARKER))
    assert marker and not rest, built
    return prefix
