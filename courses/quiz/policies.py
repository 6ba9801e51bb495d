"""Quiz room: the attempt-policy registry — the owning room (courses, contests) decides who may
start its quizzes and until when. The app registers the policies where it is built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.accounts import User
from app.i18n import _
from courses.quiz.models import Quiz


@dataclass(frozen=True)
class AttemptPolicy:
    """The owner's answer to "may this user start this quiz now?". `deadline_cap` bounds the
    attempt (a contest stage's close); `forbidden` makes a refusal a 403 instead of a 409."""

    allowed: bool
    reason: str = ""
    deadline_cap: datetime | None = None
    forbidden: bool = False


PolicyFn = Callable[[User, Quiz, datetime], AttemptPolicy]
_policies: dict[str, PolicyFn] = {}


def register_attempt_policy(owner_type: str, policy: PolicyFn) -> None:
    """The owning room (courses, contests) decides who may start its quizzes."""
    _policies[owner_type] = policy


def unregister_attempt_policy(owner_type: str) -> None:
    """Forget an owner's policy (tests and apps that drop a room)."""
    _policies.pop(owner_type, None)


def policy_for(quiz: Quiz, user: User, now: datetime) -> AttemptPolicy:
    """The quiz owner's answer; a bank whose owner registered no policy cannot be taken at all."""
    policy = _policies.get(quiz.bank.owner_type)
    if policy is None:
        return AttemptPolicy(False, _("This quiz cannot be taken here."), None, True)
    return policy(user, quiz, now)
