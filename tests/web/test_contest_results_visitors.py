"""Pupils are minors: a visitor who is not signed in reads a published ranking with each pupil as
«Участник № N» (school, district, place, score and status as for everyone) and cannot find a pupil
by name; adults keep their names; signed-in members of the network see every name. The visitor's
kept page and the signed-in table are separate cache entries."""

from __future__ import annotations

from datetime import timedelta

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app.account_services import admin_update_user
from app.accounts import Role, User
from app.extensions import db
from app.memo import forget_everything
from app.permissions.contests import can_see_pupil_names
from contest_engine.models import Award, Entry, Participation, Stage
from contest_engine.results import publish_results, results_page
from contest_engine.rules.stages import StageState
from tests.conftest import empty_database, login
from tests.factories.accounts import admin, student, teacher
from tests.factories.contests import ParticipationFactory
from tests.web.test_contest_pages import NOW, at, running_contest

LATER = NOW + timedelta(days=11)


def _ranking(pupils: int = 2, *, publish: bool = True):  # type: ignore[no-untyped-def]
    """A public contest's closed stage with `pupils` pupils and one teacher, published by default."""
    contest, owner, division, _registration, card = running_contest()
    contest.is_public = True
    for n in range(pupils):
        ParticipationFactory(
            contest=contest,
            division=division,
            user=student(full_name=f"Школьница Петрова{n}"),
            institution_name="Гимназия № 5",
            district="Заречный",
        )
    ParticipationFactory(
        contest=contest,
        division=division,
        user=teacher(full_name="Учитель Смирнов"),
        institution_name="Лицей",
        district="Центральный",
    )
    db.session.flush()
    for participation in db.session.scalars(select(Participation)):
        db.session.add(Entry(stage_id=card.id, participation_id=participation.id, text="x", submitted_at=NOW))
    card.state = StageState.CLOSED
    db.session.commit()
    if publish:
        publish_results(card, actor=owner, now=NOW + timedelta(days=10))
    first = db.session.scalar(
        select(Participation.id).join(User, User.id == Participation.user_id).where(User.role == Role.STUDENT)
    )
    return owner, card.id, first


def test_the_rule_names_pupils_for_signed_in_members_only(app) -> None:
    assert not can_see_pupil_names(AnonymousUserMixin())
    assert can_see_pupil_names(teacher()) and can_see_pupil_names(student())
    assert not can_see_pupil_names(teacher(active=False))


def test_a_visitor_sees_pupils_as_numbers_and_adults_by_name(app) -> None:
    _owner, stage_id, first = _ranking()
    with at(LATER):
        page = app.test_client().get(f"/contests/stages/{stage_id}/results").get_data(as_text=True)
    assert "Петрова" not in page
    assert f"Участник № {first}" in page and "Учитель Смирнов" in page
    assert "Гимназия № 5" in page and "Заречный" in page  # school and district as before
    assert 'id="pupil-names-note"' in page


def test_a_signed_in_teacher_sees_every_name(client) -> None:
    _owner, stage_id, first = _ranking()
    login(client, teacher())
    with at(LATER):
        page = client.get(f"/contests/stages/{stage_id}/results").get_data(as_text=True)
    assert "Школьница Петрова0" in page and "Школьница Петрова1" in page and "Учитель Смирнов" in page
    assert f"Участник № {first}" not in page and 'id="pupil-names-note"' not in page


def test_a_visitors_search_finds_pupils_by_school_never_by_name(app, client) -> None:
    _owner, stage_id, first = _ranking()
    url = f"/contests/stages/{stage_id}/results"
    visitor = app.test_client()
    with at(LATER):
        by_name = visitor.get(url, query_string={"q": "петрова"}).get_data(as_text=True)
        by_school = visitor.get(url, query_string={"q": "гимназия"}).get_data(as_text=True)
        by_district = visitor.get(url, query_string={"q": "заречн"}).get_data(as_text=True)
        adult = visitor.get(url, query_string={"q": "смирнов"}).get_data(as_text=True)
    assert "Участник №" not in by_name and "Гимназия № 5" not in by_name  # no pupil row at all
    assert f"Участник № {first}" in by_school and "Петрова" not in by_school
    assert f"Участник № {first}" in by_district and "Учитель Смирнов" not in by_district
    assert "Учитель Смирнов" in adult
    login(client, teacher())
    with at(LATER):
        assert "Школьница Петрова1" in client.get(url, query_string={"q": "петрова"}).get_data(as_text=True)


