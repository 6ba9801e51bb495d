"""The olympiad in the browser: GIFT into the contest bank, the round set up on the stage page, a
pupil starting it from the stage page (through the quiz room), results and awards pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

from sqlalchemy import func, select

from app.extensions import db
from contest_engine import queries, setup
from contest_engine.models import Stage
from contest_engine.spec import ContestSpec, StageSpec
from tests.conftest import login
from tests.factories.accounts import organiser, student
from tests.web.test_contest_pages import at

T0 = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
GIFT = "::Q1:: 2 + 2 = ? {#4}\n\n::Q2:: Земля круглая {T}\n"


def olympiad(owner):  # type: ignore[no-untyped-def]
    spec = ContestSpec(
        title="Олимпиада",
        kind="olympiad",
        divisions=["5-8", "9-11"],
        stages=[
            StageSpec("Регистрация", "registration", T0, T0 + timedelta(days=7)),
            StageSpec("Тур", "olympiad", T0 + timedelta(days=8), T0 + timedelta(days=10)),
        ],
        awards=[{"title": "Победитель", "ranks": [1, 1]}, {"title": "Участник"}],
        award_quota_percent=Decimal(50),
        requires_consent=False,
    )
    return setup.create_contest(spec, actor=owner, now=T0 - timedelta(days=1))


def test_olympiad_round_set_up_and_taken_in_the_browser(client) -> None:
    owner, pupil = organiser(), student()
    contest = olympiad(owner)
    round_stage = queries.contest_stages(contest.id)[1]
    db.session.commit()
    login(client, owner)
    bad = client.post(f"/contests/{contest.id}/questions", data={"gift": "::Q:: broken {=4"})
    assert bad.status_code == 422 and "gift-errors" in bad.get_data(as_text=True)
    good = client.post(f"/contests/{contest.id}/questions", data={"gift": GIFT})
    assert good.status_code == 302
    from courses.quiz.models import Question

    ids = list(db.session.scalars(select(Question.id).where(Question.bank_id == contest.bank_id)))
    assert len(ids) == 2
    with at(T0):
        page = client.get(f"/contests/stages/{round_stage.id}").get_data(as_text=True)
        assert "round-form" in page
        created = client.post(
            f"/contests/stages/{round_stage.id}/round",
            data={
                "round-question_ids": [str(i) for i in ids],
                "round-time_limit_minutes": "60",
                "round-max_grade": "20",
            },
        )
    assert created.status_code == 302
    quiz_id = db.session.get(Stage, round_stage.id).quiz_id
    assert quiz_id is not None
    client.post("/auth/logout")
    login(client, pupil)
    with at(T0 + timedelta(days=1)):
        assert (
            client.post(
                f"/contests/{contest.id}/register",
                data={"division": contest_division(contest.id, "5-8"), "institution": "Школа"},
            ).status_code
            == 302
        )
    moment = T0 + timedelta(days=8, hours=2)
    with at(moment):
        stage_page = client.get(f"/contests/stages/{round_stage.id}").get_data(as_text=True)
    assert "round-link" in stage_page
    with mock.patch("app.quiz.attempt.utcnow", return_value=moment):
        started = client.post(f"/quiz/quizzes/{quiz_id}/start")
    assert started.status_code == 302 and "/quiz/attempts/" in started.headers["Location"]
    from courses.quiz.models import QuizAttempt

    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.deadline == moment + timedelta(minutes=60)
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def contest_division(contest_id: int, name: str) -> int:
    return next(d.id for d in queries.contest_divisions(contest_id) if d.name == name)


def test_round_form_shuffles_by_default_and_refuses_an_empty_pick_by_the_field(client) -> None:
    owner = organiser()
    contest = olympiad(owner)
    round_stage = queries.contest_stages(contest.id)[1]
    db.session.commit()
    login(client, owner)
    assert client.post(f"/contests/{contest.id}/questions", data={"gift": GIFT}).status_code == 302
    with at(T0):
        page = client.get(f"/contests/stages/{round_stage.id}").get_data(as_text=True)
        shuffle = page.split('id="round-shuffle"', 1)[0].rsplit("<input", 1)[1]
        assert "checked" in shuffle  # on for a new round, as in Moodle
        refused = client.post(
            f"/contests/stages/{round_stage.id}/round",
            data={"round-time_limit_minutes": "60", "round-max_grade": "20", "round-shuffle": "y"},
        )
        body = refused.get_data(as_text=True)
        assert refused.status_code == 422
        picks = body.split('id="round-questions"', 1)[1].split("</fieldset>", 1)[0]
        assert "Отметьте хотя бы один вопрос для тура." in picks and "border-danger" in picks
        assert "Обязательное поле." not in body
        assert 'value="20"' in body  # what was typed stays
        assert client.get(f"/contests/stages/{round_stage.id}/round").status_code == 302
    assert db.session.get(Stage, round_stage.id).quiz_id is None


def test_round_form_refuses_an_empty_pick_when_the_bank_is_empty(client) -> None:
    owner = organiser()
    contest = olympiad(owner)
    round_stage = queries.contest_stages(contest.id)[1]
    db.session.commit()
    login(client, owner)
    with at(T0):
        refused = client.post(f"/contests/stages/{round_stage.id}/round", data={"round-max_grade": "20"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Сначала импортируйте вопросы." in body
    assert body.split('id="round-form"', 1)[1].count("Отметьте хотя бы один вопрос для тура.") == 1
