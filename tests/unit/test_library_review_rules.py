"""Moderation's and associations' pure rules: a decision's reason, the queue's age, who may belong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.associations.rules import check_association, check_leaving, check_may_belong, check_member_role
from community.library.review_rules import check_decision, queue_is_late, waiting_days
from community.rules import RuleError

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("decision", "reason", "expected"),
    [
        ("publish", "", ""),
        ("publish", "  Хороший урок  ", "Хороший урок"),
        ("reject", "Нет файла с конспектом", "Нет файла с конспектом"),
    ],
)
def test_a_valid_decision_returns_the_reason_stripped(decision: str, reason: str, expected: str) -> None:
    assert check_decision(decision, reason) == expected


@pytest.mark.parametrize(
    ("decision", "reason", "code", "field"),
    [
        ("reject", "", "required", "reason"),
        ("reject", "   \n ", "required", "reason"),
        ("approve", "ok", "review_unknown_decision", "decision"),
        ("", "", "review_unknown_decision", "decision"),
        ("reject", "я" * 5001, "too_long", "reason"),
    ],
)
def test_a_decision_is_refused_with_a_code_by_its_field(
    decision: str, reason: str, code: str, field: str
) -> None:
    with pytest.raises(RuleError) as refused:
        check_decision(decision, reason)
    assert (refused.value.code, refused.value.field) == (code, field)


@pytest.mark.parametrize(
    ("submitted", "days"),
    [
        (None, 0),
        (NOW, 0),
        (NOW - timedelta(hours=23, minutes=59), 0),
        (NOW - timedelta(days=1), 1),
        (NOW - timedelta(days=3, hours=5), 3),
        (NOW + timedelta(hours=1), 0),  # a clock a little ahead never gives a negative age
    ],
)
def test_waiting_days_counts_whole_days(submitted: datetime | None, days: int) -> None:
    assert waiting_days(submitted, NOW) == days


@pytest.mark.parametrize(
    ("oldest", "late"),
    [
        (None, False),
        (NOW - timedelta(days=3), False),
        (NOW - timedelta(days=3, seconds=1), True),
        (NOW - timedelta(days=10), True),
        (NOW - timedelta(hours=1), False),
    ],
)
def test_the_queue_is_late_once_its_oldest_waited_more_than_the_days(
    oldest: datetime | None, late: bool
) -> None:
    assert queue_is_late(oldest, NOW, 3) is late


@pytest.mark.parametrize(
    ("name", "description", "district", "policy", "code", "field"),
    [
        ("", "", "", "open", "required", "name"),
        ("   ", "", "", "open", "required", "name"),
        ("М" * 256, "", "", "open", "too_long", "name"),
        ("МО", "о" * 5001, "", "open", "too_long", "description"),
        ("МО", "", "р" * 256, "open", "too_long", "district"),
        ("МО", "", "", "closed", "association_unknown_policy", "join_policy"),
    ],
)
def test_an_invalid_association_is_refused(
    name: str, description: str, district: str, policy: str, code: str, field: str
) -> None:
    with pytest.raises(RuleError) as refused:
        check_association(name, description, district, policy)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_a_valid_association_passes() -> None:
    check_association("МО учителей физики", "Для учителей района", "Ленинский район", "request")


@pytest.mark.parametrize(
    ("role", "active", "code"),
    [("student", True, "association_pupil"), ("teacher", False, "association_inactive_user")],
)
def test_pupils_and_deactivated_accounts_never_belong(role: str, active: bool, code: str) -> None:
    with pytest.raises(RuleError) as refused:
        check_may_belong(role, active)
    assert refused.value.code == code


@pytest.mark.parametrize("role", ["teacher", "methodist", "admin", "organiser", "juror"])
def test_adults_may_belong(role: str) -> None:
    check_may_belong(role, True)


def test_member_roles() -> None:
    check_member_role("leader")
    check_member_role("member")
    with pytest.raises(RuleError):
        check_member_role("owner")


@pytest.mark.parametrize(
    ("role", "others", "refused"),
    [("leader", 0, True), ("leader", 1, False), ("member", 0, False)],
)
def test_the_last_leader_stays(role: str, others: int, refused: bool) -> None:
    if refused:
        with pytest.raises(RuleError):
            check_leaving(role, others)
    else:
        check_leaving(role, others)
