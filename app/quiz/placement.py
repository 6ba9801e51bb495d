"""Quiz pages for a course's authors: putting a quiz made in the course's question bank into a
module, the one step that shows it to the course's students (a quiz made as a course item is
placed already)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import select_options
from app.i18n import _
from app.permissions import require
from app.permissions.courses import can_author_course
from app.quiz import bp
from app.quiz import forms as quiz_forms
from app.quiz.access import managed_quiz
from courses.models import Course, Module
from courses.quiz_items import place_quiz


def module_choices(course: Course) -> list[Any]:
    """The course's modules in their order, for the placing form."""
    rows = db.session.execute(
        select(Module.id, Module.title)
        .where(Module.course_id == course.id)
        .order_by(Module.position, Module.id)
        .limit(500)
    ).all()
    return select_options([(r.id, r.title) for r in rows])


def place_form(course: Course | None) -> quiz_forms.PlaceForm | None:
    """The empty placing form for a course's quiz (None outside a course)."""
    if course is None:
        return None
    form = quiz_forms.PlaceForm(formdata=None)
    form.module_id.choices = module_choices(course)
    return form


@bp.route("/quizzes/<int:quiz_id>/place", methods=["POST"])
@login_required
def quiz_place(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = managed_quiz(quiz_id)
    if quiz.bank.owner_type != "course":
        abort(404)
    course = db.get_or_404(Course, quiz.bank.owner_id)
    require(can_author_course(current_user, course.id))
    form = quiz_forms.PlaceForm()
    form.module_id.choices = module_choices(course)
    back = url_for("quiz.quiz_edit", quiz_id=quiz.id)
    if not form.validate_on_submit():
        flash(_("Choose a module of the course."), "danger")
        return redirect(back), 303
    module = db.session.get(Module, form.module_id.data)
    assert module is not None  # the choices are the course's modules
    try:
        place_quiz(module, quiz, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(back), 303
    flash(
        _("The quiz is in the module «%(module)s»: the course's students see it.", module=module.title),
        "success",
    )
    return redirect(back)
