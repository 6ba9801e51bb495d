"""API endpoints of the quiz room (see shared/API.md): attempts, answers, finishing, grades."""

from __future__ import annotations

from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.after_response import after_response
from app.api.core import ApiError, api_user, endpoint, not_found, require_api
from app.extensions import db
from app.i18n import _
from app.permissions.quiz import can_answer_attempt, can_manage_quiz, can_take_quiz, can_view_attempt
from app.timeutil import utcnow
from courses.quiz import attempts, grades
from courses.quiz.models import AttemptState, Quiz, QuizAttempt
from courses.quiz.overdue import finish_if_overdue
from courses.quiz.student_view import view_parts


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Any = None


class FinishOut(BaseModel):
    state: str
    score: float | None
    max_score: float
    needs_grading: bool


def _decimal(value: Any) -> float | int | None:
    """Numbers as JSON numbers (whole ones without a fraction part); exact values stay in the database."""
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def attempt_json(
    attempt: QuizAttempt, quiz: Quiz, *, with_answers: bool, shown: list[attempts.AttemptItem] | None = None
) -> dict[str, Any]:
    """The attempt as API.md shows it: questions in slot order, saved answers, the score once finished.
    `shown`: the items a start has just drawn (read from the database when not given)."""
    items = []
    for item in attempts.attempt_items(attempt, quiz) if shown is None else shown:
        view = item.view
        entry: dict[str, Any] = {
            "slot": item.slot,
            "question_id": item.row.id,
            "type": item.row.type,
            "name": item.question.name,
            "text": view["text"],
            "text_format": view["text_format"],
            "mark": _decimal(item.answer_row.max_mark),
        }
        entry.update(view_parts(view))
        if with_answers:
            entry["answer"] = item.answer_row.answer
            if attempt.state == AttemptState.FINISHED:
                entry["points"] = _decimal(item.answer_row.points)
                entry["needs_grading"] = item.answer_row.needs_grading
        items.append(entry)
    payload: dict[str, Any] = {
        "id": attempt.id,
        "quiz_id": quiz.id,
        "number": attempt.number,
        "state": str(attempt.state),
        "started_at": attempt.started_at.isoformat(),
        "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
        "questions": items,
    }
    if attempt.state == AttemptState.FINISHED:
        payload.update(finish_json(attempt))
        payload["finished_at"] = attempt.finished_at.isoformat() if attempt.finished_at else None
    return payload


def finish_json(attempt: QuizAttempt) -> dict[str, Any]:
    return {
        "state": str(attempt.state),
        "score": _decimal(attempt.score),
        "max_score": _decimal(attempt.max_score),
        "needs_grading": attempt.needs_grading,
    }


def _quiz(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        raise not_found()
    return quiz


def _attempt(attempt_id: int) -> tuple[QuizAttempt, Quiz]:
    """The attempt if the caller may see it; another student's attempt is a 404 (its existence is
    not theirs to know)."""
    found = attempts.get_attempt(attempt_id)
    if found is None or not can_view_attempt(api_user(), found[0], found[1]):
        raise not_found()
    return found


@endpoint(
    "/quizzes/<int:quiz_id>/attempts",
    "POST",
    summary="Start (or resume) an attempt",
    tag="quizzes",
    status=201,
)
def start_attempt(quiz_id: int) -> Any:
    user = api_user()
    quiz = _quiz(quiz_id)
    require_api(can_take_quiz(user, quiz))
    now = utcnow()
    attempt, drawn = attempts.begin_attempt(quiz, user, now)
    # A new attempt comes with the items it has just drawn (shown without reading them back); one
    # begun earlier (or by a simultaneous start) is resumed with its saved answers.
    if drawn is None:
        return attempt_json(attempt, quiz, with_answers=True), 200
    return attempt_json(attempt, quiz, with_answers=False, shown=drawn), 201


@endpoint(
    "/attempts/<int:attempt_id>",
    summary="An attempt with its saved answers (and its score once finished)",
    tag="quizzes",
)
def get_attempt(attempt_id: int) -> Any:
    attempt, quiz = _attempt(attempt_id)
    now = utcnow()
    if attempts.is_overdue(attempt, now):  # a GET does not write: finished once this answer is built
        after_response(partial(finish_if_overdue, attempt.id, now))
    return attempt_json(attempt, quiz, with_answers=True)


@endpoint(
    "/attempts/<int:attempt_id>/answers/<int:slot>",
    "PUT",
    summary="Save one answer (autosave)",
    tag="quizzes",
    body=AnswerIn,
)
def save_answer(attempt_id: int, slot: int, body: AnswerIn) -> Any:
    found = attempts.answer_in_attempt(attempt_id, slot)  # the attempt, its quiz and the slot at once
    if found is None or not can_view_attempt(api_user(), found[0], found[1]):
        raise not_found()
    attempt, _quiz_row, answer_row, row = found
    if not can_answer_attempt(api_user(), attempt):
        raise ApiError(403, _("Only the student who started this attempt answers in it."))
    attempts.save_loaded_answer(attempt, slot, answer_row, row, body.answer, utcnow())
    return {"slot": slot, "saved": True}


@endpoint(
    "/attempts/<int:attempt_id>/finish",
    "POST",
    summary="Finish and grade an attempt (idempotent)",
    tag="quizzes",
    response=FinishOut,
)
def finish_attempt(attempt_id: int) -> Any:
    attempt, _quiz_row = _attempt(attempt_id)
    if not can_answer_attempt(api_user(), attempt):
        raise ApiError(403, _("Only the student who started this attempt can finish it."))
    attempt = attempts.finish_attempt(attempt, utcnow())
    return finish_json(attempt)


@endpoint(
    "/quizzes/<int:quiz_id>/grades",
    summary="Each student's quiz grade by the grading method (tutor)",
    tag="quizzes",
)
def quiz_grades(quiz_id: int) -> Any:
    quiz = _quiz(quiz_id)
    require_api(can_manage_quiz(api_user(), quiz))
    found = grades.quiz_grades([quiz.id])
    items = [{"user_id": user_id, "grade": _decimal(grade)} for (_q, user_id), grade in sorted(found.items())]
    return {"items": items, "max_grade": _decimal(quiz.max_grade), "grading_method": str(quiz.grading_method)}
