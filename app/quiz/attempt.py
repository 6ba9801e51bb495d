"""Quiz pages for students: a quiz's start page, the attempt (one page, autosaved), its review and
the list of one's own attempts. The quiz owner's attempt policy decides who may start."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts import User
from app.after_response import after_response
from app.domain_errors import DomainError
from app.extensions import db
from app.i18n import _
from app.pagination import page_args, paginate
from app.permissions.quiz import can_answer_attempt, can_manage_quiz
from app.quiz import bp
from app.quiz import forms as quiz_forms
from app.quiz.access import visible_attempt
from app.quiz.controls import attempt_questions, attempt_squares
from app.quiz.places import page_place, quiz_place
from app.timeutil import utcnow
from courses.quiz.answer_words import right_answer
from courses.quiz.attempt_flags import toggle_flag
from courses.quiz.attempts import (
    AttemptItem,
    attempt_items,
    can_review,
    finish_attempt,
    is_overdue,
    save_answers,
    start_attempt,
    user_attempts,
)
from courses.quiz.grades import attempt_grade_value, quiz_grades
from courses.quiz.models import AttemptState, Quiz, QuizAttempt
from courses.quiz.overdue import finish_if_overdue, shown_finished
from courses.quiz.quizzes import quiz_slots
from courses.quiz.rules import ran_out_of_time
from courses.quiz.student_view import answers_from_fields


@bp.route("/quizzes/<int:quiz_id>")
@login_required
def quiz_view(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = db.get_or_404(Quiz, quiz_id)
    attempts = user_attempts(quiz, current_user)
    now = utcnow()
    for attempt in attempts:
        if is_overdue(attempt, now):  # finished after this page (a GET does not write)
            after_response(partial(finish_if_overdue, attempt.id, now))
    grade = quiz_grades([quiz.id], [current_user.id]).get((quiz.id, current_user.id))
    count = sum(s.random_count for s in quiz_slots(quiz))
    left = None if quiz.attempts_allowed is None else max(0, quiz.attempts_allowed - len(attempts))
    manages = can_manage_quiz(current_user, quiz)
    return render_template(
        "quiz/quiz_start.html",
        quiz=quiz,
        attempts=attempts,
        grade=grade,
        count=count,
        left=left,
        in_progress=next((a for a in attempts if not shown_finished(a, now)), None),
        manages=manages,
        now=now,
        can_review=lambda a: can_review(a, quiz, now),
        grade_of=lambda a: attempt_grade_value(a, quiz),
        timed_out=lambda a: ran_out_of_time(a.deadline, a.finished_at),
        **page_place(quiz.bank, manager=manages),
    )


@bp.route("/quizzes/<int:quiz_id>/start", methods=["POST"])
@login_required
def attempt_start(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = db.get_or_404(Quiz, quiz_id)
    try:  # not act(): the owner's policy may forbid (a 403 page), other refusals are a warning
        attempt = start_attempt(quiz, current_user, utcnow())
    except DomainError as error:
        if error.status == 403:
            abort(403, description=error.message)
        flash(error.message, "warning")
        return redirect(url_for("quiz.quiz_view", quiz_id=quiz.id))
    return redirect(url_for("quiz.attempt_page", attempt_id=attempt.id))


def _answers(items: list[AttemptItem]) -> dict[int, object]:
    return answers_from_fields([(item.slot, item.view) for item in items], request.form)


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt_page(attempt_id: int):  # type: ignore[no-untyped-def]
    attempt, quiz = visible_attempt(attempt_id)
    if not can_answer_attempt(current_user, attempt):
        return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
    now = utcnow()
    if is_overdue(attempt, now) and request.method == "GET":
        # Finished once this answer is sent, before the browser follows it to the review.
        after_response(partial(finish_if_overdue, attempt.id, now))
        return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
    if attempt.state == AttemptState.FINISHED:
        return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
    items = attempt_items(attempt, quiz)
    errors: dict[int, str] = {}
    if request.method == "POST":
        try:  # not act(): a late answer is a warning that leads to the review
            errors = save_answers(attempt, _answers(items), now)
        except DomainError as error:
            flash(error.message, "warning")
            return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
        action = request.form.get("action") or ""
        if not errors and action.startswith("flag-") and action[5:].isdigit():
            return _flag_and_return(attempt, int(action[5:]), now)
        if not errors and action == "finish":
            finish_attempt(attempt, now)
            flash(_("Attempt finished."), "success")
            return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
        if not errors:
            flash(_("Answers saved."), "success")
            return redirect(url_for("quiz.attempt_page", attempt_id=attempt.id))
        items = attempt_items(attempt, quiz)
    return render_template(
        "quiz/attempt.html",
        attempt=attempt,
        quiz=quiz,
        items=items,
        attempt_squares=attempt_squares(items),
        attempt_questions=attempt_questions(items, errors),
        slots=",".join(str(i.slot) for i in items),
        crumbs=quiz_place(quiz, manager=False).crumbs,
    ), 422 if errors else 200


def _flag_and_return(attempt: QuizAttempt, slot: int, now: datetime) -> Response:
    """The flag button without JavaScript: the answers are saved, the flag flips, back to the question."""
    try:
        toggle_flag(attempt, slot, now)
    except DomainError as error:
        flash(error.message, "warning")
    return redirect(url_for("quiz.attempt_page", attempt_id=attempt.id, _anchor=f"slot-{slot}"))


@bp.route("/attempts/<int:attempt_id>/autosave", methods=["POST"])
@login_required
def attempt_autosave(attempt_id: int):  # type: ignore[no-untyped-def]
    """The page's autosave (static/js/quiz.js): the whole form, answers saved before anything else."""
    attempt, quiz = visible_attempt(attempt_id)
    if not can_answer_attempt(current_user, attempt):
        return jsonify(
            {"error": {"code": "forbidden", "message": _("This is not your attempt."), "fields": {}}}
        ), 403
    items = attempt_items(attempt, quiz)
    try:
        errors = save_answers(attempt, _answers(items), utcnow())
    except DomainError as error:
        return jsonify(
            {
                "error": {
                    "code": error.code,
                    "message": error.message,
                    "fields": {},
                    "redirect": url_for("quiz.attempt_review", attempt_id=attempt.id),
                }
            }
        ), error.status
    if errors:
        return jsonify(
            {
                "error": {
                    "code": "validation",
                    "message": _("Some answers could not be saved."),
                    "fields": {f"q{k}": v for k, v in errors.items()},
                }
            }
        ), 422
    return jsonify({"saved": True, "at": utcnow().isoformat()})


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def attempt_review(attempt_id: int):  # type: ignore[no-untyped-def]
    attempt, quiz = visible_attempt(attempt_id)
    now = utcnow()
    if is_overdue(attempt, now):
        after_response(partial(finish_if_overdue, attempt.id, now))
        if "finished" not in request.args:
            # The finish is written once this response is built; the next load shows the attempt
            # finished and graded (once only: should the write fail, the page shows what it can).
            return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id, finished=1))
    manager = can_manage_quiz(current_user, quiz)
    if not shown_finished(attempt, now) and attempt.user_id == current_user.id:
        return redirect(url_for("quiz.attempt_page", attempt_id=attempt.id))
    open_review = manager or can_review(attempt, quiz, now)
    items = attempt_items(attempt, quiz) if open_review else []
    student = db.session.get(User, attempt.user_id)
    return render_template(
        "quiz/review.html",
        attempt=attempt,
        quiz=quiz,
        items=items,
        open_review=open_review,
        manager=manager,
        student=student,
        show_score=manager or quiz.review_score,
        show_answers=manager or quiz.review_answers,
        show_feedback=manager or quiz.review_feedback,
        grade=attempt_grade_value(attempt, quiz),
        timed_out=ran_out_of_time(attempt.deadline, attempt.finished_at),
        right_answer=partial(right_answer, true=_("True"), false=_("False")),
        **page_place(quiz.bank, quiz, manager=manager),
        grade_form=quiz_forms.GradeForm(formdata=None),
    )


@bp.route("/my")
@login_required
def my_attempts():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args)
    query = (
        select(QuizAttempt, Quiz)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(QuizAttempt.user_id == current_user.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id)
    )
    return render_template("quiz/my_attempts.html", page=paginate(query, page, per_page, scalars=False))
