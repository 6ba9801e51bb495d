"""Thin views of the courses room: each loads, checks permission, calls one service, renders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from app import certificates
from app.accounts import User
from app.courses import bp
from app.courses.forms import (
    AssignmentForm,
    BackupImportForm,
    CourseForm,
    EnrolCsvForm,
    EnrolForm,
    EnrolKeyForm,
    GradeForm,
    ItemForm,
    ModuleForm,
    OverrideForm,
    QuizItemForm,
    RowOverrideForm,
    SubmissionForm,
    completion_choices,
    options,
    rubric_grade_form,
    rubric_text,
)
from app.domain_errors import DomainError, Invalid
from app.extensions import db
from app.forms_common import apply_domain_error, form_status
from app.i18n import _
from app.main.dashboard import Panel, panel
from app.main.forms import EmptyForm
from app.pagination import Page, page_args, paginate
from app.permissions import is_admin, require
from app.permissions.courses import (
    can_create_course,
    can_view_submission,
    course_role,
    role_can_author,
    role_can_teach,
)
from app.security import is_local_path
from app.timeutil import parse_local, to_form_time, utcnow
from app.uploads import StoredFile, send_stored
from courses import backup, rules, services
from courses.models import (
    Assignment,
    Course,
    CourseAsset,
    CourseMember,
    CourseRole,
    Item,
    ItemKind,
    Module,
    Submission,
)
from courses.quiz.models import Question

# --- helpers ---------------------------------------------------------------------------------------


def _course_or_404(course_id: int) -> Course:
    return db.get_or_404(Course, course_id)


def _role(course_id: int) -> str | None:
    return course_role(current_user, course_id)


def _require_teach(course_id: int) -> str | None:
    role = _role(course_id)
    require(role_can_teach(role, current_user))
    return role


def _require_author(course_id: int) -> str | None:
    role = _role(course_id)
    require(role_can_author(role, current_user))
    return role


def _download(data: bytes | str, mimetype: str, name: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


# --- catalogue and course settings -----------------------------------------------------------------


@bp.route("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args, default_per_page=20)
    search = request.args.get("q", "").strip()
    result = paginate(services.catalogue_query(current_user, admin=is_admin(current_user), search=search),
                      page, per_page)
    roles = services.roles_in(current_user, [c.id for c in result.items])
    return render_template("courses/index.html", page=result, roles=roles, q=search,
                           can_create=can_create_course(current_user))


def _settings(form: CourseForm) -> services.CourseSettings:
    return services.CourseSettings(
        title=form.title.data or "", summary=form.summary.data or "", hours=form.hours.data or 0,
        starts_on=form.starts_on.data, ends_on=form.ends_on.data, enrolment_mode=form.enrolment_mode.data,
        enrolment_key=form.enrolment_key.data or "", missing_grades=form.missing_grades.data)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():  # type: ignore[no-untyped-def]
    require(can_create_course(current_user))
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = services.create_course(_settings(form), actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Course created. Add modules and items."), "success")
            return redirect(url_for("courses.view", course_id=course.id))
    return render_template("courses/form.html", form=form, title=_("New course"), course=None), form_status(form)


@bp.route("/<int:course_id>/settings", methods=["GET", "POST"])
@login_required
def settings(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    _require_author(course.id)
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        try:
            services.update_course(course, _settings(form), actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Course saved."), "success")
            return redirect(url_for("courses.view", course_id=course.id))
    return render_template("courses/form.html", form=form, title=_("Course settings"), course=course), form_status(form)


@bp.route("/<int:course_id>")
@login_required
def view(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    role = _role(course.id)
    teaching = role_can_teach(role, current_user)
    if role is None and not teaching:
        if course.enrolment_mode == "invitation":
            abort(403)
        return render_template("courses/enrol.html", course=course, form=EnrolKeyForm())
    outline = services.outline(course, current_user, teaching=teaching, now=utcnow())
    authoring = role_can_author(role, current_user)
    # One URL built per page, not per item (url_for costs tens of microseconds; the page may list
    # hundreds of items): every per-item link is `/…/items/<id>` plus a suffix.
    return render_template("courses/view.html", course=course, outline=outline, role=role, teaching=teaching,
                           authoring=authoring, module_form=ModuleForm() if authoring else None,
                           item_url=_url_prefix("courses.item", "item_id"))


_MARKER = 987654321


def _url_prefix(endpoint: str, argument: str) -> str:
    """What `url_for(endpoint, **{argument: id})` gives before the id (it must end the URL)."""
    built = url_for(endpoint, **{argument: _MARKER})
    prefix, marker, rest = built.rpartition(str(_MARKER))
    assert marker and not rest, built
    return prefix


@bp.route("/<int:course_id>/enrol", methods=["POST"])
@login_required
def enrol_self(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    form = EnrolKeyForm()
    if form.validate_on_submit():
        try:
            services.self_enrol(course, current_user, key=form.key.data or "")
        except DomainError as error:
            apply_domain_error(form, error, "key")
        else:
            flash(_("You are enrolled. Welcome to the course!"), "success")
            return redirect(url_for("courses.view", course_id=course.id))
    return render_template("courses/enrol.html", course=course, form=form), 422


# --- members ---------------------------------------------------------------------------------------


@bp.route("/<int:course_id>/members", methods=["GET", "POST"])
@login_required
def members(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    role = _require_teach(course.id)
    form = EnrolForm()
    csv_form = EnrolCsvForm(prefix="csv")
    if form.validate_on_submit():
        if form.role.data == "tutor" and not role_can_author(role, current_user):
            abort(403)
        try:
            services.enrol_by_email(course, form.email.data or "", form.role.data, actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error, "email")
        else:
            flash(_("Enrolled."), "success")
            return redirect(url_for("courses.members", course_id=course.id))
    page, per_page = page_args(request.args)
    rows, total = services.members_page(course, page=page, per_page=per_page)
    return render_template("courses/members.html", course=course, form=form, csv_form=csv_form,
                           page=Page(rows, page, per_page, total), action_form=EmptyForm(),
                           authoring=role_can_author(role, current_user), role=role), form_status(form)


@bp.route("/<int:course_id>/members/csv", methods=["POST"])
@login_required
def members_csv(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    role = _require_teach(course.id)
    csv_form = EnrolCsvForm(prefix="csv")
    if csv_form.validate_on_submit():
        if csv_form.role.data == "tutor" and not role_can_author(role, current_user):
            abort(403)
        raw = csv_form.file.data.read(2 * 1024 * 1024 + 1)
        try:
            if len(raw) > 2 * 1024 * 1024:
                raise Invalid(_("The file is too large."), {"file": _("The file is too large.")})
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            csv_form.file.errors = [_("The file must be UTF-8 text.")]
        except DomainError as error:
            apply_domain_error(csv_form, error, "file")
        else:
            try:
                report = services.enrol_csv(course, text, csv_form.role.data, actor=current_user)
            except DomainError as error:
                apply_domain_error(csv_form, error, "file")
            else:
                flash(_("Enrolled: %(n)s. Already in the course: %(m)s.", n=len(report.enrolled),
                        m=len(report.already)), "success")
                return redirect(url_for("courses.members", course_id=course.id))
    page, per_page = page_args(request.args)
    rows, total = services.members_page(course, page=page, per_page=per_page)
    return render_template("courses/members.html", course=course, form=EnrolForm(), csv_form=csv_form,
                           page=Page(rows, page, per_page, total), action_form=EmptyForm(),
                           authoring=role_can_author(role, current_user), role=role), 422


@bp.route("/<int:course_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def member_remove(course_id: int, member_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    _require_author(course.id)
    member = db.get_or_404(CourseMember, member_id)
    if member.course_id != course.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            services.unenrol(course, member, actor=current_user)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(_("Removed from the course."), "success")
    return redirect(url_for("courses.members", course_id=course.id))


# --- modules ---------------------------------------------------------------------------------------


@bp.route("/<int:course_id>/modules", methods=["POST"])
@login_required
def module_add(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    _require_author(course.id)
    form = ModuleForm()
    if form.validate_on_submit():
        try:
            services.add_module(course, title=form.title.data or "", hidden=form.hidden.data,
                                visible_from=parse_local(form.visible_from.data, current_user.timezone), actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error, "title")
        else:
            return redirect(url_for("courses.view", course_id=course.id))
    return render_template("courses/form.html", form=form, title=_("New module"), course=course), 422


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
@login_required
def module_edit(module_id: int):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    _require_author(module.course_id)
    course = _course_or_404(module.course_id)
    form = ModuleForm(obj=module)
    if request.method == "GET":
        form.visible_from.data = to_form_time(module.visible_from, current_user.timezone)
    if form.validate_on_submit():
        try:
            services.update_module(module, title=form.title.data or "", hidden=form.hidden.data,
                                   visible_from=parse_local(form.visible_from.data, current_user.timezone), actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error, "title")
        else:
            return redirect(url_for("courses.view", course_id=module.course_id))
    return render_template("courses/form.html", form=form, title=_("Edit module"), course=course), form_status(form)


@bp.route("/modules/<int:module_id>/<any(up, down):direction>", methods=["POST"])
@login_required
def module_move(module_id: int, direction: str):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    _require_author(module.course_id)
    if EmptyForm().validate_on_submit():
        services.move_module(module, direction, actor=current_user)
    return redirect(url_for("courses.view", course_id=module.course_id) + f"#module-{module.id}")


@bp.route("/modules/<int:module_id>/delete", methods=["POST"])
@login_required
def module_delete(module_id: int):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    course_id = module.course_id
    _require_author(course_id)
    if EmptyForm().validate_on_submit():
        services.delete_module(module, actor=current_user)
        flash(_("Module deleted."), "success")
    return redirect(url_for("courses.view", course_id=course_id))


# --- items -----------------------------------------------------------------------------------------


def _prerequisite_choices(course_id: int, exclude: int | None) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Item.id, Item.title, Module.title.label("module")).join(Module, Module.id == Item.module_id)
        .where(Item.course_id == course_id).order_by(Module.position, Module.id, Item.position, Item.id)).all()
    return options([(0, _("— none —"))] + [(r.id, f"{r.module} → {r.title}") for r in rows if r.id != exclude])


def _data(form: Any, name: str, default: Any = None) -> Any:
    """A field's data, or `default` when the field was removed for this item kind."""
    field = getattr(form, name, None)
    return default if field is None else field.data