def test_the_visitors_kept_page_is_its_own_entry_and_costs_one_statement(app, count_queries) -> None:
    served = []
    for pupils in (2, 20):
        _owner, stage_id, _first = _ranking(pupils)
        url = f"/contests/stages/{stage_id}/results"
        client = app.test_client()
        login(client, teacher())
        with at(LATER):
            assert "Школьница Петрова1" in client.get(url).get_data(as_text=True)  # warms the named table
        for _round in range(2):
            with at(LATER), count_queries(cold=True) as counter:
                page = app.test_client().get(url).get_data(as_text=True)
            assert "Петрова" not in page and "Учитель Смирнов" in page
        served.append(counter.count)
        with at(LATER):
            assert "Школьница Петрова1" in client.get(url).get_data(as_text=True)  # still named
        empty_database()
        forget_everything()
    assert served == [1, 1], served


def test_a_role_change_reaches_the_visitors_kept_page(app) -> None:
    _owner, stage_id, _first = _ranking(1)
    url = f"/contests/stages/{stage_id}/results"
    visitor = app.test_client()
    with at(LATER):
        assert "Учитель Смирнов" in visitor.get(url).get_data(as_text=True)
    smirnov = db.session.scalar(select(User).where(User.full_name == "Учитель Смирнов"))
    admin_update_user(smirnov, role=Role.STUDENT, institution_id=None, active=True, actor=admin())
    with at(LATER):
        assert "Учитель Смирнов" not in visitor.get(url).get_data(as_text=True)


def test_visitors_cannot_download_the_ranking_or_read_it_through_the_api(app, api) -> None:
    _owner, stage_id, _first = _ranking()
    visitor = app.test_client()
    for fmt in ("csv", "xlsx"):
        with at(LATER):
            response = visitor.get(f"/contests/stages/{stage_id}/results.{fmt}")
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    for path in ("", ".csv", ".xlsx"):
        response = api().get(f"/stages/{stage_id}/results{path}")
        assert response.status_code == 401 and "Петрова" not in response.get_data(as_text=True)


def test_a_ranking_not_stored_yet_is_masked_and_searched_the_same_way(app) -> None:
    _owner, stage_id, first = _ranking(publish=False)
    stage = db.session.get(Stage, stage_id)
    assert stage.results_computed_at is None
    with app.test_request_context("/"):
        shown = results_page(stage, page=1, per_page=50, names_visible=False)
        names = [row.full_name for row in shown.items]
        assert f"Участник № {first}" in names and "Учитель Смирнов" in names
        assert not any("Петрова" in name for name in names)
        assert results_page(stage, page=1, per_page=50, search="петрова", names_visible=False).total == 0
        assert results_page(stage, page=1, per_page=50, search="гимназия", names_visible=False).total == 2
        assert results_page(stage, page=1, per_page=50, search="петрова").total == 2


def test_the_awards_list_shows_a_visitor_pupils_as_numbers(app, client) -> None:
    _owner, stage_id, first = _ranking()
    stage = db.session.get(Stage, stage_id)
    assert stage is not None
    contest_id = stage.contest_id
    for participation in db.session.scalars(select(Participation)).all():
        db.session.add(
            Award(
                contest_id=contest_id,
                division_id=participation.division_id,
                participation_id=participation.id,
                title="Призёр",
            )
        )
    db.session.commit()
    url = f"/contests/{contest_id}/awards"
    with at(LATER):
        page = app.test_client().get(url).get_data(as_text=True)
    assert "Петрова" not in page and f"Участник № {first}" in page and "Учитель Смирнов" in page
    login(client, teacher())
    with at(LATER):
        page = client.get(url).get_data(as_text=True)
    assert "Школьница Петрова0" in page and f"Участник № {first}" not in page
