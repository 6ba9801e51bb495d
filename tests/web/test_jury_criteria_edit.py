"""Editing a jury criterion on its own page: every field changes before scoring; once jurors have
scored, the maximum cannot drop below a score given and the weight is fixed (said by the field);
refusals for bad input and for other roles; the edit is in the audit log."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from app.audit import AuditEntry
from app.domain_errors import Conflict
from app.extensions import db
from app.timeutil import utcnow
from contest_engine.jury.criteria import update_criterion
from contest_engine.jury.models import JuryCriterion, Score
from contest_engine.jury.setup import stage_criteria
from contest_engine.jury.sheets import save_scores
from tests.conftest import login
from tests.factories.accounts import organiser, student, teacher
from tests.factories.jury import jury_stage


def _form(**changes: str) -> dict[str, str]:
    data = {
        "name": "Содержание урока",
        "max_points": "12",
        "weight": "1,5",
        "description": "Цель и **результат**",
        "levels-0-points": "0",
        "levels-0-text": "не раскрыто",
        "levels-1-points": "",
        "levels-1-text": "",
        "levels-2-points": "12",
        "levels-2-text": "раскрыто полностью",
    }
    data.update(changes)
    return data


def test_organiser_edits_every_field_before_scoring(client) -> None:
    built = jury_stage(entries=1, jurors=1)
    criterion = stage_criteria(built.stage.id)[0]
    login(client, built.organiser)
    page = client.get(f"/jury/criteria/{criterion.id}/edit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="не раскрыто"' in text and "data-breadcrumbs" in text
    assert f'href="/jury/stages/{built.stage.id}"' in text  # the jury crumb is a link
    response = client.post(f"/jury/criteria/{criterion.id}/edit", data=_form())
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get_one(JuryCriterion, criterion.id)
    assert (saved.name, saved.max_points, saved.weight) == ("Содержание урока", Decimal(12), Decimal("1.5"))
    assert saved.levels == [
        {"points": "0", "text": "не раскрыто"},
        {"points": "12", "text": "раскрыто полностью"},
    ]
    assert saved.description == "Цель и **результат**"
    entry = db.session.query(AuditEntry).filter_by(action="jury.criterion_updated").one()
    assert entry.details["before"]["name"] == "Содержание"
    log = client.get(f"/contests/{built.contest.id}/audit").get_data(as_text=True)
    assert "критерий «Содержание урока»" in log


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"max_points": "0"}, "max_points", "больше 0"),
        ({"max_points": "abc"}, "max_points", "больше 0"),
        ({"name": "Методика"}, "name", "не должны повторяться"),
        ({"name": ""}, "name", ""),
        ({"weight": "-1"}, "weight", "не меньше 0"),
        ({"levels-0-text": ""}, "levels", "Напишите, за что"),
    ],
)
def test_bad_input_is_refused_by_the_field(client, changes, field, message) -> None:
    built = jury_stage(entries=1, jurors=1)
    criterion = stage_criteria(built.stage.id)[0]
    login(client, built.organiser)
    response = client.post(f"/jury/criteria/{criterion.id}/edit", data=_form(**changes))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "invalid-feedback" in text
    assert message in text
    db.session.expire_all()
    assert db.session.get_one(JuryCriterion, criterion.id).name == "Содержание"


def test_after_scoring_the_maximum_stays_above_scores_given_and_the_weight_is_fixed(client) -> None:
    built = jury_stage(entries=1, jurors=1)
    criterion = stage_criteria(built.stage.id)[0]
    save_scores(
        built.entries[0], built.jurors[0], {"Содержание": "8", "Методика": "4"}, submit=True, now=utcnow()
    )
    login(client, built.organiser)
    page = client.get(f"/jury/criteria/{criterion.id}/edit").get_data(as_text=True)
    assert "data-scored" in page and "8" in page
    low = client.post(f"/jury/criteria/{criterion.id}/edit", data=_form(max_points="7,5", weight="1"))
    assert low.status_code == 422
    assert "уже поставил по этому критерию оценку 8" in low.get_data(as_text=True)
    heavier = client.post(f"/jury/criteria/{criterion.id}/edit", data=_form(max_points="10", weight="2"))
    assert heavier.status_code == 422 and "вес" in heavier.get_data(as_text=True)
    fine = client.post(f"/jury/criteria/{criterion.id}/edit", data=_form(max_points="8", weight="1"))
    assert fine.status_code == 302
    db.session.expire_all()
    assert db.session.get_one(JuryCriterion, criterion.id).max_points == Decimal(8)


def test_a_score_given_at_the_same_moment_wins_over_a_lower_maximum(app) -> None:
    """The update is conditional on no score above the new maximum (checked in the same statement)."""
    built = jury_stage(entries=1, jurors=1)
    criterion = stage_criteria(built.stage.id)[0]
    save_scores(
        built.entries[0], built.jurors[0], {"Содержание": "5", "Методика": "4"}, submit=True, now=utcnow()
    )
    # Another request raises the score to 9 after this one read the highest score (5).
    real = db.session.scalar

    def racing(statement, *args, **kw):  # type: ignore[no-untyped-def]
        value = real(statement, *args, **kw)
        if "max" in str(statement).lower() and "jury_score" in str(statement):
            db.session.execute(
                update(Score).where(Score.criterion_id == criterion.id).values(points=Decimal(9))
            )
            return Decimal(5)
        return value

    db.session.scalar = racing  # type: ignore[method-assign]
    try:
        with pytest.raises(Conflict):
            update_criterion(
                criterion,
                name="Содержание",
                max_points="6",
                weight="1",
                description="",
                levels=[],
                actor=built.organiser,
            )
    finally:
        del db.session.scalar
    db.session.expire_all()
    assert db.session.get_one(JuryCriterion, criterion.id).max_points == Decimal(10)


@pytest.mark.parametrize("make", [teacher, student, organiser])
def test_others_may_not_edit(client, make) -> None:
    built = jury_stage(entries=1, jurors=1)
    criterion_id = stage_criteria(built.stage.id)[0].id
    for person in (make(), built.jurors[0]):
        login(client, person)
        assert client.get(f"/jury/criteria/{criterion_id}/edit").status_code == 403
        assert client.post(f"/jury/criteria/{criterion_id}/edit", data=_form()).status_code == 403
    assert client.get("/jury/criteria/999999/edit").status_code == 404
