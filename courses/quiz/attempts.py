"""Quiz room: a student's attempt — start (drawing the questions), autosave, finish and grade, and
the clock's finishing of overdue attempts. Touches quiz_attempt and quiz_answer rows.

Attempt writes are conditional updates on the attempt's state, so two requests at once (two
finishes, a save racing a finish) leave one correct result on SQLite and PostgreSQL alike."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.i18n import _
from courses.quiz import grading, questions, rules
from courses.quiz.answer_shapes import AnswerShapeError, validate_answer
from courses.quiz.bank_questions import decode_question, load_question
from courses.quiz.drawing import AttemptItem as AttemptItem
from courses.quiz.drawing import draw, item
from courses.quiz.grade_keys import user_grades_key
from courses.quiz.messages import answer_shape_text
from courses.quiz.models import AttemptState, Question, Quiz, QuizAnswer, QuizAttempt
from courses.quiz.policies import policy_for


def in_progress_attempt(quiz: Quiz, user: User) -> QuizAttempt | None:
    """The user's unfinished attempt at this quiz, if any (a start resumes it)."""
    return db.session.scalar(
        select(QuizAttempt)
        .where(
            QuizAttempt.quiz_id == quiz.id,
            QuizAttempt.user_id == user.id,
            QuizAttempt.state == AttemptState.IN_PROGRESS,
        )
        .order_by(QuizAttempt.number.desc())
        .limit(1)
    )


def user_attempts(quiz: Quiz, user: User) -> list[QuizAttempt]:
    """The user's attempts at this quiz, first to last."""
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user.id)
            .order_by(QuizAttempt.number)
        )
    )


def start_attempt(quiz: Quiz, user: User, now: datetime) -> QuizAttempt:
    """Start (or resume) the user's attempt (see `begin_attempt`)."""
    return begin_attempt(quiz, user, now)[0]


def begin_attempt(quiz: Quiz, user: User, now: datetime) -> tuple[QuizAttempt, list[AttemptItem] | None]:
    """Start (or resume) the user's attempt; a new one comes with its items (built from the drawn
    rows, so showing it reads nothing back), a resumed one with None. Refusals: the owner's policy,
    the quiz's window, no attempts left. Two starts at once make one attempt (unique quiz, user,
    number)."""
    earlier = user_attempts(quiz, user)  # one statement: the one in progress, the count, the number
    current = next((a for a in reversed(earlier) if a.state == AttemptState.IN_PROGRESS), None)
    if current is not None and is_overdue(current, now):
        finish_attempt(current, now)
        current = None
    policy = policy_for(quiz, user, now)
    if not policy.allowed:
        error = Forbidden if policy.forbidden else Conflict
        raise error(policy.reason or _("You cannot start this quiz."))
    if current is not None:
        return current, None
    if not rules.is_open(quiz.opens_at, quiz.closes_at, now):
        if quiz.opens_at is not None and now < quiz.opens_at:
            raise Conflict(_("The quiz is not open yet."))
        raise Conflict(_("The quiz is closed."))
    used, number = len(earlier), max((a.number for a in earlier), default=0) + 1
    if quiz.attempts_allowed is not None and used >= quiz.attempts_allowed:
        raise Conflict(_("No attempts are left."))
    deadline = rules.attempt_deadline(now, quiz.time_limit_minutes, quiz.closes_at, policy.deadline_cap)
    if deadline is not None and deadline <= now:
        raise Conflict(_("The quiz is closed."))
    seed = random.SystemRandom().randrange(1, 2**31 - 1)
    drawn = draw(quiz, seed)
    if not drawn:
        raise Conflict(_("The quiz has no questions yet."))
    attempt = QuizAttempt(
        quiz_id=quiz.id,
        user_id=user.id,
        number=number,
        seed=seed,
        started_at=now,
        deadline=deadline,
        state=AttemptState.IN_PROGRESS,
        max_score=sum((d.mark for d in drawn if d.graded), Decimal(0)),
        needs_grading=False,
    )
    db.session.add(attempt)
    try:
        db.session.flush()
        rows = [
            {"attempt_id": attempt.id, "slot": i, "question_id": d.row.id, "max_mark": d.mark}
            for i, d in enumerate(drawn, start=1)
        ]
        db.session.execute(insert(QuizAnswer), rows)  # one executemany
        _commit_keeping()
    except IntegrityError:
        db.session.rollback()
        existing = in_progress_attempt(quiz, user)
        if existing is None:
            raise Conflict(_("Another attempt was started at the same moment; reload the page.")) from None
        return existing, None
    items = [
        item(row["slot"], QuizAnswer(**row), d.row, d.question, seed, quiz)
        for row, d in zip(rows, drawn, strict=True)
    ]
    return attempt, items


