"""Pure rules of registering for an event: whether registration is still open, whether a place may
be given up, and the answers to the form's questions as stored. No database, no Flask: the service
passes plain values and turns a `RuleError` into a refusal (422 for answers, 409 for the state)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from community.rules import RuleError, bounded_text

ANSWER_LIMIT = 1000
# Refusals that are about the event's state, not the input: the service answers them with 409.
STATE_CODES = frozenset({"reg_cancelled", "reg_event_started", "reg_closed", "reg_twice", "reg_none"})


def check_open(*, cancelled: bool, starts_at: datetime, closes_at: datetime | None, now: datetime) -> None:
    """Registration is open until the deadline (if any) and never once the event has begun."""
    if cancelled:
        raise RuleError("reg_cancelled")
    if now >= starts_at:
        raise RuleError("reg_event_started")
    if closes_at is not None and now >= closes_at:
        raise RuleError("reg_closed")


def check_cancellable(*, status: str | None, starts_at: datetime, now: datetime) -> None:
    """One gives up a place or a waiting position before the event begins; afterwards the record
    of who was registered stays (attendance and certificates read it)."""
    if status not in ("registered", "waiting"):
        raise RuleError("reg_none")
    if now >= starts_at:
        raise RuleError("reg_event_started")


def answer_field(question_id: str) -> str:
    return f"answer_{question_id}"


def clean_answers(questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]) -> dict[str, str]:
    """The answers kept, by question id: stripped, required ones present, each bounded; answers to
    questions the form does not ask are dropped."""
    kept: dict[str, str] = {}
    for question in questions:
        question_id = str(question.get("id", ""))
        if not question_id:
            continue
        value = bounded_text(
            answers.get(question_id, ""),
            field=answer_field(question_id),
            limit=ANSWER_LIMIT,
            empty="reg_answer_required",
            required=bool(question.get("required")),
        )
        if value:
            kept[question_id] = value
    return kept


def waiting_position(ahead: int) -> int:
    """The place in the queue shown to a waiting person: those waiting before them, plus one."""
    return ahead + 1
