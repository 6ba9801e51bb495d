"""Quiz pages for tutors: everyone's attempts with their grades, the queue of answers to mark by
hand, marking one answer, and per-question statistics."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.i18n import _
from app.pagination import page_args, paginate
from app.quiz import bp
from app.quiz import forms as quiz_forms
from app.quiz.access import managed_quiz
from app.quiz.places import page_place
from app.security import is_local_path
from app.timeutil import utcnow
from app.view_actions import submit
from courses.quiz import marking
from courses.quiz.bank_questions import load_question
from courses.quiz.grades import attempt_grade_value, quiz_grades
from courses.quiz.models import Question, QuizAnswer, QuizAttempt
from courses.quiz.rules import ran_out_of_time
from courses.quiz.statistics import quiz_statistics


@bp.route("/quizzes/<int:quiz_id>/attempts")
@login_required
def quiz_attempts(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = managed_quiz(quiz_id)
    page, per_page = page_args(request.args)
    query = (
        select(QuizAttempt, User)
        .join(User, User.id == QuizAttempt.user_id)
        .where(QuizAttempt.quiz_id == quiz.id)
        .order_by(User.full_name, QuizAttempt.number, QuizAttempt.id)
    )
    listing = paginate(query, page, per_page, scalars=False)
    user_ids = [user.id for _attempt, user in listing.items]
    grades = quiz_grades([quiz.id], user_ids)
    return render_template(
        "quiz/attempts.html",
        quiz=quiz,
        page=listing,
        grades=grades,
        grade_of=lambda a: attempt_grade_value(a, quiz),
        timed_out=lambda a: ran_out_of_time(a.deadline, a.finished_at),
        **page_place(quiz.bank, quiz),
    )


@bp.route("/quizzes/<int:quiz_id>/grading")
@login_required
def grading_queue(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = managed_quiz(quiz_id)
    page, per_page = page_args(request.args, default_per_page=20)
    listing = paginate(marking.grading_queue([quiz.id]), page, per_page)
    attempt_ids = {a.attempt_id for a in listing.items}
    question_ids = {a.question_id for a in listing.items}
    attempts = {
        a.id: a for a in db.session.scalars(select(QuizAttempt).where(QuizAttempt.id.in_(attempt_ids)))
    }
    rows = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids)))}
    users = {
        u.id: u
        for u in db.session.scalars(select(User).where(User.id.in_({a.user_id for a in attempts.values()})))
    }
    return render_template(
        "quiz/grading.html",
        quiz=quiz,
        page=listing,
        attempts=attempts,
        rows=rows,
        users=users,
        load=load_question,
        grade_form=quiz_forms.GradeForm(formdata=None),
        **page_place(quiz.bank, quiz),
    )


@bp.route("/answers/<int:answer_id>/grade", methods=["POST"])
@login_required
def answer_grade(answer_id: int):  # type: ignore[no-untyped-def]
    answer = db.get_or_404(QuizAnswer, answer_id)
    attempt = db.get_or_404(QuizAttempt, answer.attempt_id)
    quiz = managed_quiz(attempt.quiz_id)
    form = quiz_forms.GradeForm()
    back = request.form.get("next") or url_for("quiz.grading_queue", quiz_id=quiz.id)
    if not is_local_path(back):
        back = url_for("quiz.grading_queue", quiz_id=quiz.id)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: marking.grade_answer(
                answer, form.points.data, form.comment.data or "", actor=current_user, now=utcnow()
            ),
            done=_("Grade saved."),
            then=back,
            field="points",
        )
        if done is not None:
            return done
    return render_template(
        "quiz/grade_answer.html",
        quiz=quiz,
        answer=answer,
        attempt=attempt,
        form=form,
        row=db.session.get(Question, answer.question_id),
        back=back,
        **page_place(quiz.bank, quiz),
    ), 422


@bp.route("/quizzes/<int:quiz_id>/statistics")
@login_required
def quiz_stats(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = managed_quiz(quiz_id)
    return render_template(
        "quiz/statistics.html", quiz=quiz, stats=quiz_statistics(quiz.id), **page_place(quiz.bank, quiz)
    )
