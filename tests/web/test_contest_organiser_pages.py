"""Organiser actions on a running contest: close, reopen, extend, jury links, CSV import, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from contest_engine.models import Participation, Stage
from contest_engine.rules.stages import StageKind, StageState
from tests.conftest import login
from tests.factories.accounts import juror, methodist, organiser, student, teacher
from tests.factories.contests import StageFactory
from tests.web.test_contest_pages import NOW, at, running_contest


def test_organiser_closes_reopens_and_extends(client) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    with at(NOW + timedelta(days=3)):
        client.get(f"/contests/{contest.id}")
        assert db.session.get(Stage, card.id).state == StageState.OPEN
        client.post(
            f"/contests/stages/{card.id}/extend",
            data={"extend-closes_at": "2027-01-25T12:00", "extend-reason": "просьба"},
        )
        db.session.expire_all()
        assert db.session.get(Stage, card.id).closes_at == datetime(2027, 1, 25, 9, 0, tzinfo=UTC)
        client.post(f"/contests/stages/{card.id}/close", data={"close-reason": "досрочно"})
        db.session.expire_all()
        assert db.session.get(Stage, card.id).state == StageState.CLOSED
        no_reason = client.post(
            f"/contests/stages/{card.id}/reopen", data={"reopen-reason": ""}, follow_redirects=True
        )
        assert db.session.get(Stage, card.id).state == StageState.CLOSED and no_reason.status_code == 200
        client.post(f"/contests/stages/{card.id}/reopen", data={"reopen-reason": "сбой сервера"})
        db.session.expire_all()
        assert db.session.get(Stage, card.id).state == StageState.OPEN
        audit = client.get(f"/contests/{contest.id}/audit").get_data(as_text=True)
    for sentence in ("продлил", "закрыл", "снова открыл", "сбой сервера"):  # the log reads as sentences
        assert sentence in audit


def test_organiser_reaches_the_jury_pages_from_a_jury_stage(client) -> None:
    contest, owner, division, registration, card = running_contest()
    final = StageFactory(
        contest=contest,
        position=3,
        kind=StageKind.JURY,
        title="Финал",
        opens_at=NOW + timedelta(days=10),
        closes_at=NOW + timedelta(days=12),
    )
    db.session.commit()
    login(client, owner)
    with at(NOW):
        jury_page = client.get(f"/contests/stages/{final.id}").get_data(as_text=True)
        submission_page = client.get(f"/contests/stages/{card.id}").get_data(as_text=True)
    for target in ("setup", "jurors", "progress", "overview", "schedule", "appeals"):
        suffix = "" if target == "setup" else f"/{target}"
        assert f'href="/jury/stages/{final.id}{suffix}"' in jury_page
    assert "data-jury-links" not in submission_page


@pytest.mark.parametrize("make", [teacher, student, organiser, juror, methodist])
def test_organiser_pages_refuse_others(client, make) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, make())
    stages = db.session.scalar(select(func.count(Stage.id)).where(Stage.contest_id == contest.id))
    for url in (
        f"/contests/{contest.id}/edit",
        f"/contests/{contest.id}/participants",
        f"/contests/{contest.id}/audit",
        f"/contests/stages/{card.id}/advance",
        f"/contests/{contest.id}/questions",
        f"/contests/{contest.id}/stages/new",
        f"/contests/stages/{card.id}/edit",
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/contests/{contest.id}/stages/new",
        f"/contests/stages/{card.id}/edit",
        f"/contests/{contest.id}/edit",
        f"/contests/stages/{card.id}/close",
        f"/contests/stages/{card.id}/publish",
        f"/contests/{contest.id}/awards",
    ):
        assert client.post(url, data={}).status_code == 403, url
    assert db.session.scalar(select(func.count(Stage.id)).where(Stage.contest_id == contest.id)) == stages


def test_participants_csv_import_page(client) -> None:
    contest, owner, division, registration, card = running_contest()
    login(client, owner)
    bad = client.post(
        f"/contests/{contest.id}/participants", data={"csv_text": "email,division\nx@y.org,Нет\n"}
    )
    assert bad.status_code == 422 and "import-errors" in bad.get_data(as_text=True)
    good = client.post(
        f"/contests/{contest.id}/participants",
        data={"csv_text": "email,full_name,division\nnew@example.org,Новый,5-8\n"},
    )
    assert good.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1
