"""Results pages built once per results version: the anonymous page costs the version check alone
and never makes a session or a CSRF token; a recalculation, a publication and an edit of the stage
or its contest show at once; a stage that closed without a stored ranking is shown computed and
stored after the response, not by the GET itself."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.memo import forget_everything
from contest_engine.models import Entry, Participation, Stage, StageResult
from contest_engine.results import publish_results, refresh_results
from contest_engine.rules.stages import StageState
from contest_engine.setup import update_stage
from contest_engine.spec import StageSpec
from tests.conftest import empty_database, login
from tests.factories.accounts import UserFactory
from tests.factories.contests import ParticipationFactory
from tests.web.test_contest_pages import NOW, at, running_contest

LATER = NOW + timedelta(days=11)


def _stage(size: int, *, publish: bool = True):  # type: ignore[no-untyped-def]
    contest, owner, division, _registration, card = running_contest()
    contest.is_public = True
    for n in range(size):
        user = UserFactory(full_name=f"Участник Номер{n}")
        ParticipationFactory(contest=contest, division=division, user=user, institution_name="Лицей")
    db.session.flush()
    for participation in db.session.scalars(select(Participation)):
        db.session.add(Entry(stage_id=card.id, participation_id=participation.id, text="x", submitted_at=NOW))
    card.state = StageState.CLOSED
    db.session.commit()
    if publish:
        publish_results(card, actor=owner, now=NOW + timedelta(days=10))
    return contest, owner, card


def test_anonymous_results_cost_the_version_check_and_make_no_session(app, count_queries) -> None:
    built, served = [], []
    for size in (3, 30):
        _contest, _owner, card = _stage(size)
        url = f"/contests/stages/{card.id}/results"
        for counts in (built, served):
            visitor = app.test_client()  # no cookie at all
            with at(LATER), count_queries(cold=True) as counter:
                response = visitor.get(url)
            assert response.status_code == 200 and "Участник Номер0" in response.get_data(as_text=True)
            assert "Set-Cookie" not in response.headers  # no session, so no CSRF token either
            assert not re.search(r'name="csrf_token" value="[^"]', response.get_data(as_text=True))
            counts.append(counter.count)
        empty_database()
        forget_everything()  # the versions restart at 0 with the database
    assert built[0] == built[1] and served == [1, 1], (built, served)


def test_anonymous_results_follow_a_recalculation_and_an_edit(app) -> None:
    contest, owner, card = _stage(2)
    url = f"/contests/stages/{card.id}/results"
    visitor = app.test_client()
    with at(LATER):
        assert "Участник Номер1" in visitor.get(url).get_data(as_text=True)
    newcomer = ParticipationFactory(contest=contest, user=UserFactory(full_name="Опоздавший Участник"))
    db.session.add(Entry(stage_id=card.id, participation_id=newcomer.id, text="x", submitted_at=NOW))
    db.session.commit()
    with at(LATER):
        assert "Опоздавший Участник" not in visitor.get(url).get_data(as_text=True)  # as stored
    refresh_results(db.session.get(Stage, card.id), now=LATER)  # the organiser's «Recalculate»
    with at(LATER):
        assert "Опоздавший Участник" in visitor.get(url).get_data(as_text=True)
    stage = db.session.get(Stage, card.id)
    spec = StageSpec("Заочный тур", stage.kind.value, stage.opens_at, stage.closes_at)
    update_stage(stage, spec, actor=owner, now=LATER)
    with at(LATER):
        assert "Заочный тур" in visitor.get(url).get_data(as_text=True)


def test_signed_in_results_follow_publication(client) -> None:
    _contest, owner, card = _stage(2, publish=False)
    participant = db.session.scalars(select(Participation)).first()
    user = db.session.get(UserFactory._meta.model, participant.user_id)
    login(client, user)
    url = f"/contests/stages/{card.id}/results"
    with at(LATER):
        assert "Участник Номер1" not in client.get(url).get_data(as_text=True)
    publish_results(db.session.get(Stage, card.id), actor=owner, now=LATER)
    with at(LATER):
        assert "Участник Номер1" in client.get(url).get_data(as_text=True)


def test_a_stage_closed_without_a_ranking_is_shown_and_stored_after_the_response(client) -> None:
    _contest, owner, card = _stage(3, publish=False)
    assert db.session.scalar(select(Stage.results_computed_at).where(Stage.id == card.id)) is None
    login(client, owner)
    with at(LATER):
        page = client.get(f"/contests/stages/{card.id}/results").get_data(as_text=True)
    assert "Участник Номер2" in page  # computed for this page
    db.session.expire_all()
    stored = db.session.scalars(select(StageResult).where(StageResult.stage_id == card.id)).all()
    assert len(stored) == 3 and db.session.get(Stage, card.id).results_computed_at is not None