def _item_settings(form: ItemForm) -> services.ItemSettings:
    return services.ItemSettings(
        title=form.title.data or "", body=_data(form, "body") or "", url=_data(form, "url") or "",
        hidden=form.hidden.data,
        visible_from=parse_local(form.visible_from.data, current_user.timezone), completion=form.completion.data,
        completion_points=form.completion_points.data, prerequisite_id=form.prerequisite.data or None,
        weight=form.weight.data if form.weight.data is not None else Decimal(1))


def _assignment_settings(form: AssignmentForm) -> services.AssignmentSettings:
    return services.AssignmentSettings(
        description=form.description.data or "", due_at=parse_local(form.due_at.data, current_user.timezone), cutoff_at=parse_local(form.cutoff_at.data, current_user.timezone),
        max_points=form.max_points.data or Decimal(10), rubric=getattr(form.rubric, "parsed", []),
        allow_text=form.allow_text.data, allow_files=form.allow_files.data,
        allowed_extensions=form.allowed_extensions.data or "", max_file_mb=form.max_file_mb.data or 0,
        max_files=form.max_files.data or 0, resubmission=form.resubmission.data)


FORMS = {"page": ItemForm, "link": ItemForm, "file": ItemForm, "assignment": AssignmentForm, "quiz": QuizItemForm}
HIDDEN_FIELDS = {
    "page": {"url", "upload", "description"},
    "link": {"body", "image", "upload"},
    "file": {"url", "image"},
    "assignment": {"url", "upload", "body", "image"},
    "quiz": {"url", "upload", "image"},
}


