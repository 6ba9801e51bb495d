"""Who may do what in the quiz engine. A bank belongs to a course or a contest, so its owner's room
decides who manages it: course teachers (author, tutor) or contest organisers. Students' right to
start an attempt is the owner's attempt policy (courses.quiz.policies.register_attempt_policy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.permissions import _signed_in, is_admin
from app.permissions.contests import can_organise_contest
from app.permissions.courses import can_teach_course

BankManager = Callable[[Any, int], bool]
_managers: dict[str, BankManager] = {}


def register_bank_owner(owner_type: str, can_manage: BankManager) -> None:
    """Let another owner type (or a test) say who manages its banks."""
    _managers[owner_type] = can_manage


def _course_teacher(user: Any, course_id: int) -> bool:
    return bool(can_teach_course(user, course_id))  # the courses room owns this rule


def _contest_organiser(user: Any, contest_id: int) -> bool:
    return bool(can_organise_contest(user, contest_id))  # the contests room owns this rule


def _manager_for(owner_type: str) -> BankManager | None:
    if owner_type in _managers:
        return _managers[owner_type]
    return {"course": _course_teacher, "contest": _contest_organiser}.get(owner_type)


def can_manage_bank(user: Any, bank: Any) -> bool:
    """Create, edit, import and export questions; build quizzes; see attempts and grade them."""
    if not _signed_in(user):
        return False
    if is_admin(user):
        return True
    manager = _manager_for(bank.owner_type)
    if manager is None:
        return False
    return manager(user, bank.owner_id)


def can_manage_quiz(user: Any, quiz: Any) -> bool:
    return can_manage_bank(user, quiz.bank)


def can_take_quiz(user: Any, quiz: Any) -> bool:
    """Signed-in people may ask to start; the owner's attempt policy then decides."""
    return _signed_in(user)


def can_view_attempt(user: Any, attempt: Any, quiz: Any) -> bool:
    """A student sees their own attempts; the bank's managers see everyone's."""
    if not _signed_in(user):
        return False
    return bool(attempt.user_id == user.id or can_manage_quiz(user, quiz))


def can_answer_attempt(user: Any, attempt: Any) -> bool:
    """Only the student who started it answers in an attempt."""
    return _signed_in(user) and attempt.user_id == user.id
