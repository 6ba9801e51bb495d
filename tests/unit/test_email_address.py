"""The one e-mail check (issue 9 items 9 and 12d): the demo's `.local` addresses pass, broken ones never."""

from __future__ import annotations

import pytest

from app.email_address import InvalidEmail, clean_email, is_valid_email


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("teacher@vmeste.local", "teacher@vmeste.local"),
        ("pupil1@demo.vmeste.local", "pupil1@demo.vmeste.local"),
        ("  Anna@Example.ORG ", "anna@example.org"),
        ("иван@школа.рф", "иван@школа.рф"),
        ("first.last+tag@sub.example.org", "first.last+tag@sub.example.org"),
    ],
)
def test_clean_email_accepts_real_and_demo_addresses(typed: str, stored: str) -> None:
    assert clean_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "bad\n@example.org",
        "x@",
        "has space@example.org",
        "@example.org",
        "no-at-sign",
        "",
        "   ",
        "x@local",
        "x@.local",
        "a@b@example.org",
        "x@example.org\r\nBcc: victim@example.org",
        "a" * 250 + "@example.org",
        "x@localhost",
    ],
)
def test_clean_email_refuses_what_no_letter_can_reach(typed: str) -> None:
    assert not is_valid_email(typed)
    with pytest.raises(InvalidEmail):
        clean_email(typed)