def _prepare(form: ItemForm, kind: str, course_id: int, item_id: int | None) -> None:
    form.completion.choices = completion_choices(kind in ("assignment", "quiz"))
    form.prerequisite.choices = _prerequisite_choices(course_id, item_id)
    for name in HIDDEN_FIELDS[kind]:
        if getattr(form, name, None) is not None:
            delattr(form, name)


def _quiz_question_choices(course: Course) -> list[tuple[int, str]]:
    if course.bank_id is None:
        return []
    rows = db.session.execute(select(Question.id, Question.name, Question.type).where(
        Question.bank_id == course.bank_id, Question.hidden.is_(False)).order_by(Question.id)).all()
    return options([(r.id, f"{r.name} ({r.type})") for r in rows])


@bp.route("/modules/<int:module_id>/items/new/<any(page, link, file, assignment, quiz):kind>",
          methods=["GET", "POST"])
@login_required
def item_new(module_id: int, kind: str):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    _require_author(module.course_id)
    course = _course_or_404(module.course_id)
    form = FORMS[kind]()
    _prepare(form, kind, course.id, None)
    if kind == "quiz":
        form.questions.choices = _quiz_question_choices(course)
    if form.validate_on_submit():
        try:
            item = _save_new_item(module, course, kind, form)
        except DomainError as error:
            apply_domain_error(form, error, "title")
        else:
            flash(_("Item added."), "success")
            return redirect(url_for("courses.item", item_id=item.id))
    return render_template("courses/item_form.html", form=form, course=course, kind=kind, item=None,
                           title=_("New item")), form_status(form)


