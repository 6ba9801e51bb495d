"""Course pages for its author: the item editor — a new page, link, file, assignment or quiz, and
editing one. The form's fields depend on the item's kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.courses import bp
from app.courses.access import course_or_404, require_author
from app.courses.forms import AssignmentForm, ItemForm, QuizItemForm, completion_choices, options, rubric_text
from app.courses.item_layout import HIDDEN_FIELDS, opened, sections
from app.domain_errors import Invalid
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.timeutil import parse_local, to_form_time
from app.view_actions import submit
from courses.assignments import AssignmentSettings, create_assignment, update_assignment
from courses.files import Upload
from courses.items import ItemSettings, add_asset, add_item, update_item
from courses.models import Assignment, Course, Item, Module
from courses.quiz.picking import TYPE_NAMES, Picker, build_picker
from courses.quiz_items import add_quiz_item

FORMS = {
    "page": ItemForm,
    "link": ItemForm,
    "file": ItemForm,
    "assignment": AssignmentForm,
    "quiz": QuizItemForm,
}
ASSIGNMENT_FIELDS = (
    "description",
    "max_points",
    "allow_text",
    "allow_files",
    "allowed_extensions",
    "max_file_mb",
    "max_files",
    "resubmission",
)


@bp.route(
    "/modules/<int:module_id>/items/new/<any(page, link, file, assignment, quiz):kind>",
    methods=["GET", "POST"],
)
@login_required
def item_new(module_id: int, kind: str):  # type: ignore[no-untyped-def]
    module = db.get_or_404(Module, module_id)
    require_author(module.course_id)
    course = course_or_404(module.course_id)
    form = FORMS[kind]()
    _prepare(form, kind, HIDDEN_FIELDS[kind], kind in ("assignment", "quiz"), course.id, None)
    picker = _picker(course) if kind == "quiz" else None
    if not _filtering() and form.validate_on_submit():
        done = submit(
            form,
            lambda: _save_new_item(module, course, kind, form),
            done=_("Item added."),
            then=lambda item: url_for("courses.item", item_id=item.id),
            field="title",
        )
        if done:
            return done
    return _form_page(form, course, kind, None, picker), form_status(form)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def item_edit(item_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(Item, item_id)
    require_author(item.course_id)
    course = course_or_404(item.course_id)
    kind = str(item.kind)
    assignment = db.session.get(Assignment, item.assignment_id) if item.assignment_id else None
    form = (AssignmentForm if kind == "assignment" else ItemForm)(obj=item)
    _prepare(form, kind, HIDDEN_FIELDS[kind], item.graded, course.id, item.id)
    if request.method == "GET":
        _fill(form, item, assignment)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: _save_item(item, course, kind, form),
            done=_("Item saved."),
            then=url_for("courses.item", item_id=item.id),
            field="title",
        )
        if done:
            return done
    return _form_page(form, course, kind, item, None), form_status(form)


def _filtering() -> bool:
    """Whether the question picker's «Найти» or a page button sent the form: it is shown again with
    what was typed and ticked, and nothing is saved."""
    return request.method == "POST" and ("filter" in request.form or "page" in request.form)


def _picker(course: Course) -> Picker | None:
    """The course bank's questions for the quiz item form, one page at a time (none without a bank)."""
    if not course.bank_id:
        return None
    args = request.form if request.method == "POST" else request.args
    return build_picker(course.bank_id, args, types=TYPE_NAMES, field="questions")


def _form_page(form: Any, course: Course, kind: str, item: Item | None, picker: Picker | None) -> str:
    """The item form in its sections by kind (a new item when `item` is None)."""
    return render_template(
        "courses/item_form.html",
        form=form,
        course=course,
        kind=kind,
        item=item,
        title=_("New item") if item is None else _("Edit item"),
        sections=sections(kind, form),
        opened=opened,
        picker=picker,
    )


def _prepare(
    form: ItemForm, kind: str, hidden: set[str], graded: bool, course_id: int, item_id: int | None
) -> None:
    form.completion.choices = completion_choices(graded)
    form.prerequisite.choices = _prerequisite_choices(course_id, item_id)
    for name in hidden:
        if getattr(form, name, None) is not None:
            delattr(form, name)


