"""The audit log's pure grammar: the gender a name tells, the rows a page of entries names, and
what changed on a score sheet."""

from __future__ import annotations

import pytest

from app.audit_grammar import Gender, Kind, gender_of, references, sheet_changes


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        ("Ольга Петровна Организаторова", Gender.FEMALE),
        ("Иванова Мария Петровна", Gender.FEMALE),
        ("Андрей Павлович Эксперт", Gender.MALE),
        ("Пётр Ильич Чайковский", Gender.MALE),
        ("Елена Викторовна Жюри", Gender.FEMALE),
        ("Анна Ивановна Шостакович", Gender.FEMALE),  # a -вич surname is not a patronymic
        ("Кузьма Кузьмич", Gender.UNKNOWN),  # two words: no patronymic to trust, no surname ending
        ("Мария Школьникова", Gender.FEMALE),
        ("Иван Учеников", Gender.MALE),
        ("Светлана Толстая", Gender.FEMALE),
        ("Лев Толстой", Gender.MALE),
        ("Мария Кюри", Gender.UNKNOWN),
        ("Саша Ким", Gender.UNKNOWN),
        ("Администратор Системы", Gender.UNKNOWN),
        ("Jane Smith", Gender.UNKNOWN),
        ("", Gender.UNKNOWN),
        ("Петров Иванова", Gender.UNKNOWN),  # the endings disagree: no guess
    ],
)
def test_gender_of(name: str, gender: Gender) -> None:
    assert gender_of(name) == gender


def test_references_collect_objects_and_detail_ids() -> None:
    found = references(
        [
            ("jury.score_submitted", "entry", 12, {"after": {"Содержание": "8"}}),
            ("jury.juror_added", "user", 5, {"stage_id": 3, "division_id": 7, "institution_id": None}),
            ("jury.assignment_moved", "entry", 13, {"from": 5, "to": 6}),
            ("stage.closed", "stage", 4, {"from": "open", "to": "closed"}),
            ("jury.reminded", "stage", 3, {"jurors": [8, 9]}),
            ("jury.slot_deleted", "slot", 2, {"participation_id": 21}),
            ("contest.updated", "contest", 1, {}),
            ("jury.configured", "stage", 3, {"blind": True, "jurors_per_entry": 2}),
        ],
        scope_id=40,
    )
    assert found.of(Kind.ENTRY) == {12, 13}
    assert found.of(Kind.USER) == {5, 6, 8, 9}
    assert found.of(Kind.STAGE) == {3, 4, 40}
    assert found.of(Kind.DIVISION) == {7}
    assert found.of(Kind.INSTITUTION) == set()
    assert found.of(Kind.SLOT) == {2} and found.of(Kind.PARTICIPATION) == {21}


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [
        ({"А": "4", "Б": "3"}, {"А": "5", "Б": "3"}, [("А", "4", "5")]),
        ({}, {"А": "5"}, [("А", None, "5")]),
        ({"А": "4", "Б": "1"}, {"А": "4"}, [("Б", "1", None)]),
        ({"А": "4"}, {"А": "4"}, []),
    ],
)
def test_sheet_changes(
    before: dict[str, str], after: dict[str, str], changes: list[tuple[str, str | None, str | None]]
) -> None:
    assert sheet_changes(before, after) == changes
