"""Results search: by name, institution or district in any case, Cyrillic included (SQLite's lower()
folds only ASCII), «ё» found by «е», LIKE's wildcards taken literally; a fixed number of queries at
any size; the stored folded text follows a recalculation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.memo import forget_everything
from contest_engine.models import Entry, Participation, StageResult
from contest_engine.results import publish_results, refresh_results
from contest_engine.rules import search
from contest_engine.rules.stages import StageState
from tests.conftest import empty_database, login
from tests.factories.accounts import UserFactory
from tests.factories.contests import ParticipationFactory
from tests.web.test_contest_pages import NOW, at, running_contest

PEOPLE = [
    ("Иванов Пётр", "МБОУ СОШ № 5", "Ленинский район"),
    ("ИВАНОВ Иван", "Гимназия № 1", "Кировский район"),
    ("Петрова Анна", "Лицей 100%_лучших", "Ленинский район"),
    ("Sidorov Oleg", "School 7", "Central"),
]


def _published(extra: int = 0):  # type: ignore[no-untyped-def]
    contest, owner, division, _registration, card = running_contest()
    for name, school, district in PEOPLE + [(f"Участник {n}", "Школа", "Район") for n in range(extra)]:
        user = UserFactory(full_name=name)
        ParticipationFactory(
            contest=contest, division=division, user=user, institution_name=school, district=district
        )
    db.session.flush()
    for participation in db.session.scalars(select(Participation)):
        db.session.add(Entry(stage_id=card.id, participation_id=participation.id, text="x", submitted_at=NOW))
    card.state = StageState.CLOSED
    db.session.commit()
    publish_results(card, actor=owner, now=NOW + timedelta(days=10))
    return owner, card


def _found(client, card, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    with at(NOW + timedelta(days=11)):
        response = client.get(f"/contests/stages/{card.id}/results", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return {name for name, _school, _district in PEOPLE if name in page}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("иванов", {"Иванов Пётр", "ИВАНОВ Иван"}),
        ("ИВАНОВ", {"Иванов Пётр", "ИВАНОВ Иван"}),
        ("  иВаНоВ  ", {"Иванов Пётр", "ИВАНОВ Иван"}),
        ("петр", {"Иванов Пётр", "Петрова Анна"}),  # «ё» typed as «е»
        ("пётр", {"Иванов Пётр", "Петрова Анна"}),
        ("ленинский РАЙОН", {"Иванов Пётр", "Петрова Анна"}),
        ("гимназия", {"ИВАНОВ Иван"}),
        ("SIDOROV", {"Sidorov Oleg"}),
        ("100%_", {"Петрова Анна"}),
        ("%", {"Петрова Анна"}),  # a wildcard is a character to find, not «anything»
        ("_", {"Петрова Анна"}),
        ("петр | мбоу", set()),  # never across two fields
        ("5 | ", {"Иванов Пётр"}),
        ("| ", {name for name, _s, _d in PEOPLE}),  # the field separator is no character to find: all
    ],
)
def test_results_search_any_case_and_alphabet(client, query, expected) -> None:
    owner, card = _published()
    login(client, owner)
    assert _found(client, card, query) == expected


def test_results_search_follows_a_rename_after_recalculation(client) -> None:
    owner, card = _published()
    user = db.session.scalar(
        select(UserFactory._meta.model).where(UserFactory._meta.model.full_name == "Sidorov Oleg")
    )
    user.full_name = "Смирнов Олег"
    db.session.commit()
    refresh_results(card, now=NOW + timedelta(days=10, hours=1))
    stored = db.session.scalars(select(StageResult.search_text).where(StageResult.stage_id == card.id)).all()
    assert search.search_text("Смирнов Олег", "School 7", "Central") in stored
    login(client, owner)
    with at(NOW + timedelta(days=11)):
        page = client.get(f"/contests/stages/{card.id}/results", query_string={"q": "СМИРНОВ"})
    assert "Смирнов Олег" in page.get_data(as_text=True)


def test_results_search_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    """Built (a miss) and served from the memo (a hit): each a fixed count at both sizes."""
    built, served = [], []
    for extra in (0, 40):
        owner, card = _published(extra)
        login(client, owner)
        url = f"/contests/stages/{card.id}/results?q=%D0%B8%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2&page=1"
        for counts in (built, served):
            with at(NOW + timedelta(days=11)), count_queries(cold=True) as counter:
                response = client.get(url)
            assert response.status_code == 200 and "ИВАНОВ Иван" in response.get_data(as_text=True)
            counts.append(counter.count)
        client.post("/auth/logout")
        empty_database()
        forget_everything()  # the versions restart at 0 with the database
    assert built[0] == built[1] and served[0] == served[1], (built, served)
    assert served[0] < built[0]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Иванов  Пётр\t", "иванов петр"),
        ("ЁЛКИН", "елкин"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_fold(text, folded) -> None:
    assert search.fold(text) == folded


@pytest.mark.parametrize(
    ("query", "pattern"),
    [("Иванов", "%иванов%"), ("  ", None), ("50%", "%50\\%%"), ("a_b", "%a\\_b%"), ("a\\b", "%a\\\\b%")],
)
def test_like_pattern_escapes_wildcards(query, pattern) -> None:
    assert search.like_pattern(query) == pattern
