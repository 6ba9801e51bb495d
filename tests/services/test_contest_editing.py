"""Editing a created contest (contest_engine.editing): divisions renamed, swapped, added and removed
while empty, awards replaced, every problem by its field, and a registration racing a removal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select

from app.domain_errors import Conflict, Invalid
from app.extensions import db
from contest_engine import editing, queries
from contest_engine.editing import ContestEdit, DivisionEdit, update_contest
from contest_engine.models import Contest
from tests.factories.contests import DivisionFactory, ParticipationFactory, contest_with_organiser


def edit_of(contest: Contest, **changes: Any) -> ContestEdit:
    values: dict[str, Any] = {
        "title": contest.title,
        "description": "",
        "rules": "",
        "timezone": "Europe/Moscow",
        "asks_institution": True,
        "asks_grade": False,
        "asks_subject": False,
        "requires_consent": True,
    }
    return ContestEdit(**(values | changes))


def test_two_divisions_swap_names_and_a_new_one_joins(app) -> None:  # type: ignore[no-untyped-def]
    contest, owner = contest_with_organiser()
    first, second = DivisionFactory(contest=contest, name="А"), DivisionFactory(contest=contest, name="Б")
    db.session.commit()
    swap = [DivisionEdit(first.id, "Б"), DivisionEdit(second.id, "А"), DivisionEdit(None, "В")]
    update_contest(contest, edit_of(contest, divisions=swap), actor=owner)
    db.session.expire_all()
    assert [(d.id, d.name) for d in queries.contest_divisions(contest.id)][:2] == [
        (first.id, "Б"),
        (second.id, "А"),
    ]
    assert queries.contest_divisions(contest.id)[2].name == "В"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"award_quota_percent": Decimal(120), "awards": []}, "award_quota_percent"),
        ({"awards": [{"title": "Призёр", "ranks": [3, 2]}]}, "awards.0"),
        ({"divisions": []}, "divisions"),
        ({"divisions": [DivisionEdit(None, "А"), DivisionEdit(None, "а")]}, "divisions"),
        ({"divisions": [DivisionEdit(None, "д" * 101)]}, "divisions"),
        ({"divisions": [DivisionEdit(10**9, "Чужая")]}, "divisions"),
    ],
)
def test_a_bad_edit_is_refused_by_its_field_and_writes_nothing(app, changes, field) -> None:  # type: ignore[no-untyped-def]
    contest, owner = contest_with_organiser()
    DivisionFactory(contest=contest, name="А")
    db.session.commit()
    title = contest.title
    with pytest.raises(Invalid) as refused:
        update_contest(contest, edit_of(contest, **changes), actor=owner)
    assert field in refused.value.fields
    db.session.rollback()
    assert db.session.get(Contest, contest.id).title == title
    assert [d.name for d in queries.contest_divisions(contest.id)] == ["А"]


def test_a_registration_racing_the_removal_keeps_the_division(app) -> None:  # type: ignore[no-untyped-def]
    contest, owner = contest_with_organiser()
    kept, removed = DivisionFactory(contest=contest, name="А"), DivisionFactory(contest=contest, name="Б")
    ParticipationFactory(contest=contest, division=removed)
    db.session.commit()
    keep_only = edit_of(contest, divisions=[DivisionEdit(kept.id, "А")])
    # The check saw nobody in «Б» (the registration came a moment later): the key holds the line.
    with mock.patch.object(editing, "_busy_divisions", return_value=set()), pytest.raises(Conflict):
        update_contest(contest, keep_only, actor=owner)
    assert [d.name for d in db.session.scalars(select(DivisionFactory._meta.model))] == ["А", "Б"]
