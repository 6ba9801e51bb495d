"""Posting's pure rules without an app: title and text limits, the edit window, quoting, the Q&A rule,
the number of attachments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.forums import posting_rules as rules
from community.forums.messages import MESSAGES
from community.rules import RuleError

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  Дроби  в 5 классе ", "Дроби в 5 классе"),
        ("Строка\nвторая", "Строка вторая"),
        ("я" * 300, "я" * 300),
    ],
)
def test_title_is_one_clean_line(given: str, expected: str) -> None:
    assert rules.topic_title(given) == expected


@pytest.mark.parametrize(
    ("given", "code"),
    [("", "title_empty"), ("  \n ", "title_empty"), (None, "title_empty"), ("я" * 301, "too_long")],
)
def test_title_refusals(given: object, code: str) -> None:
    with pytest.raises(RuleError) as refused:
        rules.topic_title(given)
    assert (refused.value.code, refused.value.field) == (code, "title")
    assert code in MESSAGES


def test_post_text_up_to_the_limit() -> None:
    assert rules.post_text("  **Спасибо!**\n") == "**Спасибо!**"
    assert rules.post_text("я" * rules.POST_MAX_CHARS) == "я" * 20_000


@pytest.mark.parametrize(
    ("given", "code"),
    [("", "post_empty"), ("\n\t ", "post_empty"), (7, "post_empty"), ("я" * 20_001, "too_long")],
)
def test_post_text_refusals(given: object, code: str) -> None:
    with pytest.raises(RuleError) as refused:
        rules.post_text(given)
    assert (refused.value.code, refused.value.field) == (code, "text")
    assert code in MESSAGES


def test_reason_required_only_to_hide() -> None:
    assert rules.reason_text("  ", required=False) == ""
    with pytest.raises(RuleError) as refused:
        rules.reason_text("", required=True)
    assert refused.value.code == "required"
    with pytest.raises(RuleError):
        rules.reason_text("я" * 501, required=False)


@pytest.mark.parametrize(
    ("minutes_after", "window", "inside"),
    [(0, 30, True), (30, 30, True), (31, 30, False), (5, 1, False), (59, 60, True)],
)
def test_edit_window(minutes_after: int, window: int, inside: bool) -> None:
    posted = NOW - timedelta(minutes=minutes_after)
    assert rules.within_edit_window(posted, NOW, window) is inside
    if inside:
        rules.check_edit_window(posted, NOW, window)
    else:
        with pytest.raises(RuleError) as refused:
            rules.check_edit_window(posted, NOW, window)
        assert refused.value.code == "edit_window_closed" and refused.value.params == {"minutes": window}


def test_quote_is_a_blockquote_with_the_author_and_drops_nested_quotes() -> None:
    quoted = rules.quote_block(
        "Анна Петрова писала в сообщении 3:", "> старая цитата\nПервая строка\n\nВторая"
    )
    assert quoted == "> **Анна Петрова писала в сообщении 3:**\n> Первая строка\n>\n> Вторая\n\n"
    assert rules.with_quote(quoted, "  Согласна. ") == quoted + "Согласна."


def test_a_long_quote_is_cut() -> None:
    quoted = rules.quote_block("А:", "я" * 5000)
    assert quoted.endswith(" …\n\n") and len(quoted) < rules.QUOTE_MAX_CHARS + 20


@pytest.mark.parametrize(
    ("qa", "moderator", "own", "sees"),
    [
        (False, False, False, True),
        (True, False, False, False),
        (True, False, True, True),
        (True, True, False, True),
    ],
)
def test_who_sees_the_answers(qa: bool, moderator: bool, own: bool, sees: bool) -> None:
    assert rules.sees_all_answers(qa=qa, moderator=moderator, has_own_answer=own) is sees


def test_attachment_count() -> None:
    rules.check_attachment_count(rules.ATTACHMENTS_MAX)
    with pytest.raises(RuleError) as refused:
        rules.check_attachment_count(rules.ATTACHMENTS_MAX + 1)
    assert (refused.value.code, refused.value.field) == ("too_many_files", "files")
    assert {"svg", "html", "exe", "js"}.isdisjoint(rules.ATTACHMENT_EXTENSIONS)
