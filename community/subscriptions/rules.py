"""Subscriptions' pure rules: the values a request may name, which of a person's subscriptions decides
for one post (the topic's over the forum's over the association's; a news forum never off for the
place's people), and when a person's next digest is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from community.rules import RuleError as RuleError  # re-exported: callers write rules.RuleError

TARGETS = ("forum", "topic", "association")
MODES = ("off", "each", "digest")
OFF, EACH, DIGEST = MODES
# A digest goes out at most once a day: a person is due when their last one covered posts up to a
# moment at least this long ago (the first one covers the last day).
DIGEST_INTERVAL = timedelta(hours=24)
# The mode of a news subscription nobody chose: every post by letter, as the course's teachers expect.
FORCED_DEFAULT = EACH


def target(value: object) -> str:
    if value not in TARGETS:
        raise RuleError("subscription_unknown_target", "target", values=", ".join(TARGETS))
    return str(value)


def mode(value: object) -> str:
    if value not in MODES:
        raise RuleError("subscription_unknown_mode", "mode", values=", ".join(MODES))
    return str(value)


def chosen_mode(value: object, *, forced: bool) -> str:
    """The mode asked for; off is refused for a subscription the place forces (course news)."""
    result = mode(value)
    if forced and result == OFF:
        raise RuleError("subscription_forced", "mode")
    return result


@dataclass(frozen=True)
class Choices:
    """One person's explicit modes for one post's topic, forum and association (None: no row)."""

    topic: str | None = None
    forum: str | None = None
    association: str | None = None


def decisive(choices: Choices) -> tuple[str, str] | None:
    """(mode, level) of the most specific subscription the person has: the topic's over the forum's
    over the association's; None when there is none."""
    for level, value in (
        ("topic", choices.topic),
        ("forum", choices.forum),
        ("association", choices.association),
    ):
        if value is not None:
            return value, level
    return None


def effective(choices: Choices, *, forced: bool) -> tuple[str, str]:
    """(mode, level) for a post. In a forced news forum an absent or "off" choice means the default
    (every post): the place's people always get its news, in the way they chose."""
    found = decisive(choices)
    if forced:
        if found is None or found[0] == OFF:
            return FORCED_DEFAULT, "forum"
        return found
    return found if found is not None else (OFF, "")
