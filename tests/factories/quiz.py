"""Quiz engine test data: a test-only owner type whose attempt policy and managers the tests
control, banks with one question of each type, quizzes made through the services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from app.accounts import Role
from app.extensions import db
from app.permissions import quiz as quiz_permissions
from courses.quiz.bank_gift import import_gift
from courses.quiz.banks import create_bank
from courses.quiz.models import Question, QuestionBank, Quiz
from courses.quiz.policies import AttemptPolicy, register_attempt_policy, unregister_attempt_policy
from courses.quiz.quizzes import create_quiz

OWNER = "testing"

ALL_TYPES_GIFT = """\
$CATEGORY: Основы
::Столица::Столица России? {=Москва ~Санкт-Петербург ~Казань}

::Простые::Какие числа простые? {~%50%2 ~%50%3 ~%-100%4}

::Земля::Земля круглая. {T}

::Слово::Как по-английски «кошка»? {=cat =%50%kitten}

::Число::Сколько будет 7 / 2? {#3.5:0.1}

::Пары::Сопоставьте. {=кошка -> cat =собака -> dog =корова -> cow}

::Сочинение::Опишите ваш урок. {}

::Пропуски::Столица Франции {1:SHORTANSWER:=Париж}, а 2+2 = {1:NUMERICAL:=4:0}.

::Справка::Это пояснение без вопроса.
"""


@dataclass
class Owner:
    """Who the test owner lets in: `students` may start, `managers` manage banks."""

    allowed: bool = True
    reason: str = ""
    cap: datetime | None = None
    managers: set[int] = field(default_factory=set)


@pytest.fixture()
def quiz_owner(app: Any) -> Iterator[Owner]:
    """Register the test-only owner type: students may start; teachers in `managers` (and admins)
    manage. Unregistered afterwards so no other test sees it."""
    owner = Owner()

    def policy(user: Any, quiz: Quiz, now: datetime) -> AttemptPolicy:
        if user.role != Role.STUDENT:
            return AttemptPolicy(False, "Only students take this quiz.", None, True)
        return AttemptPolicy(owner.allowed, owner.reason, owner.cap)

    register_attempt_policy(OWNER, policy)
    quiz_permissions.register_bank_owner(OWNER, lambda user, owner_id: user.id in owner.managers)
    yield owner
    unregister_attempt_policy(OWNER)
    quiz_permissions._managers.pop(OWNER, None)


def make_bank(title: str = "Банк вопросов", owner_id: int = 1) -> QuestionBank:
    bank = create_bank(OWNER, owner_id, title)
    db.session.commit()
    return bank


def bank_with_all_types(actor: Any = None) -> tuple[QuestionBank, dict[str, Question]]:
    bank = make_bank()
    report = import_gift(bank, ALL_TYPES_GIFT, actor=actor)
    assert not report.errors, report.errors
    return bank, {q.type: q for q in report.imported}


def make_quiz(bank: QuestionBank, rows: list[Question], actor: Any = None, **settings: Any) -> Quiz:
    settings.setdefault("attempts_allowed", None)
    settings.setdefault("max_grade", Decimal("10"))
    return create_quiz(
        bank,
        title=settings.pop("title", "Проверочный тест"),
        question_ids=[r.id for r in rows],
        actor=actor,
        **settings,
    )
