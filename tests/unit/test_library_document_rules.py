"""Pure rules of the library's documents: the certificate's serial and revocation reason, and the
portfolio's sections."""

from __future__ import annotations

import pytest

from community.library.certificate_rules import REASON_LIMIT, clean_reason, serial_number
from community.portfolio import sections
from community.rules import RuleError


@pytest.mark.parametrize(
    ("year", "material_id", "serial"),
    [(2026, 123, "МБ-2026-000123"), (2027, 1, "МБ-2027-000001"), (2026, 1234567, "МБ-2026-1234567")],
)
def test_serial_number_from_year_and_material(year: int, material_id: int, serial: str) -> None:
    assert serial_number(year, material_id) == serial


def test_serial_number_needs_a_saved_material() -> None:
    with pytest.raises(ValueError):
        serial_number(2026, 0)


@pytest.mark.parametrize(
    ("reason", "code"), [("", "required"), ("   ", "required"), (None, "required"), ("x" * 1001, "too_long")]
)
def test_revocation_reason_refused(reason: str | None, code: str) -> None:
    with pytest.raises(RuleError) as caught:
        clean_reason(reason)
    assert caught.value.code == code and caught.value.field == "reason"


def test_revocation_reason_is_stripped_and_may_be_at_the_limit() -> None:
    assert clean_reason("  Плагиат  ") == "Плагиат"
    assert clean_reason("x" * REASON_LIMIT) == "x" * REASON_LIMIT


@pytest.mark.parametrize(
    ("kind", "section"),
    [
        ("publication", "publications"),
        ("course", "courses"),
        ("diploma", "diplomas"),
        ("participation", "diplomas"),
        ("jury", "jury"),
        ("unknown", None),
    ],
)
def test_section_of_each_kind(kind: str, section: str | None) -> None:
    assert sections.section_of(kind) == section


def test_shown_sections_keep_the_fixed_order_and_the_teachers_choice() -> None:
    flags = {"jury": True, "publications": True, "courses": False, "diplomas": False, "events": False}
    assert sections.shown_sections(flags) == ["publications", "jury"]
    assert sections.shown_sections({}) == list(sections.SECTIONS)
    assert sections.kinds_of(["diplomas", "events"]) == [
        "diploma",
        "participation",
        "event_attendance",
        "event_conducting",
    ]


def test_group_leaves_out_empty_sections_and_kinds_not_shown() -> None:
    entries = [("jury", "j1"), ("course", "c1"), ("publication", "p1"), ("course", "c2"), ("diploma", "d1")]
    assert sections.group(entries, ["publications", "courses", "jury", "events"]) == [
        ("publications", ["p1"]),
        ("courses", ["c1", "c2"]),
        ("jury", ["j1"]),
    ]


@pytest.mark.parametrize(("details", "hours"), [("72", 72), (" 36 ", 36), ("", None), ("72 ч.", None)])
def test_course_hours_read_from_details(details: str, hours: int | None) -> None:
    assert sections.course_hours(details) == hours


def test_total_hours_adds_only_readable_figures() -> None:
    assert sections.total_hours(["72", "36", "", "n/a"]) == 108
