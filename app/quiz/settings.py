"""Quiz pages for a bank's managers: a quiz's settings and its slots (fixed questions, random draws
from a category, order)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.permissions.courses import can_author_course
from app.quiz import bp
from app.quiz import forms as quiz_forms
from app.quiz.access import category_choices, managed_bank, managed_quiz
from app.quiz.picker import build_picker
from app.quiz.placement import place_form
from app.quiz.places import page_place, quiz_placements
from app.timeutil import parse_local, to_form_time
from app.view_actions import submit
from courses.quiz.banks import category_paths
from courses.quiz.models import Question, QuestionBank, Quiz, QuizSlot
from courses.quiz.quizzes import (
    add_questions,
    add_random_slot,
    create_quiz,
    has_attempts,
    move_slot,
    quiz_slots,
    remove_slot,
    update_quiz,
)


def _settings(form: quiz_forms.QuizForm) -> dict[str, Any]:
    zone = current_user.timezone
    return {
        "title": form.title.data or "",
        "description": form.description.data or "",
        "opens_at": parse_local(form.opens_at.data, zone),
        "closes_at": parse_local(form.closes_at.data, zone),
        "time_limit_minutes": form.time_limit_minutes.data,
        "attempts_allowed": form.attempts_allowed.data,
        "grading_method": form.grading_method.data,
        "max_grade": form.max_grade.data,
        "shuffle_questions": bool(form.shuffle_questions.data),
        "shuffle_answers": bool(form.shuffle_answers.data),
        "review_when": form.review_when.data,
        "review_score": bool(form.review_score.data),
        "review_answers": bool(form.review_answers.data),
        "review_feedback": bool(form.review_feedback.data),
    }


def _edit_url(quiz: Any) -> str:
    return url_for("quiz.quiz_edit", quiz_id=quiz.id)


def _filtering() -> bool:
    """Whether the picker's «Найти» or a page button sent the form (show it again, save nothing)."""
    return request.method == "POST" and ("filter" in request.form or "page" in request.form)


@bp.route("/banks/<int:bank_id>/quizzes/new", methods=["GET", "POST"])
@login_required
def quiz_new(bank_id: int):  # type: ignore[no-untyped-def]
    bank = managed_bank(bank_id)
    form = quiz_forms.NewQuizForm()
    picker = build_picker(bank, request.form if request.method == "POST" else request.args)
    if not _filtering() and form.validate_on_submit():
        done = submit(
            form,
            lambda: create_quiz(
                bank, question_ids=form.question_ids.data or [], actor=current_user, **_settings(form)
            ),
            done=_("Quiz created."),
            then=_edit_url,
        )
        if done is not None:
            return done
    return render_template(
        "quiz/quiz_form.html", form=form, bank=bank, quiz=None, picker=picker, **page_place(bank)
    ), form_status(form)


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@login_required
def quiz_edit(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = managed_quiz(quiz_id)
    if request.method == "POST":
        form = quiz_forms.QuizForm()
    else:
        zone = current_user.timezone
        form = quiz_forms.QuizForm(
            obj=quiz,
            data={
                "opens_at": to_form_time(quiz.opens_at, zone),
                "closes_at": to_form_time(quiz.closes_at, zone),
            },
        )
        form.opens_at.data = to_form_time(quiz.opens_at, zone)
        form.closes_at.data = to_form_time(quiz.closes_at, zone)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: update_quiz(quiz, actor=current_user, **_settings(form)),
            done=_("Quiz settings saved."),
            then=_edit_url(quiz),
        )
        if done is not None:
            return done
    return _quiz_edit_page(quiz, quiz.bank, form), form_status(form)


def _quiz_edit_page(
    quiz: Quiz, bank: QuestionBank, form: Any, add_form: Any = None, random_form: Any = None
) -> str:
    add_form = add_form or quiz_forms.AddQuestionsForm(formdata=None)
    random_form = random_form or quiz_forms.RandomSlotForm(formdata=None)
    random_form.category_id.choices = category_choices(bank, False)
    place = page_place(bank, quiz)
    placement = quiz_placements([quiz.id]).get(quiz.id)
    can_place = place["course"] is not None and can_author_course(current_user, place["course"].id)
    slots = quiz_slots(quiz)
    in_quiz = {s.question_id for s in slots if s.question_id is not None}
    picker = build_picker(bank, request.form if request.method == "POST" else request.args, exclude=in_quiz)
    names = dict(
        db.session.execute(
            select(Question.id, Question.name).where(
                Question.id.in_([s.question_id for s in slots if s.question_id])
            )
        ).all()
    )
    return render_template(
        "quiz/quiz_form.html",
        form=form,
        bank=bank,
        quiz=quiz,
        slots=slots,
        names=names,
        paths=category_paths(bank.id),
        add_form=add_form,
        random_form=random_form,
        attempted=has_attempts(quiz),
        picker=picker,
        placement=placement,
        place_form=place_form(place["course"]) if placement is None and can_place else None,
        **place,
    )


@bp.route("/quizzes/<int:quiz_id>/slots", methods=["POST"])
@login_required
def quiz_add_questions(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = managed_quiz(quiz_id)
    add_form = quiz_forms.AddQuestionsForm()
    if _filtering():
        form = quiz_forms.QuizForm(formdata=None, obj=quiz)
        return _quiz_edit_page(quiz, quiz.bank, form, add_form=quiz_forms.AddQuestionsForm(formdata=None))
    if add_form.validate_on_submit():
        done = submit(
            add_form,
            lambda: add_questions(quiz, add_form.question_ids.data or [], actor=current_user),
            done=_("Questions added."),
            then=_edit_url(quiz),
            field="question_ids",
        )
        if done is not None:
            return done
    form = quiz_forms.QuizForm(formdata=None, obj=quiz)
    return _quiz_edit_page(quiz, quiz.bank, form, add_form=add_form), 422


@bp.route("/quizzes/<int:quiz_id>/random", methods=["POST"])
@login_required
def quiz_add_random(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = managed_quiz(quiz_id)
    random_form = quiz_forms.RandomSlotForm()
    random_form.category_id.choices = category_choices(quiz.bank, False)
    if random_form.validate_on_submit():
        done = submit(
            random_form,
            lambda: add_random_slot(
                quiz, random_form.category_id.data, random_form.random_count.data or 1, actor=current_user
            ),
            done=_("Random questions added."),
            then=_edit_url(quiz),
            field="random_count",
        )
        if done is not None:
            return done
    form = quiz_forms.QuizForm(formdata=None, obj=quiz)
    return _quiz_edit_page(quiz, quiz.bank, form, random_form=random_form), 422


@bp.route("/slots/<int:slot_id>/<action>", methods=["POST"])
@login_required
def slot_action(slot_id: int, action: str):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(QuizSlot, slot_id)
    quiz = managed_quiz(slot.quiz_id)
    try:
        if action == "remove":
            remove_slot(slot, actor=current_user)
        elif action in ("up", "down"):
            move_slot(slot, -1 if action == "up" else 1, actor=current_user)
        else:
            abort(404)
    except DomainError as error:  # not act(): success needs no message, the page shows the new order
        flash(error.message, "danger")
    return redirect(_edit_url(quiz))
