"""Contest results in the browser: the ranking page (a fixed number of queries at any size), its
CSV and XLSX exports, and advancing participants from the preview."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from app.memo import forget_everything
from contest_engine.models import Entry, Participation, StageParticipant
from contest_engine.results import publish_results
from contest_engine.rules.stages import StageKind, StageState
from tests.conftest import empty_database, login
from tests.factories.contests import StageFactory
from tests.web.test_contest_pages import NOW, at, running_contest


def _closed_ranked_stage(n: int):  # type: ignore[no-untyped-def]
    contest, owner, division, registration, card = running_contest(n)
    participations = db.session.scalars(select(Participation)).all()
    for _index, participation in enumerate(participations):
        db.session.add(Entry(stage_id=card.id, participation_id=participation.id, text="x", submitted_at=NOW))
    card.state = StageState.CLOSED
    db.session.commit()
    return contest, owner, card


@pytest.mark.parametrize("viewer", ["organiser", "participant"])
def test_results_page_runs_a_fixed_number_of_queries(client, count_queries, viewer) -> None:
    counts = []
    for size in (3, 30):
        contest, owner, card = _closed_ranked_stage(size)
        publish_results(card, actor=owner, now=NOW + timedelta(days=10))
        user = owner if viewer == "organiser" else db.session.scalars(select(Participation)).first()
        if viewer == "participant":
            user = db.session.get(User, user.user_id)
        client.post("/auth/logout")
        login(client, user)
        url = f"/contests/stages/{card.id}/results"
        db.session.remove()  # an empty identity map: the count must not depend on what GC kept
        with at(NOW + timedelta(days=11)), count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)
        empty_database()
        forget_everything()  # the versions restart at 0 with the database
    assert counts[0] == counts[1], counts


def test_results_export_csv_and_xlsx(client) -> None:
    contest, owner, card = _closed_ranked_stage(3)
    login(client, owner)
    csv_response = client.get(f"/contests/stages/{card.id}/results.csv")
    assert csv_response.status_code == 200 and csv_response.get_data(as_text=True).count("\n") == 4
    xlsx = client.get(f"/contests/stages/{card.id}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    participant = db.session.scalars(select(Participation)).first()
    client.post("/auth/logout")
    login(client, db.session.get(User, participant.user_id))
    assert client.get(f"/contests/stages/{card.id}/results.csv").status_code == 403
    page = client.get(f"/contests/stages/{card.id}/results").get_data(as_text=True)
    assert "own-status" in page or "not published" in page.lower() or "не опубликованы" in page


def test_results_downloads_read_as_words_with_the_csv_tables_folded(client) -> None:
    contest, owner, card = _closed_ranked_stage(3)
    login(client, owner)
    with at(NOW + timedelta(days=11)):
        page = client.get(f"/contests/stages/{card.id}/results").get_data(as_text=True)
    bar = page.split('id="results-downloads"', 1)[1].split("</details>", 1)[0]
    primary, fold = bar.split('id="results-other-formats"', 1)
    assert "btn-primary" in primary and "Скачать для Excel (XLSX)" in primary and "CSV" not in primary
    assert "<summary" in fold and "Другие форматы" in fold
    assert "Таблица CSV для Excel (разделитель «;»)" in fold
    assert "Таблица CSV для других программ (разделитель — запятая)" in fold
    assert "Обычный CSV" not in page and ">XLSX<" not in page
    links = [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*/results\.\w+[^"]*)"', bar)]
    assert len(links) == 3
    excel, plain = client.get(links[1]).data, client.get(links[2]).data
    assert client.get(links[0]).data[:2] == b"PK"
    assert excel.startswith(b"\xef\xbb\xbf") and b";" in excel.splitlines()[0]
    assert not plain.startswith(b"\xef\xbb\xbf") and b"," in plain.splitlines()[0]


def test_advancement_preview_and_confirm_in_the_browser(client, outbox) -> None:
    contest, owner, card = _closed_ranked_stage(3)
    final = StageFactory(
        contest=contest,
        position=3,
        kind=StageKind.SUBMISSION,
        opens_at=NOW + timedelta(days=20),
        closes_at=NOW + timedelta(days=21),
    )
    db.session.commit()
    login(client, owner)
    with at(NOW + timedelta(days=10)):
        preview = client.get(f"/contests/stages/{card.id}/advance")
        assert preview.status_code == 200 and 'data-list="advanced"' in preview.get_data(as_text=True)
        confirmed = client.post(f"/contests/stages/{card.id}/advance", data={})
    assert confirmed.status_code == 302
    assert (
        db.session.scalar(
            select(func.count()).select_from(StageParticipant).where(StageParticipant.stage_id == final.id)
        )
        == 3
    )
    assert len(outbox()) == 3