def _commit_keeping() -> None:
    """Commit without expiring the session's objects: the caller shows the rows it has just written
    (or read in the same transaction) and need not read them back."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    """Whether an unfinished attempt has passed its deadline (then it is finished with what was saved)."""
    return (
        attempt.state == AttemptState.IN_PROGRESS and attempt.deadline is not None and now >= attempt.deadline
    )


def attempt_items(attempt: QuizAttempt, quiz: Quiz) -> list[AttemptItem]:
    """The attempt's questions with saved answers, in one query."""
    pairs = db.session.execute(
        select(QuizAnswer, Question)
        .join(Question, Question.id == QuizAnswer.question_id)
        .where(QuizAnswer.attempt_id == attempt.id)
        .order_by(QuizAnswer.slot)
    ).all()
    return [
        item(answer_row.slot, answer_row, row, load_question(row), attempt.seed, quiz)
        for answer_row, row in pairs
    ]


def get_attempt(attempt_id: int) -> tuple[QuizAttempt, Quiz] | None:
    """The attempt with its quiz in one query, or None."""
    found = db.session.execute(
        select(QuizAttempt, Quiz)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(QuizAttempt.id == attempt_id)
    ).first()
    return (found[0], found[1]) if found else None


# The contest day's statements, built once with bound parameters (building one cost about as much
# as running it).
_SLOT_OF_ATTEMPT = (
    select(QuizAttempt, Quiz, QuizAnswer, Question)
    .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
    .outerjoin(
        QuizAnswer, and_(QuizAnswer.attempt_id == QuizAttempt.id, QuizAnswer.slot == bindparam("slot"))
    )
    .outerjoin(Question, Question.id == QuizAnswer.question_id)
    .where(QuizAttempt.id == bindparam("attempt_id"))
)
_TO_GRADE = (
    select(
        QuizAnswer.id, QuizAnswer.answer, QuizAnswer.max_mark, Question.id, Question.version, Question.data
    )
    .join(Question, Question.id == QuizAnswer.question_id)
    .where(QuizAnswer.attempt_id == bindparam("attempt_id"))
)


def answer_in_attempt(
    attempt_id: int, slot: int
) -> tuple[QuizAttempt, Quiz, QuizAnswer | None, Question | None] | None:
    """The attempt, its quiz, and the answer row and question of one slot (None, None when the
    attempt has no such slot) in one statement; None when there is no such attempt."""
    found = db.session.execute(_SLOT_OF_ATTEMPT, {"attempt_id": attempt_id, "slot": slot}).first()
    return (found[0], found[1], found[2], found[3]) if found else None


def save_answer(attempt: QuizAttempt, slot: int, raw: Any, now: datetime) -> QuizAnswer:
    """Autosave one answer (see `save_loaded_answer`)."""
    found = db.session.execute(
        select(QuizAnswer, Question)
        .join(Question, Question.id == QuizAnswer.question_id)
        .where(QuizAnswer.attempt_id == attempt.id, QuizAnswer.slot == slot)
    ).first()
    return save_loaded_answer(
        attempt, slot, found[0] if found else None, found[1] if found else None, raw, now
    )