def _save_new_item(module: Module, course: Course, kind: str, form: Any) -> Item:
    settings = _item_settings(form)
    if kind == "assignment":
        return services.create_assignment(module, settings, _assignment_settings(form), actor=current_user)
    if kind == "quiz":
        options = {"time_limit_minutes": form.time_limit_minutes.data, "attempts_allowed": form.attempts_allowed.data,
                   "grading_method": form.grading_method.data, "max_grade": form.max_grade.data,
                   "opens_at": parse_local(form.opens_at.data, current_user.timezone), "closes_at": parse_local(form.closes_at.data, current_user.timezone)}
        return services.add_quiz_item(module, settings, question_ids=form.questions.data, quiz_options=options,
                                      actor=current_user)
    image = _data(form, "image")
    if kind == "page" and image and getattr(image, "filename", ""):
        settings.body = _with_image(course, form, settings.body)
    return services.add_item(module, kind, settings, upload=_data(form, "upload"), actor=current_user)


def _with_image(course: Course, form: Any, body: str) -> str:
    asset = services.add_asset(course, form.image.data, actor=current_user)
    url = url_for("courses.asset", course_id=course.id, asset_id=asset.id)
    return f"{body}\n\n![{asset.file.original_name}]({url})\n"


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def item_edit(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    _require_author(item.course_id)
    course = _course_or_404(item.course_id)
    kind = str(item.kind)
    assignment = db.session.get(Assignment, item.assignment_id) if item.assignment_id else None
    form_class = AssignmentForm if kind == "assignment" else ItemForm
    form = form_class(obj=item)
    hidden = HIDDEN_FIELDS[kind] if kind != "quiz" else {"url", "upload", "image"}
    form.completion.choices = completion_choices(item.graded)
    form.prerequisite.choices = _prerequisite_choices(course.id, item.id)
    for name in hidden:
        if getattr(form, name, None) is not None:
            delattr(form, name)
    if request.method == "GET":
        form.visible_from.data = to_form_time(item.visible_from, current_user.timezone)
        form.prerequisite.data = item.prerequisite_id or 0
        if assignment is not None:
            for name in ("description", "max_points", "allow_text", "allow_files", "allowed_extensions",
                         "max_file_mb", "max_files", "resubmission"):
                getattr(form, name).data = getattr(assignment, name)
            form.due_at.data = to_form_time(assignment.due_at, current_user.timezone)
            form.cutoff_at.data = to_form_time(assignment.cutoff_at, current_user.timezone)
            form.rubric.data = rubric_text(assignment.rubric)
    if form.validate_on_submit():
        try:
            settings = _item_settings(form)
            if kind == "assignment":
                services.update_assignment(item, settings, _assignment_settings(form), actor=current_user)
            else:
                image = _data(form, "image")
                if kind == "page" and image and getattr(image, "filename", ""):
                    settings.body = _with_image(course, form, settings.body)
                services.update_item(item, settings, upload=_data(form, "upload"), actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error, "title")
        else:
            flash(_("Item saved."), "success")
            return redirect(url_for("courses.item", item_id=item.id))
    return render_template("courses/item_form.html", form=form, course=course, kind=kind, item=item,
                           title=_("Edit item")), form_status(form)


@bp.route("/items/<int:item_id>/<any(up, down):direction>", methods=["POST"])
@login_required
def item_move(item_id: int, direction: str):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    _require_author(item.course_id)
    if EmptyForm().validate_on_submit():
        services.move_item(item, direction, actor=current_user)
    return redirect(url_for("courses.view", course_id=item.course_id) + f"#item-{item.id}")


@bp.route("/items/<int:item_id>/delete", methods=["POST"])
@login_required
def item_delete(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    course_id = item.course_id
    _require_author(course_id)
    if EmptyForm().validate_on_submit():
        services.delete_item(item, actor=current_user)
        flash(_("Item deleted."), "success")
    return redirect(url_for("courses.view", course_id=course_id))


def _student_item(item: Item) -> tuple[str | None, bool]:
    """Check the caller may open the item: (role, teaching). Students only see visible items."""
    role = _role(item.course_id)
    teaching = role_can_teach(role, current_user)
    if role is None and not teaching:
        abort(403)
    return role, teaching


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    role, teaching = _student_item(item)
    course = _course_or_404(item.course_id)
    now = utcnow()
    locked_by = None
    if not teaching:
        visible, locked_by = services.item_access(item, current_user, now=now)
        if not visible:
            abort(404)
        if locked_by is not None:
            return render_template("courses/locked.html", course=course, item=item, locked_by=locked_by), 403
        if item.kind != ItemKind.ASSIGNMENT:
            services.mark_viewed(item, current_user, now)
    assignment = db.session.get(Assignment, item.assignment_id) if item.assignment_id else None
    submission = None
    form = SubmissionForm()
    if assignment is not None and not teaching:
        submission = db.session.scalar(select(Submission).where(
            Submission.assignment_id == assignment.id, Submission.user_id == current_user.id))
        if form.validate_on_submit():
            try:
                services.submit(item, current_user, text=form.text.data or "", files=form.files.data or [], now=now)
            except DomainError as error:
                apply_domain_error(form, error, "text")
            else:
                flash(_("Your work is submitted."), "success")
                return redirect(url_for("courses.item", item_id=item.id))
        if submission is not None:
            submission = services.load_submission(submission.id)
            services.mark_viewed(item, current_user, now)
    elif request.method == "POST":
        abort(403)
    status = None
    timing = None
    if assignment is not None:
        timing = rules.submission_timing(now, assignment.due_at, assignment.cutoff_at)
        status = rules.submission_status(submission is not None, bool(submission and submission.late),
                                         bool(submission and submission.points is not None))
    file_row = db.session.get(StoredFile, item.file_id) if item.file_id else None
    return render_template("courses/item.html", course=course, item=item, assignment=assignment,
                           submission=submission, form=form, teaching=teaching, status=status, timing=timing,
                           file_row=file_row, authoring=role_can_author(role, current_user)), form_status(form)


@bp.route("/items/<int:item_id>/file")
@login_required
def item_file(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    _role_, teaching = _student_item(item)
    if not teaching:
        visible, locked_by = services.item_access(item, current_user, now=utcnow())
        if not visible or locked_by is not None:
            abort(403)
        services.mark_viewed(item, current_user, utcnow())
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
    role = _role(course_id)
    require(role is not None or is_admin(current_user))
    return send_stored(found.file)


# --- submissions and grading -----------------------------------------------------------------------


@bp.route("/items/<int:item_id>/submissions")
@login_required
def submissions(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    _require_teach(item.course_id)
    if item.assignment_id is None:
        abort(404)
    assignment = db.session.get(Assignment, item.assignment_id)
    course = _course_or_404(item.course_id)
    status = request.args.get("status", "")
    if status not in {s.value for s in rules.Status}:
        status = ""
    page, per_page = page_args(request.args)
    rows, total = services.submissions_table(item, status=status, page=page, per_page=per_page)
    return render_template("courses/submissions.html", course=course, item=item, assignment=assignment,
                           rows=rows, page=Page(rows, page, per_page, total), status=status,
                           statuses=list(rules.Status), form=GradeForm())


@bp.route("/items/<int:item_id>/submissions.zip")
@login_required
def submissions_zip(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    _require_teach(item.course_id)
    if item.assignment_id is None:
        abort(404)
    return _download(services.submissions_zip(item), "application/zip", f"submissions-{item.id}.zip")


def _submission_context(submission_id: int) -> tuple[Submission, Item, Assignment]:
    submission = db.get_or_404(Submission, submission_id)
    item = db.session.scalar(select(Item).where(Item.assignment_id == submission.assignment_id))
    assignment = db.session.get(Assignment, submission.assignment_id)
    if item is None or assignment is None:
        abort(404)
    if not can_view_submission(current_user, submission, item.course_id):
        abort(404)  # another student's work: they may not learn it exists
    return submission, item, assignment


@bp.route("/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def submission(submission_id: int):  # type: ignore[no-untyped-def]
    found, item, assignment = _submission_context(submission_id)
    _require_teach(item.course_id)
    found = services.load_submission(found.id)
    course = _course_or_404(item.course_id)
    levels = found.rubric_levels or {}
    defaults = {f"criterion_{i}": levels.get(c["name"], -1) for i, c in enumerate(assignment.rubric)}
    form = rubric_grade_form(assignment.rubric, points=found.points, feedback=found.feedback, **defaults) \
        if request.method == "GET" else rubric_grade_form(assignment.rubric)
    if form.validate_on_submit():
        chosen = {c["name"]: getattr(form, f"criterion_{i}").data for i, c in enumerate(assignment.rubric)}
        try:
            services.grade_submission(found, points=form.points.data, feedback=form.feedback.data or "",
                                      rubric_levels={k: v for k, v in chosen.items() if v is not None and v >= 0},
                                      actor=current_user, now=utcnow())
        except DomainError as error:
            apply_domain_error(form, error, "points")
        else:
            flash(_("Grade saved."), "success")
            target = request.args.get("next", "")
            if is_local_path(target):
                return redirect(target)
            return redirect(url_for("courses.submissions", item_id=item.id))
    student = db.session.get(User, found.user_id)
    return render_template("courses/submission.html", course=course, item=item, assignment=assignment,
                           submission=found, student=student, form=form), form_status(form)


@bp.route("/submissions/<int:submission_id>/files/<int:file_id>")
@login_required
def submission_file(submission_id: int, file_id: int):  # type: ignore[no-untyped-def]
    found, _item, _assignment = _submission_context(submission_id)
    loaded = services.load_submission(found.id)
    attached = next((f for f in loaded.files if f.file_id == file_id), None)
    if attached is None:
        abort(404)
    return send_stored(attached.file)


# --- gradebook, progress, certificate --------------------------------------------------------------


@bp.route("/<int:course_id>/gradebook", methods=["GET", "POST"])
@login_required
def gradebook(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    role = _role(course.id)
    teaching = role_can_teach(role, current_user)
    require(teaching or role == "student")
    form = OverrideForm()
    if request.method == "POST":
        require(teaching)
        row_form = RowOverrideForm()
        if "item_id" not in request.form and row_form.validate_on_submit():
            _save_gradebook_row(course, row_form.user_id.data, request.form)
        elif form.validate_on_submit():
            target_item = db.session.get(Item, form.item_id.data)
            student = db.session.get(User, form.user_id.data)
            raw = (form.points.data or "").strip()
            points = rules.to_decimal(raw) if raw else None
            if target_item is None or student is None or target_item.course_id != course.id:
                abort(404)
            if raw and points is None:
                flash(_("Points must be a number."), "danger")
            else:
                try:
                    services.set_override(course, target_item, student, points, actor=current_user, now=utcnow())
                except DomainError as error:
                    flash(error.message, "danger")
                else:
                    flash(_("Grade saved."), "success")
        return redirect(url_for("courses.gradebook", course_id=course.id, page=request.args.get("page", 1)))
    page, per_page = page_args(request.args)
    book = services.gradebook(course, only_user=None if teaching else current_user, page=page, per_page=per_page)
    return render_template("courses/gradebook.html", course=course, book=book, teaching=teaching, role=role,
                           page=Page(book.rows, page, per_page, book.total_students), display=rules.display,
                           form=form, row_cells=_gradebook_cells(book, teaching))


def _gradebook_cells(book: services.Gradebook, teaching: bool) -> list[Markup]:
    """Each row's grade cells as markup, built here rather than in Jinja: 200 rows × 30 items are
    6,000 cells, and a template spends several escapes per cell. Everything user-typed (titles) is
    escaped once per column; points are numbers."""
    tutor = escape(_("Set by a tutor"))
    marked = f' class="overridden" title="{tutor}"'
    star = '<span class="text-warning" aria-hidden="true">*</span>'
    rows: list[Markup] = []
    if teaching:
        inputs = [f'name="p{c.item.id}" class="form-control form-control-sm grade-cell" inputmode="decimal" '
                  f'aria-label="{escape(c.item.title)}"' for c in book.columns]
        for row in book.rows:
            form = f"gb-row-{row.student.id}"
            rows.append(Markup("".join(
                f'<td{marked if overridden else ""}><input form="{form}" {attrs} '
                f'value="{"" if points is None else points}">'
                f'{star if overridden else ""}</td>'
                for (points, overridden), attrs in zip(row.grades, inputs, strict=True))))
    else:
        for row in book.rows:
            rows.append(Markup("".join(
                f'<td{marked if overridden else ""}>{"—" if points is None else points}{"*" if overridden else ""}</td>'
                for points, overridden in row.grades)))
    return rows


def _save_gradebook_row(course: Course, user_id: int, data: Any) -> None:
    """A row's form (Enter in a cell without JavaScript sends the whole row; the page's script sends
    only the changed cell): each `p<item id>` whose value differs from the grade shown is saved."""
    student = db.session.get(User, user_id)
    if student is None or db.session.scalar(select(CourseMember.role).where(
            CourseMember.course_id == course.id, CourseMember.user_id == student.id)) != CourseRole.STUDENT:
        abort(404)
    book = services.gradebook(course, only_user=student)
    shown = {column.item.id: (column.item, grade) for column, grade in zip(book.columns, book.rows[0].grades,
                                                                             strict=True)}
    saved = 0
    for key, value in data.items():
        if not key.startswith("p") or not key[1:].isdigit() or int(key[1:]) not in shown:
            continue
        item, (current, overridden) = shown[int(key[1:])]
        raw = value.strip()
        points = rules.to_decimal(raw) if raw else None
        if raw and points is None:
            flash(_("Points must be a number."), "danger")
            continue
        if (points is None and not overridden) or (points is not None and points == current):
            continue  # unchanged (an emptied computed grade has no override to remove)
        try:
            services.set_override(course, item, student, points, actor=current_user, now=utcnow())
        except DomainError as error:
            flash(error.message, "danger")
        else:
            saved += 1
    if saved:
        flash(_("Grade saved."), "success")


@bp.route("/<int:course_id>/gradebook.<any(csv, xlsx):fmt>")
@login_required
def gradebook_export(course_id: int, fmt: str):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    _require_teach(course.id)
    if fmt == "csv":
        return _download(services.gradebook_csv(course), "text/csv", f"gradebook-{course.id}.csv")
    return _download(services.gradebook_xlsx(course),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"gradebook-{course.id}.xlsx")


@bp.route("/<int:course_id>/progress")
@login_required
def progress(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    role = _require_teach(course.id)
    page, per_page = page_args(request.args)
    rows, total = services.progress_table(course, page=page, per_page=per_page, now=utcnow())
    return render_template("courses/progress.html", course=course, rows=rows, page=Page(rows, page, per_page, total),
                           role=role)


@bp.route("/<int:course_id>/certificate")
@login_required
def certificate(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    require(_role(course.id) == "student")
    try:
        issued = services.course_certificate(course, current_user, now=utcnow())
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("courses.view", course_id=course.id))
    verify_url = url_for("verify", code=issued.code, _external=True)
    return _download(services.certificate_pdf(course, issued, verify_url), "application/pdf",
                     f"certificate-{issued.code}.pdf")


# --- backup ----------------------------------------------------------------------------------------


@bp.route("/<int:course_id>/backup")
@login_required
def backup_export(course_id: int):  # type: ignore[no-untyped-def]
    course = _course_or_404(course_id)
    _require_author(course.id)
    return _download(backup.export_course(course), "application/zip", f"course-{course.id}.zip")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def backup_import():  # type: ignore[no-untyped-def]
    require(can_create_course(current_user))
    form = BackupImportForm()
    if form.validate_on_submit():
        try:
            course = backup.import_course(form.file.data.read(backup.MAX_BACKUP_BYTES + 1), actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error, "file")
        else:
            flash(_("Course imported."), "success")
            return redirect(url_for("courses.view", course_id=course.id))
    return render_template("courses/form.html", form=form, title=_("Import a course"), course=None,
                           enctype="multipart/form-data", submit=_("Import")), form_status(form)


# --- public verification, dashboard ----------------------------------------------------------------


def verify(code: str):  # type: ignore[no-untyped-def]
    """Public: confirms a certificate or diploma, revealing only holder, title and date."""
    found = certificates.find(code)
    return render_template("courses/verify.html", certificate=found, code=code), 200 if found else 404


@bp.record_once
def _register_verify(state: Any) -> None:
    state.app.add_url_rule("/verify/<code>", "verify", verify)


@panel
def courses_panel(user: Any) -> Panel | None:
    """The user's courses with progress and the next assignment deadlines."""
    courses_, deadlines = services.dashboard_summary(user, utcnow())
    if not courses_ and not can_create_course(user):
        return None
    return Panel("courses/_panel.html", order=20, context={"courses": courses_, "deadlines": deadlines})
