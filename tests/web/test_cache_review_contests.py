"""Review of issue 17's contest caches: what the kept results table and the kept jury overview show
live from other rows (people's names, divisions' names) must move with those rows' writers too.
Each test warms the cache first, writes through the real service, then reads the page again."""

from __future__ import annotations

from sqlalchemy import select

from app.account_services import update_profile
from app.extensions import db
from app.timeutil import utcnow
from contest_engine.editing import ContestEdit, DivisionEdit, update_contest
from contest_engine.jury.sheets import save_scores
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Entry, Participation
from contest_engine.rules.stages import StageState
from tests.conftest import login
from tests.factories.accounts import UserFactory
from tests.factories.contests import ParticipationFactory
from tests.factories.jury import jury_stage
from tests.web.test_contest_pages import NOW, at, running_contest
from tests.web.test_contest_results_cache import LATER, _stage


def _rename(user_id: int, name: str) -> None:
    """The person's own profile form: the one service that changes a full name."""
    user = db.session.get(UserFactory._meta.model, user_id)
    update_profile(
        user, full_name=name, institution_id=user.institution_id, timezone=user.timezone, locale=user.locale
    )


def _edit(contest, divisions: list[DivisionEdit]) -> ContestEdit:  # type: ignore[no-untyped-def]
    return ContestEdit(
        title=contest.title,
        description=contest.description or "",
        rules=contest.rules or "",
        timezone=contest.timezone,
        asks_institution=contest.asks_institution,
        asks_grade=contest.asks_grade,
        asks_subject=contest.asks_subject,
        requires_consent=contest.requires_consent,
        divisions=divisions,
    )


def test_results_show_a_participants_new_name_to_visitors_and_organisers(app, client) -> None:
    _contest, owner, card = _stage(2)
    participant = db.session.scalars(select(Participation).order_by(Participation.id)).first()
    url = f"/contests/stages/{card.id}/results"
    visitor = app.test_client()
    login(client, owner)
    with at(LATER):
        assert "Участник Номер0" in visitor.get(url).get_data(as_text=True)
        assert "Участник Номер0" in client.get(url).get_data(as_text=True)
    _rename(participant.user_id, "Переименованный Участник")
    with at(LATER):
        for reader in (visitor, client):
            page = reader.get(url).get_data(as_text=True)
            assert "Переименованный Участник" in page and "Участник Номер0" not in page


def test_jury_overview_shows_renamed_people_and_divisions(app, client) -> None:
    built = jury_stage(entries=2, jurors=1)
    save_scores(
        built.entries[0], built.jurors[0], {"Содержание": 8, "Методика": 4}, "", submit=True, now=utcnow()
    )
    refresh_standing(built.stage.id)
    db.session.commit()
    url = f"/jury/stages/{built.stage.id}/overview"
    login(client, built.organiser)
    page = client.get(url).get_data(as_text=True)
    assert "Участница Секретная 0" in page and built.jurors[0].full_name in page
    _rename(built.participants[0].id, "Участница Новая")
    _rename(built.jurors[0].id, "Жюри Переименованное")
    page = client.get(url).get_data(as_text=True)
    assert "Участница Новая" in page and "Участница Секретная 0" not in page
    assert "Жюри Переименованное" in page
    update_contest(
        built.contest,
        _edit(built.contest, [DivisionEdit(built.division.id, "Лига знатоков")]),
        actor=built.organiser,
    )
    assert "Лига знатоков" in client.get(url).get_data(as_text=True)


def test_a_stage_that_closed_by_its_time_shows_its_ranking_on_the_first_view_after(app, client) -> None:
    """The organiser saw the table while the stage was open (nothing stored yet); once its time is
    up the page shows the ranking computed for it, not the empty table kept from before."""
    contest, owner, division, _registration, card = running_contest()
    for n in range(2):
        user = UserFactory(full_name=f"Участник Номер{n}")
        participation = ParticipationFactory(contest=contest, division=division, user=user)
        db.session.add(Entry(stage_id=card.id, participation_id=participation.id, text="x", submitted_at=NOW))
    card.state = StageState.OPEN
    db.session.commit()
    url = f"/contests/stages/{card.id}/results"
    login(client, owner)
    with at(card.opens_at + (card.closes_at - card.opens_at) / 2):
        assert "Участник Номер1" not in client.get(url).get_data(as_text=True)
    with at(LATER):
        assert "Участник Номер1" in client.get(url).get_data(as_text=True)
