"""The certificate family's plain rules: a code typed from paper, the code as printed, the file
name, and the issue date in the issuer's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.documents.paper import Paper, clean_code, grouped_code, issuer_zone, names_joined


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("KX7M2PQA9TZD", "KX7M2PQA9TZD"),
        ("kx7m-2pqa-9tzd", "KX7M2PQA9TZD"),
        ("  KX7M 2PQA 9TZD ", "KX7M2PQA9TZD"),
        ("KX7M–2PQA—9TZD", "KX7M2PQA9TZD"),  # en and em dashes from a word processor
        ("КХ7М2РQА9ТZD", "KX7M2PQA9TZD"),  # К, Х, М, Р, А, Т typed on a Russian keyboard
        ("", ""),
        (" - ", ""),
        ("<script>", "SCRIPT"),
    ],
)
def test_a_code_typed_from_paper_is_forgiven(typed: str, code: str) -> None:
    assert clean_code(typed) == code


@pytest.mark.parametrize(
    ("code", "printed"),
    [("KX7M2PQA9TZD", "KX7M-2PQA-9TZD"), ("ABCDEF", "ABCD-EF"), ("", "")],
)
def test_the_code_is_printed_in_groups_of_four(code: str, printed: str) -> None:
    assert grouped_code(code) == printed
    assert clean_code(printed) == code


def _paper(**kw: object) -> Paper:
    values: dict[str, object] = {
        "kind_label": "Диплом",
        "heading": "ДИПЛОМ",
        "preamble": "награждается",
        "holder": "Анна Петрова",
        "statement": ("Победитель олимпиады «Биология»",),
        "certifies": "Победитель олимпиады «Биология»",
        "organiser": "Гимназия № 1",
        "issued_at": datetime(2026, 11, 9, 20, 0, tzinfo=UTC),
        "zone": "Asia/Novosibirsk",
        "code": "KX7M2PQA9TZD",
    }
    values.update(kw)
    return Paper(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("zone", "day"),
    [("Asia/Novosibirsk", 10), ("Europe/Moscow", 9), ("Europe/Kaliningrad", 9), ("Asia/Vladivostok", 10)],
)
def test_the_issue_date_is_the_issuers_calendar_day(zone: str, day: int) -> None:
    assert _paper(zone=zone).issued_on.day == day


def test_a_missing_zone_is_the_networks() -> None:
    assert issuer_zone(None) == "Europe/Moscow" and issuer_zone("") == "Europe/Moscow"
    assert issuer_zone("Asia/Omsk") == "Asia/Omsk"


@pytest.mark.parametrize(
    ("holder", "name"),
    [
        ("Анна Петрова", "Диплом — Анна Петрова.pdf"),
        ("Анна  /  Петрова", "Диплом — Анна Петрова.pdf"),
        ("", "Диплом KX7M2PQA9TZD.pdf"),
    ],
)
def test_the_file_name_is_readable(holder: str, name: str) -> None:
    assert _paper(holder=holder).file_name == name


def test_names_are_joined_once_each_in_order() -> None:
    assert names_joined(["Гимназия № 1", " ИМЦ ", "", "Гимназия № 1"]) == "Гимназия № 1, ИМЦ"
    assert names_joined([]) == ""
