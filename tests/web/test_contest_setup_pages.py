"""Contest setup pages: an organiser creates a contest, adds and edits stages; others may not create."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from contest_engine import queries
from contest_engine.models import Contest, Stage
from tests.conftest import login
from tests.factories.accounts import organiser, student, teacher
from tests.web.test_contest_pages import NOW, at, running_contest


def test_organiser_creates_a_contest_in_the_browser(client) -> None:
    owner = organiser()
    db.session.commit()
    login(client, owner)
    form = {
        "title": "Дистанционный учитель — 2027",
        "kind": "teacher",
        "timezone": "Europe/Moscow",
        "description": "**Конкурс**",
        "rules": "Правила",
        "divisions-0-name": "Учителя",
        "divisions-1-name": "",
        "awards-0-title": "Победитель",
        "awards-0-rank_from": "1",
        "awards-0-rank_to": "1",
        "awards-1-title": "Лауреат",
        "awards-1-rank_from": "2",
        "awards-1-rank_to": "3",
        "awards-2-title": "Участник",
        "awards-3-title": "",
        "registration_opens_at": "2027-01-11T09:00",
        "registration_closes_at": "2027-01-25T09:00",
        "asks_institution": "y",
        "requires_consent": "y",
    }
    with at(NOW - timedelta(days=10)):
        response = client.post("/contests/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    contest = db.session.scalar(select(Contest))
    assert contest.award_rules[1] == {
        "title": "Лауреат",
        "ranks": [2, 3],
        "top_percent": None,
        "min_percent_of_max": None,
    }
    stage = {
        "title": "Визитная карточка",
        "kind": "submission",
        "description": "Эссе и ссылка",
        "opens_at": "2027-01-25T09:00",
        "closes_at": "2027-02-01T09:00",
        "advancement_rule": "top_n",
        "advancement_value": "30",
        "advancement_ties": "include_tied",
        "accepts_text": "y",
        "accepts_link": "y",
        "file_types": "pdf",
        "max_file_mb": "5",
        "max_files": "2",
        "jury_criteria-0-name": "Содержание",
        "jury_criteria-0-max_points": "10",
        "jury_criteria-1-name": "Оформление",
        "jury_criteria-1-max_points": "5",
        "jury_criteria-1-weight": "0,5",
        "jury_aggregation": "mean",
    }
    with at(NOW - timedelta(days=10)):
        added = client.post(f"/contests/{contest.id}/stages/new", data=stage)
    assert added.status_code == 302, added.get_data(as_text=True)
    stages = queries.contest_stages(contest.id)
    assert [s.title for s in stages][1] == "Визитная карточка" and stages[1].has_jury
    # Overlapping: the next stage may not open before this one closes.
    bad = dict(stage, title="Урок", opens_at="2027-01-30T09:00", closes_at="2027-02-10T09:00")
    with at(NOW - timedelta(days=10)):
        refused = client.post(f"/contests/{contest.id}/stages/new", data=bad)
    assert refused.status_code == 422
    assert "overlaps the previous" in refused.get_data(as_text=True) or "перекрывает" in refused.get_data(
        as_text=True
    )
    reversed_ = dict(stage, title="Урок", opens_at="2027-02-10T09:00", closes_at="2027-02-05T09:00")
    with at(NOW - timedelta(days=10)):
        assert client.post(f"/contests/{contest.id}/stages/new", data=reversed_).status_code == 422
    zero = dict(
        stage,
        title="Урок",
        opens_at="2027-02-10T09:00",
        closes_at="2027-02-15T09:00",
        advancement_rule="top_percent",
        advancement_value="0",
    )
    with at(NOW - timedelta(days=10)):
        assert client.post(f"/contests/{contest.id}/stages/new", data=zero).status_code == 422
    assert len(queries.contest_stages(contest.id)) == 2


def test_create_form_rejects_bad_input_next_to_fields(client) -> None:
    owner = organiser()
    db.session.commit()
    login(client, owner)
    form = {
        "title": "",
        "kind": "teacher",
        "timezone": "Europe/Moscow",
        "divisions-0-name": "",
        "awards-0-title": "Победитель",
        "awards-0-rank_from": "первые",
        "registration_opens_at": "2027-01-11T09:00",
        "registration_closes_at": "2027-01-01T09:00",
    }
    response = client.post("/contests/new", data=form)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.count("invalid-feedback") == 2  # the title, the award's first place
    assert "Введите целое число, например 3." in body
    assert "data-rows-error>Добавьте хотя бы одну номинацию." in body
    form.update({"title": "X", "divisions-0-name": "A", "awards-0-rank_from": "1"})
    response = client.post("/contests/new", data=form)
    assert response.status_code == 422  # closes before it opens
    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0


@pytest.mark.parametrize("make", [teacher, student])
def test_only_organisers_create_contests(client, make) -> None:
    login(client, make())
    assert client.get("/contests/new").status_code == 403


def test_organiser_edits_a_stage(client) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    with at(NOW):
        form = client.get(f"/contests/stages/{card.id}/edit")
        assert form.status_code == 200 and "2027-01-17T12:00" in form.get_data(as_text=True)
        data = {
            "title": "Визитка",
            "kind": "submission",
            "description": "Эссе",
            "opens_at": "2027-01-18T09:00",
            "closes_at": "2027-01-25T09:00",
            "advancement_rule": "top_n",
            "advancement_value": "10",
            "advancement_ties": "exclude_tied",
            "accepts_text": "y",
            "file_types": "pdf",
            "max_file_mb": "2",
            "max_files": "1",
        }
        assert client.post(f"/contests/stages/{card.id}/edit", data=data).status_code == 302
        overlap = client.post(
            f"/contests/stages/{card.id}/edit", data=dict(data, opens_at="2027-01-16T09:00")
        )
        assert overlap.status_code == 422
    db.session.expire_all()
    stage = db.session.get(Stage, card.id)
    assert (stage.title, stage.advancement_rule, stage.advancement_value, stage.max_files) == (
        "Визитка",
        "top_n",
        10,
        1,
    )
    assert stage.opens_at == datetime(2027, 1, 18, 6, 0, tzinfo=UTC)
    with at(NOW + timedelta(days=4)):  # open now: the dates can no longer move
        moved = client.post(f"/contests/stages/{card.id}/edit", data=dict(data, closes_at="2027-01-26T09:00"))
    assert moved.status_code == 422


def marker(page: str) -> tuple[str, str] | None:
    """The timeline's marked stage and its badge («сейчас» or «следующий»), or None."""
    if "data-timeline-marker>" not in page:
        return None
    item = page.split('stage-current"', 1)[1]
    title = item.split('fw-semibold"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    return title, item.split("data-timeline-marker>", 1)[1].split("<", 1)[0]


def test_a_stage_added_after_the_last_one_ended_is_proposed_from_tomorrow_and_marked_next(client) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    with at(NOW):
        opened = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    assert marker(opened) == ("Регистрация", "сейчас")
    later = NOW + timedelta(days=30)  # both stages are over: 14 February 2027, 12:00 in Moscow
    with at(later):
        assert marker(client.get(f"/contests/{contest.id}").get_data(as_text=True)) is None
        form = client.get(f"/contests/{contest.id}/stages/new").get_data(as_text=True)
        assert 'value="2027-02-15T09:00"' in form and 'value="2027-03-01T09:00"' in form
        stage = {
            "kind": "submission",
            "title": "Финал",
            "opens_at": "2027-02-15T09:00",
            "closes_at": "2027-03-01T09:00",
            "advancement_rule": "all",
            "advancement_ties": "include_tied",
            "accepts_text": "y",
            "max_file_mb": "5",
            "max_files": "1",
        }
        assert client.post(f"/contests/{contest.id}/stages/new", data=stage).status_code == 302
        page = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    added = db.session.scalar(select(Stage).where(Stage.title == "Финал"))
    assert added.state == "scheduled" and marker(page) == ("Финал", "следующий")
