"""Subscriptions' pure rules: accepted values, which subscription decides, the forced news."""

from __future__ import annotations

import pytest

from community.subscriptions import rules
from community.subscriptions.rules import Choices, RuleError


@pytest.mark.parametrize("value", ["forum", "topic", "association"])
def test_targets_accepted(value: str) -> None:
    assert rules.target(value) == value


@pytest.mark.parametrize("value", ["", "course", "FORUM", None, 1, "topics"])
def test_unknown_target_refused_by_field(value: object) -> None:
    with pytest.raises(RuleError) as caught:
        rules.target(value)
    assert (caught.value.code, caught.value.field) == ("subscription_unknown_target", "target")


@pytest.mark.parametrize("value", ["", "weekly", "Each", None, True])
def test_unknown_mode_refused_by_field(value: object) -> None:
    with pytest.raises(RuleError) as caught:
        rules.mode(value)
    assert (caught.value.code, caught.value.field) == ("subscription_unknown_mode", "mode")


@pytest.mark.parametrize(
    ("value", "forced", "result"),
    [("each", True, "each"), ("digest", True, "digest"), ("off", False, "off"), ("each", False, "each")],
)
def test_chosen_mode(value: str, forced: bool, result: str) -> None:
    assert rules.chosen_mode(value, forced=forced) == result


def test_forced_subscription_cannot_be_turned_off() -> None:
    with pytest.raises(RuleError) as caught:
        rules.chosen_mode("off", forced=True)
    assert caught.value.code == "subscription_forced"


@pytest.mark.parametrize(
    ("choices", "forced", "result"),
    [
        (Choices(), False, ("off", "")),
        (Choices(forum="each"), False, ("each", "forum")),
        (Choices(association="digest"), False, ("digest", "association")),
        (Choices(topic="off", forum="each"), False, ("off", "topic")),
        (Choices(topic="each", forum="digest", association="off"), False, ("each", "topic")),
        (Choices(forum="off", association="each"), False, ("off", "forum")),
        (Choices(), True, ("each", "forum")),
        (Choices(forum="off"), True, ("each", "forum")),
        (Choices(forum="digest"), True, ("digest", "forum")),
        (Choices(topic="off", forum="digest"), True, ("each", "forum")),
        (Choices(topic="digest"), True, ("digest", "topic")),
    ],
)
def test_the_most_specific_subscription_decides(
    choices: Choices, forced: bool, result: tuple[str, str]
) -> None:
    assert rules.effective(choices, forced=forced) == result