def _fill(form: Any, item: Item, assignment: Assignment | None) -> None:
    """The stored values a GET shows in the fields the form cannot read from the item itself."""
    form.visible_from.data = to_form_time(item.visible_from, current_user.timezone)
    form.prerequisite.data = item.prerequisite_id or 0
    if assignment is not None:
        for name in ASSIGNMENT_FIELDS:
            getattr(form, name).data = getattr(assignment, name)
        form.due_at.data = to_form_time(assignment.due_at, current_user.timezone)
        form.cutoff_at.data = to_form_time(assignment.cutoff_at, current_user.timezone)
        form.rubric.data = rubric_text(assignment.rubric)


def _save_new_item(module: Module, course: Course, kind: str, form: Any) -> Item:
    settings = _item_settings(form, None)
    if kind == "assignment":
        return create_assignment(module, settings, _assignment_settings(form), actor=current_user)
    if kind == "quiz":
        quiz_options = {
            "time_limit_minutes": form.time_limit_minutes.data,
            "attempts_allowed": form.attempts_allowed.data,
            "grading_method": form.grading_method.data,
            "max_grade": form.max_grade.data,
            "opens_at": parse_local(form.opens_at.data, current_user.timezone),
            "closes_at": parse_local(form.closes_at.data, current_user.timezone),
        }
        try:
            return add_quiz_item(
                module,
                settings,
                question_ids=form.questions.data,
                quiz_options=quiz_options,
                actor=current_user,
            )
        except Invalid as error:  # the quiz engine names its field `question_ids`; here it is `questions`
            fields = {("questions" if k == "question_ids" else k): v for k, v in error.fields.items()}
            raise Invalid(error.message, fields) from error
    settings.body = _with_image(course, form, kind, settings.body)
    return add_item(module, kind, settings, upload=Upload.of(_data(form, "upload")), actor=current_user)


def _save_item(item: Item, course: Course, kind: str, form: Any) -> Item:
    settings = _item_settings(form, item)
    if kind == "assignment":
        return update_assignment(item, settings, _assignment_settings(form), actor=current_user)
    settings.body = _with_image(course, form, kind, settings.body)
    return update_item(item, settings, upload=Upload.of(_data(form, "upload")), actor=current_user)


def _with_image(course: Course, form: Any, kind: str, body: str) -> str:
    """A page's text with the chosen image appended as Markdown (the image is stored first)."""
    image = Upload.of(_data(form, "image")) if kind == "page" else None
    if image is None:
        return body
    asset = add_asset(course, image, actor=current_user)
    url = url_for("courses.asset", course_id=course.id, asset_id=asset.id)
    return f"{body}\n\n![{asset.file.original_name}]({url})\n"


def _data(form: Any, name: str, default: Any = None) -> Any:
    """A field's data, or `default` when the field was removed for this item kind."""
    field = getattr(form, name, None)
    return default if field is None else field.data


def _item_settings(form: ItemForm, current: Item | None) -> ItemSettings:
    """The item's settings from the form; a kind that does not ask for points or a weight (a page,
    a link, a file) keeps what the item has (a new one: no points, weight 1)."""
    weight = _data(form, "weight")
    if weight is None:
        weight = current.weight if current is not None else Decimal(1)
    return ItemSettings(
        title=form.title.data or "",
        body=_data(form, "body") or "",
        url=_data(form, "url") or "",
        hidden=form.hidden.data,
        visible_from=parse_local(form.visible_from.data, current_user.timezone),
        completion=form.completion.data,
        completion_points=_data(form, "completion_points", current.completion_points if current else None),
        prerequisite_id=form.prerequisite.data or None,
        weight=weight,
    )


def _assignment_settings(form: AssignmentForm) -> AssignmentSettings:
    return AssignmentSettings(
        description=form.description.data or "",
        due_at=parse_local(form.due_at.data, current_user.timezone),
        cutoff_at=parse_local(form.cutoff_at.data, current_user.timezone),
        max_points=form.max_points.data or Decimal(10),
        rubric=getattr(form.rubric, "parsed", []),
        allow_text=form.allow_text.data,
        allow_files=form.allow_files.data,
        allowed_extensions=form.allowed_extensions.data or "",
        max_file_mb=form.max_file_mb.data or 0,
        max_files=form.max_files.data or 0,
        resubmission=form.resubmission.data,
    )


def _prerequisite_choices(course_id: int, exclude: int | None) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Item.id, Item.title, Module.title.label("module"))
        .join(Module, Module.id == Item.module_id)
        .where(Item.course_id == course_id)
        .order_by(Module.position, Module.id, Item.position, Item.id)
    ).all()
    return options(
        [(0, _("— none —"))] + [(r.id, f"{r.module} → {r.title}") for r in rows if r.id != exclude]
    )
