"""Pure rules of the forum search's arguments: the query and where to look."""

from __future__ import annotations

import pytest

from community.forums.search_rules import MAX_QUERY_CHARS, Scope, search_query, search_scope
from community.rules import RuleError


def test_the_query_is_one_stripped_line_of_bounded_length() -> None:
    assert search_query("  дроби \n  проценты ") == "дроби проценты"
    assert search_query(None) == ""
    assert search_query("д" * MAX_QUERY_CHARS) == "д" * MAX_QUERY_CHARS
    with pytest.raises(RuleError) as refused:
        search_query("д" * (MAX_QUERY_CHARS + 1))
    assert (refused.value.code, refused.value.field) == ("too_long", "q")


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("", None),
        ("all", None),
        (" forum-12 ", Scope("forum", 12)),
        ("association-3", Scope("association", 3)),
    ],
)
def test_scopes_read(text: str, scope: Scope | None) -> None:
    assert search_scope(text) == scope


@pytest.mark.parametrize(
    "text", ["forum", "forum-0", "forum--1", "network-0", "course-abc", "course-99999999999", "forum-1 2"]
)
def test_unknown_scopes_are_refused_by_their_field(text: object) -> None:
    with pytest.raises(RuleError) as refused:
        search_scope(text)
    assert (refused.value.code, refused.value.field) == ("search_scope_unknown", "scope")


def test_a_scope_writes_back_as_it_reads() -> None:
    assert Scope("course", 7).value == "course-7"
    assert search_scope(Scope("course", 7).value) == Scope("course", 7)
