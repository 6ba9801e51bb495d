"""The jury API's appeals: filed within the window, resolved by the organiser or the jury chair."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.timeutil import utcnow
from contest_engine.jury.sheets import save_scores
from contest_engine.models import Stage
from tests.api.test_jury_api import FULL, _error
from tests.factories.jury import jury_stage


def _publish(built, hours: int = 72) -> None:  # type: ignore[no-untyped-def]
    stage = db.session.get(Stage, built.stage.id)
    stage.results_published_at = utcnow() - timedelta(minutes=1)
    stage.appeals_close_at = utcnow() + timedelta(hours=hours)
    db.session.commit()


def test_appeal_flow(app, api) -> None:
    built = jury_stage(entries=1, jurors=2)
    for user in built.jurors:
        save_scores(built.entries[0], user, FULL, "", submit=True, now=utcnow())
    participant = api(built.participants[0])
    _error(participant.post(f"/entries/{built.entries[0].id}/appeals", {"text": "Рано"}), 409, "conflict")
    _publish(built)
    _error(
        api(built.jurors[0]).post(f"/entries/{built.entries[0].id}/appeals", {"text": "Чужое"}),
        403,
        "forbidden",
    )
    _error(participant.post(f"/entries/{built.entries[0].id}/appeals", {"text": ""}), 422, "validation")
    response = participant.post(f"/entries/{built.entries[0].id}/appeals", {"text": "Прошу пересмотреть"})
    assert response.status_code == 201
    appeal_id = response.get_json()["id"]
    _error(participant.post(f"/entries/{built.entries[0].id}/appeals", {"text": "Ещё"}), 409, "conflict")
    _error(
        participant.post(f"/appeals/{appeal_id}/resolve", {"decision": "rejected", "reason": "нет"}),
        403,
        "forbidden",
    )
    _error(api(built.jurors[0]).get(f"/appeals/{appeal_id}"), 404, "not_found")
    organiser_client = api(built.organiser)
    error = _error(
        organiser_client.post(
            f"/appeals/{appeal_id}/resolve",
            {
                "decision": "accepted",
                "reason": "r",
                "score_changes": {str(built.jurors[0].id): {"Содержание": 99}},
            },
        ),
        422,
        "validation",
    )
    assert f"score_changes.{built.jurors[0].id}.Содержание" in error["fields"]
    _error(
        organiser_client.post(f"/appeals/{appeal_id}/resolve", {"decision": "maybe", "reason": "r"}),
        422,
        "validation",
    )
    response = organiser_client.post(
        f"/appeals/{appeal_id}/resolve",
        {
            "decision": "accepted",
            "reason": "Пересчитано",
            "score_changes": {
                str(built.jurors[0].id): {"Содержание": 10},
                str(built.jurors[1].id): {"Содержание": 10},
            },
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["entry_score"] == "18.00"
    assert participant.get(f"/appeals/{appeal_id}").get_json()["state"] == "accepted"
    _error(
        organiser_client.post(f"/appeals/{appeal_id}/resolve", {"decision": "rejected", "reason": "x"}),
        409,
        "conflict",
    )


def test_appeal_after_the_window_is_a_conflict(app, api) -> None:
    built = jury_stage(entries=1, jurors=1)
    stage = db.session.get(Stage, built.stage.id)
    stage.results_published_at = utcnow() - timedelta(days=5)
    stage.appeals_close_at = utcnow() - timedelta(days=1)
    db.session.commit()
    _error(
        api(built.participants[0]).post(f"/entries/{built.entries[0].id}/appeals", {"text": "Поздно"}),
        409,
        "conflict",
    )


def test_jury_chair_may_resolve(app, api) -> None:
    built = jury_stage(entries=1, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=utcnow())
    from contest_engine.jury.models import StageJuror

    db.session.execute(StageJuror.__table__.update().values(is_chair=True))
    db.session.commit()
    _publish(built)
    appeal_id = (
        api(built.participants[0])
        .post(f"/entries/{built.entries[0].id}/appeals", {"text": "Текст"})
        .get_json()["id"]
    )
    response = api(built.jurors[0]).post(
        f"/appeals/{appeal_id}/resolve", {"decision": "rejected", "reason": "Оценка верна"}
    )
    assert response.status_code == 200 and response.get_json()["state"] == "rejected"
