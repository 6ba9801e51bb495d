"""The contests' rows editors (awards, divisions, jury criteria): each refusal is a 422 with its
message by the row's field and nothing written; empty rows are skipped; stored rows load for
editing; the stage form reads only what its kind uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from contest_engine import queries
from contest_engine.jury.models import JuryCriterion
from contest_engine.models import Contest, Stage
from tests.conftest import login
from tests.factories.accounts import organiser
from tests.factories.contests import ParticipationFactory

CONTEST = {
    "title": "Дистанционный учитель",
    "kind": "teacher",
    "timezone": "Europe/Moscow",
    "registration_opens_at": "2027-01-11T09:00",
    "registration_closes_at": "2027-01-25T09:00",
    "divisions-0-name": "Учителя",
}
STAGE = {
    "kind": "submission",
    "title": "Визитная карточка",
    "opens_at": "2027-01-25T09:00",
    "closes_at": "2027-02-01T09:00",
    "advancement_rule": "all",
    "advancement_ties": "include_tied",
    "accepts_text": "y",
    "file_types": "pdf",
    "max_file_mb": "5",
    "max_files": "2",
    "jury_aggregation": "mean",
}


def organiser_client(client: Any) -> Any:
    owner = organiser()
    db.session.commit()
    login(client, owner)
    return owner


def feedback(body: str) -> list[str]:
    """The messages shown under fields, in page order."""
    parts = body.split('<div class="invalid-feedback d-block">')[1:]
    return [part.split("</div>", 1)[0] for part in parts]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"awards-0-rank_from": "1", "awards-0-rank_to": "1"}, "Назовите награду, например «Победитель»."),
        (
            {"awards-0-title": "Призёр", "awards-0-rank_from": "3", "awards-0-rank_to": "2"},
            "Не может быть меньше",
        ),
        ({"awards-0-title": "Призёр", "awards-0-rank_to": "3"}, "Укажите и первое место диапазона."),
        ({"awards-0-title": "Призёр", "awards-0-rank_from": "0"}, "Должно быть от 1 до 100000."),
        ({"awards-0-title": "Лауреат", "awards-0-top_percent": "0"}, "Процент должен быть больше 0"),
        ({"awards-0-title": "Лауреат", "awards-0-top_percent": "101"}, "Процент должен быть больше 0"),
        ({"awards-0-title": "Лауреат", "awards-0-min_percent": "150"}, "100"),
        ({"awards-0-title": "Лауреат", "awards-0-min_percent": "половина"}, "Введите число, например 12,5."),
        ({"awards-0-title": "Лауреат", "awards-0-rank_from": "первое"}, "Введите целое число, например 3."),
        ({"awards-0-title": "п" * 256}, "255 символов"),
    ],
)
def test_each_bad_award_row_is_refused_by_its_field(client, rows, message) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    response = client.post("/contests/new", data=CONTEST | rows)
    assert response.status_code == 422
    shown = feedback(response.get_data(as_text=True))
    assert len(shown) == 1 and message in shown[0]
    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0


@pytest.mark.parametrize(
    ("rows", "under_field", "message"),
    [
        ({"divisions-0-name": ""}, False, "Добавьте хотя бы одну номинацию."),
        ({"divisions-1-name": "учителя"}, True, "Такая номинация уже есть в списке."),
        ({"divisions-1-name": "д" * 101}, True, "100"),
    ],
)
def test_each_bad_division_row_is_refused(client, rows, under_field, message) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    response = client.post("/contests/new", data=CONTEST | rows)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in (feedback(body)[0] if under_field else body.split("data-rows-error>")[1])
    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0


def test_empty_rows_are_skipped_and_commas_read_as_points(client) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    data = CONTEST | {
        "divisions-1-name": " ",
        "divisions-5-name": "Учителя-предметники",
        "awards-0-title": "Победитель",
        "awards-0-rank_from": "1",
        "awards-1-title": "",
        "awards-2-title": "Лауреат",
        "awards-2-top_percent": "12,5",
        "awards-2-min_percent": "50",
    }
    assert client.post("/contests/new", data=data).status_code == 302
    contest = db.session.scalar(select(Contest))
    assert [d.name for d in queries.contest_divisions(contest.id)] == ["Учителя", "Учителя-предметники"]
    assert contest.award_rules == [
        {"title": "Победитель", "ranks": [1, 1], "top_percent": None, "min_percent_of_max": None},
        {"title": "Лауреат", "ranks": None, "top_percent": "12.5", "min_percent_of_max": "50"},
    ]


def new_contest(client: Any) -> Contest:
    assert client.post("/contests/new", data=CONTEST).status_code == 302
    return db.session.scalar(select(Contest))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"jury_criteria-0-max_points": "10"}, "Назовите критерий."),
        ({"jury_criteria-0-name": "Содержание", "jury_criteria-0-max_points": "0"}, "Больше 0"),
        ({"jury_criteria-0-name": "Содержание", "jury_criteria-0-max_points": "2,555"}, "двух знаков"),
        ({"jury_criteria-0-name": "Содержание", "jury_criteria-0-weight": "-1"}, "0 или больше"),
        ({"jury_criteria-0-name": "Содержание", "jury_criteria-0-weight": "много"}, "Введите число"),
        ({"jury_criteria-0-name": "к" * 201}, "200 символов"),
    ],
)
def test_each_bad_criterion_row_is_refused_by_its_field(client, rows, message) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    contest = new_contest(client)
    response = client.post(f"/contests/{contest.id}/stages/new", data=STAGE | rows)
    assert response.status_code == 422
    shown = feedback(response.get_data(as_text=True))
    assert len(shown) == 1 and message in shown[0]
    assert len(queries.contest_stages(contest.id)) == 1


def test_a_jury_stage_needs_a_criterion_and_reads_only_its_parts(client) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    contest = new_contest(client)
    jury = STAGE | {"kind": "jury", "title": "Финал"}
    refused = client.post(f"/contests/{contest.id}/stages/new", data=jury)
    assert refused.status_code == 422
    assert "Этапу жюри нужен хотя бы один критерий." in refused.get_data(as_text=True)
    # An olympiad round neither checks nor keeps the jury rows and file limits it does not use.
    olympiad = STAGE | {
        "kind": "olympiad",
        "title": "Тур",
        "jury_criteria-0-max_points": "-5",
        "max_file_mb": "9999",
        "tiebreak_by_time": "y",
    }
    assert client.post(f"/contests/{contest.id}/stages/new", data=olympiad).status_code == 302
    stage = queries.contest_stages(contest.id)[1]
    assert (stage.kind.value, stage.has_jury, stage.max_file_mb, stage.tiebreak_by_time) == (
        "olympiad",
        False,
        10,
        True,
    )
    assert db.session.scalar(select(func.count()).select_from(JuryCriterion)) == 0


def test_save_and_next_opens_the_next_stage_form_with_proposed_dates(client) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    contest = new_contest(client)
    criteria = {"jury_criteria-0-name": "Содержание", "jury_criteria-0-weight": "0,5"}
    saved = client.post(f"/contests/{contest.id}/stages/new", data=STAGE | criteria | {"then": "next"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/contests/{contest.id}/stages/new"
    )
    form = client.get(f"/contests/{contest.id}/stages/new").get_data(as_text=True)
    assert 'value="2027-02-01T09:00"' in form and 'value="2027-02-15T09:00"' in form
    criterion = db.session.scalar(select(JuryCriterion))
    assert (criterion.max_points, criterion.weight) == (10, Decimal("0.5"))


def test_stored_divisions_and_awards_load_into_rows_and_save_back(client) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    data = CONTEST | {
        "divisions-1-name": "Предметники",
        "awards-0-title": "Победитель",
        "awards-0-rank_from": "1",
        "awards-1-title": "Лауреат",
        "awards-1-top_percent": "12,5",
    }
    assert client.post("/contests/new", data=data).status_code == 302
    contest = db.session.scalar(select(Contest))
    first, second = queries.contest_divisions(contest.id)
    page = client.get(f"/contests/{contest.id}/edit").get_data(as_text=True)
    assert f'name="divisions-0-key" type="hidden" value="{first.id}"' in page
    assert 'name="divisions-1-name" type="text" value="Предметники"' in page
    assert 'value="12,5"' in page and 'name="awards-0-rank_to" type="number" value="1"' in page
    edit = {
        "title": "Дистанционный учитель — 2027",
        "timezone": "Asia/Novosibirsk",
        "divisions-0-key": str(second.id),
        "divisions-0-name": "Учителя-предметники",
        "divisions-1-key": str(first.id),
        "divisions-1-name": "Учителя начальных классов",
        "divisions-2-name": "Педагоги дополнительного образования",
        "awards-0-title": "Победитель",
        "awards-0-rank_from": "1",
        "awards-0-rank_to": "1",
    }
    assert client.post(f"/contests/{contest.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    divisions = queries.contest_divisions(contest.id)
    assert [(d.id, d.name) for d in divisions[:2]] == [
        (second.id, "Учителя-предметники"),
        (first.id, "Учителя начальных классов"),
    ]
    assert divisions[2].name == "Педагоги дополнительного образования"
    assert db.session.get(Contest, contest.id).award_rules == [
        {"title": "Победитель", "ranks": [1, 1], "top_percent": None, "min_percent_of_max": None}
    ]


def test_a_division_with_participants_is_renamed_not_removed(client) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    data = CONTEST | {"divisions-1-name": "Предметники"}
    assert client.post("/contests/new", data=data).status_code == 302
    contest = db.session.scalar(select(Contest))
    first, second = queries.contest_divisions(contest.id)
    ParticipationFactory(contest=contest, division=second)
    db.session.commit()
    keep_first = {"title": contest.title, "timezone": "Europe/Moscow", "divisions-0-key": str(first.id)}
    refused = client.post(f"/contests/{contest.id}/edit", data=keep_first | {"divisions-0-name": "Учителя"})
    assert refused.status_code == 422 and "«Предметники»" in refused.get_data(as_text=True)
    stranger = client.post(
        f"/contests/{contest.id}/edit",
        data=keep_first
        | {"divisions-0-name": "Учителя", "divisions-1-key": "999999", "divisions-1-name": "Чужая"},
    )
    assert stranger.status_code == 422
    db.session.expire_all()
    assert [d.name for d in queries.contest_divisions(contest.id)] == ["Учителя", "Предметники"]
    emptied = keep_first | {
        "divisions-0-name": "Учителя",
        "divisions-1-key": str(second.id),
        "divisions-1-name": "Учителя-предметники",
    }
    assert client.post(f"/contests/{contest.id}/edit", data=emptied).status_code == 302
    db.session.expire_all()
    assert [d.name for d in queries.contest_divisions(contest.id)] == ["Учителя", "Учителя-предметники"]
    assert db.session.scalar(select(func.count()).select_from(Stage)) == 1


def test_the_setup_forms_run_a_fixed_number_of_queries(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    counts = []
    for size in (2, 20):
        data = CONTEST | {f"divisions-{i}-name": f"Номинация {size}-{i}" for i in range(size)}
        data |= {f"awards-{i}-title": f"Награда {i}" for i in range(size)}
        assert client.post("/contests/new", data=data | {"title": f"Конкурс {size}"}).status_code == 302
        contest_id = db.session.scalars(select(Contest.id).order_by(Contest.id.desc())).first()
        for number in range(size // 2):
            stage = STAGE | {
                "title": f"Этап {number}",
                "opens_at": f"2027-02-{number + 1:02d}T09:00",
                "closes_at": f"2027-02-{number + 1:02d}T18:00",
                "jury_criteria-0-name": "Содержание",
            }
            assert client.post(f"/contests/{contest_id}/stages/new", data=stage).status_code == 302
        with count_queries(cold=True) as edit_page:
            assert client.get(f"/contests/{contest_id}/edit").status_code == 200
        with count_queries(cold=True) as stage_page:
            assert client.get(f"/contests/{contest_id}/stages/new").status_code == 200
        counts.append((edit_page.count, stage_page.count))
    assert counts[0] == counts[1], counts


def test_the_advanced_fold_opens_when_it_holds_an_error(client) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    contest = new_contest(client)
    closed = client.get(f"/contests/{contest.id}/stages/new").get_data(as_text=True)
    assert 'id="stage-advanced">' in closed
    refused = client.post(f"/contests/{contest.id}/stages/new", data=STAGE | {"max_file_mb": "500"})
    assert refused.status_code == 422 and 'id="stage-advanced" open>' in refused.get_data(as_text=True)


def test_an_edit_keeps_what_the_stages_kind_does_not_show(client) -> None:  # type: ignore[no-untyped-def]
    organiser_client(client)
    contest = new_contest(client)
    olympiad = STAGE | {
        "kind": "olympiad",
        "title": "Тур",
        "advancement_rule": "top_n",
        "advancement_value": "5",
    }
    assert client.post(f"/contests/{contest.id}/stages/new", data=olympiad).status_code == 302
    stage = queries.contest_stages(contest.id)[1]
    stage.accepts_files, stage.max_files = (
        False,
        7,
    )  # set through the API: the olympiad form has no such fields
    db.session.commit()
    edit = {
        k: v
        for k, v in olympiad.items()
        if k not in ("accepts_text", "file_types", "max_file_mb", "max_files")
    }
    assert client.post(f"/contests/stages/{stage.id}/edit", data=edit | {"title": "Тур 1"}).status_code == 302
    db.session.expire_all()
    stage = db.session.get(Stage, stage.id)
    assert (stage.title, stage.accepts_files, stage.max_files, stage.advancement_value) == (
        "Тур 1",
        False,
        7,
        5,
    )