def save_loaded_answer(
    attempt: QuizAttempt,
    slot: int,
    answer_row: QuizAnswer | None,
    row: Question | None,
    raw: Any,
    now: datetime,
) -> QuizAnswer:
    """Autosave one answer into its loaded row. Refused once the attempt is finished or past its
    deadline; an overdue attempt is finished with the answers saved before the deadline.

    Race-safety: the attempt row is touched first with a conditional update (state, deadline), so
    a save and a finish never interleave: either the save lands before the finish grades, or it is
    refused.
    """
    if answer_row is None or row is None:
        raise NotFound(_("There is no question %(slot)s in this attempt.", slot=slot))
    question = load_question(row)
    try:
        value = validate_answer(question, raw)
    except AnswerShapeError as error:
        message = answer_shape_text(error)
        raise Invalid(message, {error.field: message}) from None
    _claim_open_attempt(attempt, now)
    db.session.execute(
        update(QuizAnswer)
        .where(QuizAnswer.id == answer_row.id)
        .values(answer=value, saved_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return answer_row


def _claim_open_attempt(attempt: QuizAttempt, now: datetime) -> None:
    """Mark the attempt as saved now, but only while it is in progress and before its deadline
    (one conditional UPDATE, so a racing finish or a late answer cannot slip through). A late
    answer finishes the attempt with what was saved before and is refused."""
    condition = [QuizAttempt.id == attempt.id, QuizAttempt.state == AttemptState.IN_PROGRESS]
    if attempt.deadline is not None:
        condition.append(QuizAttempt.deadline > now)
    touched = db.session.execute(
        update(QuizAttempt)
        .where(*condition)
        .values(last_saved_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if touched != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        if attempt.state == AttemptState.IN_PROGRESS:
            finish_attempt(attempt, now)
            raise Conflict(
                _(
                    "Time is up: this answer came after the deadline and was not saved. "
                    "The attempt was finished with the answers saved before."
                )
            )
        raise Conflict(_("This attempt is finished: answers can no longer change."))


def save_answers(attempt: QuizAttempt, raw_answers: dict[int, Any], now: datetime) -> dict[int, str]:
    """Save several answers at once (the one-page form and its autosave): the valid ones are saved
    in one statement, the invalid ones come back as {slot: message}. Same refusals as save_answer."""
    pairs = db.session.execute(
        select(
            QuizAnswer.id, QuizAnswer.slot, QuizAnswer.answer, Question.id, Question.version, Question.data
        )
        .join(Question, Question.id == QuizAnswer.question_id)
        .where(QuizAnswer.attempt_id == attempt.id)
    ).all()
    errors: dict[int, str] = {}
    changes = []
    for answer_id, slot, stored, question_id, version, data in pairs:
        if slot not in raw_answers:
            continue
        try:
            value = validate_answer(decode_question(question_id, version, data), raw_answers[slot])
        except AnswerShapeError as error:
            errors[slot] = answer_shape_text(error)
            continue
        if value != stored:
            changes.append({"id": answer_id, "answer": value, "saved_at": now})
    _claim_open_attempt(attempt, now)
    if changes:
        db.session.execute(update(QuizAnswer), changes)
    db.session.commit()
    return errors


def grade_one(
    question: questions.AnyQuestion, max_mark: Decimal, answer: Any
) -> tuple[Fraction, Decimal, bool, str]:
    """(fraction, points, needs a tutor, feedback) of one answer; a reshaped question scores 0."""
    if not grading.is_graded(question):
        return Fraction(0), Decimal(0), False, ""
    try:
        result = grading.grade(question, answer)
    except AnswerShapeError:  # the question changed since the answer was saved
        result = grading.GradeResult(Fraction(0))
    return result.fraction, grading.mark(max_mark, result.fraction), result.needs_grading, result.feedback


def finish_attempt(attempt: QuizAttempt, now: datetime) -> QuizAttempt:
    """Finish and grade every auto-gradable answer at once (essays wait for a tutor).

    Idempotent and race-safe: a conditional update claims the attempt (state in_progress →
    finished); whoever loses the claim just reads the winner's result, so grading happens once.
    """
    finished_at = min(now, attempt.deadline) if attempt.deadline is not None else now
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.state == AttemptState.IN_PROGRESS)
        .values(state=AttemptState.FINISHED, finished_at=finished_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    pairs = db.session.execute(_TO_GRADE, {"attempt_id": attempt.id}).all()
    score = Decimal(0)
    pending = False
    updates = []
    for answer_id, answer, max_mark, question_id, version, data in pairs:
        question = decode_question(question_id, version, data)
        fraction, points, needs, feedback = grade_one(question, max_mark, answer)
        score += points
        pending = pending or needs
        updates.append(
            {
                "id": answer_id,
                "fraction": str(fraction),
                "points": points,
                "needs_grading": needs,
                "feedback": feedback,
            }
        )
    if updates:
        db.session.execute(update(QuizAnswer), updates)
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id)
        .values(score=score, needs_grading=pending)
        .execution_options(synchronize_session=False)
    )
    bump(user_grades_key(attempt.user_id))
    _commit_keeping()
    finished = {
        "state": AttemptState.FINISHED,
        "finished_at": finished_at,
        "score": score,
        "needs_grading": pending,
    }
    for name, value in finished.items():  # what was written, without reading the attempt back
        set_committed_value(attempt, name, value)
    return attempt


def finish_overdue(now: datetime) -> list[str]:
    """Finish every attempt past its deadline with what was saved (the clock; idempotent)."""
    overdue = list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.state == AttemptState.IN_PROGRESS, QuizAttempt.deadline <= now)
            .order_by(QuizAttempt.id)
            .limit(5000)
        )
    )
    db.session.commit()
    for attempt in overdue:
        finish_attempt(attempt, now)
    return [f"finished {len(overdue)} overdue attempts"] if overdue else []


def can_review(attempt: QuizAttempt, quiz: Quiz, now: datetime) -> bool:
    """Whether the student may see the review of this attempt now (the quiz's review option)."""
    return rules.review_open(
        str(quiz.review_when), attempt.state == AttemptState.FINISHED, quiz.closes_at, now
    )
