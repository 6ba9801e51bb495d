"""Pure rules of notifications and direct messages: @mentions, per-kind defaults, message texts."""

from __future__ import annotations

import pytest

from community.messaging import rules as dm
from community.notices import mentions
from community.notices.kinds import Choice, Kind, default_choice, effective


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@ivanova, посмотрите", ["ivanova"]),
        ("Коллеги @Petrov.A и @ivanova!", ["petrov.a", "ivanova"]),
        ("Пишите на ivanova@school.ru", []),  # an e-mail address is not a mention
        ("@ivanova @IVANOVA @ivanova.", ["ivanova"]),
        ("(@sidorov_k)", ["sidorov_k"]),
        ("без упоминаний", []),
        ("", []),
    ],
)
def test_handles_in_text(text: str, expected: list[str]) -> None:
    assert mentions.handles_in(text) == expected


def test_a_post_names_at_most_ten_people() -> None:
    text = " ".join(f"@user{n}" for n in range(15))
    assert mentions.handles_in(text) == [f"user{n}" for n in range(mentions.MAX_MENTIONS)]


def test_handle_of_an_address() -> None:
    assert mentions.handle_of("Ivanova.MP@School5.ru") == "ivanova.mp"


def test_link_mentions_only_in_text_and_only_known_handles() -> None:
    html = '<p>@ivanova и @nobody, <code>@ivanova</code> <a href="/x">@ivanova</a> @Ivanova.</p>'
    linked = mentions.link_mentions(html, {"ivanova": "/messages/with/7"})
    assert linked == (
        '<p><a class="mention" href="/messages/with/7">@ivanova</a> и @nobody, <code>@ivanova</code> '
        '<a href="/x">@ivanova</a> <a class="mention" href="/messages/with/7">@Ivanova</a>.</p>'
    )
    assert mentions.link_mentions(html, {}) == html


@pytest.mark.parametrize(
    ("kind", "by_email"),
    [
        (Kind.REPLY, False),
        (Kind.MENTION, False),
        (Kind.MATERIAL_PUBLISHED, True),
        (Kind.MATERIAL_REJECTED, True),
        (Kind.MATERIAL_COMMENTED, False),
        (Kind.MODERATION, True),
    ],
)
def test_defaults_ring_the_bell_and_mail_only_decisions(kind: Kind, by_email: bool) -> None:
    choice = default_choice(kind)
    assert (choice.in_app, choice.by_email, choice.in_digest) == (True, by_email, False)


def test_a_stored_choice_wins_and_an_unknown_kind_goes_to_the_bell() -> None:
    quiet = Choice(in_app=False, by_email=False, in_digest=False)
    assert effective("reply", quiet) == quiet and not quiet.keeps_row
    assert Choice(False, False, True).keeps_row
    assert default_choice("") == Choice(True, False, False)
    assert default_choice("something_else") == Choice(True, False, False)


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "message_empty"), ("   \n", "message_empty"), (None, "message_empty"), ("я" * 5001, "too_long")],
)
def test_message_text_refusals(text: object, code: str) -> None:
    with pytest.raises(dm.RuleError) as error:
        dm.message_text(text)
    assert (error.value.code, error.value.field) == (code, "text")


def test_message_text_is_stripped_and_may_be_long() -> None:
    assert dm.message_text("  Здравствуйте!  ") == "Здравствуйте!"
    assert dm.message_text("я" * 5000) == "я" * 5000


def test_the_pair_is_ordered_and_oneself_refused() -> None:
    assert dm.ordered_pair(9, 4) == (4, 9) == dm.ordered_pair(4, 9)
    with pytest.raises(dm.RuleError) as error:
        dm.ordered_pair(5, 5)
    assert (error.value.code, error.value.field) == ("message_self", "to")
    assert dm.other_member(4, 9, 4) == 9 and dm.other_member(4, 9, 9) == 4


def test_report_reason_is_bounded() -> None:
    assert dm.report_reason("  спам ") == "спам"
    assert dm.report_reason(None) == ""
    with pytest.raises(dm.RuleError):
        dm.report_reason("я" * 1001)
