"""The jury API of API.md: jurors, conflicts, allocate, scores, assignments, slots; every refusal."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.extensions import db
from app.timeutil import utcnow
from contest_engine.jury.assignment import stage_assignments
from contest_engine.jury.setup import jury_config
from contest_engine.jury.sheets import save_scores
from tests.factories.accounts import admin, juror, organiser, student, teacher
from tests.factories.jury import jury_stage

FULL = {"Содержание": 8, "Методика": 4}


def _error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"]["code"] == code
    return body["error"]


def test_add_juror_by_id_and_by_email(app, api, outbox) -> None:
    built = jury_stage(entries=0, jurors=0)
    person = teacher()
    db.session.commit()
    client = api(built.organiser)
    response = client.post(
        f"/contests/{built.contest.id}/jurors", {"user_id": person.id, "stage_id": built.stage.id}
    )
    assert response.status_code == 201 and response.get_json()["user_id"] == person.id
    _error(
        client.post(
            f"/contests/{built.contest.id}/jurors", {"user_id": person.id, "stage_id": built.stage.id}
        ),
        409,
        "conflict",
    )
    response = client.post(
        f"/contests/{built.contest.id}/jurors",
        {"email": "fresh@example.org", "full_name": "Свежий Эксперт", "stage_id": built.stage.id},
    )
    assert response.status_code == 201
    mail = outbox()[-1]
    assert mail["To"] == "fresh@example.org" and "/auth/reset/" in mail.get_content()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage_id": "x", "user_id": 1}, "stage_id"),
        ({"user_id": 1}, "stage_id"),
        ({"stage_id": 0, "user_id": 999999}, "user_id"),
        ({"stage_id": 0}, "user_id"),
        ({"stage_id": 999999, "user_id": 1}, "stage_id"),
        ({"stage_id": 0, "user_id": 1, "extra": 1}, "extra"),
    ],
)
def test_add_juror_rejects_bad_input(app, api, body, field) -> None:
    built = jury_stage(entries=0, jurors=0)
    if body.get("stage_id") == 0:
        body["stage_id"] = built.stage.id
    error = _error(api(built.organiser).post(f"/contests/{built.contest.id}/jurors", body), 422, "validation")
    assert field in error["fields"]


@pytest.mark.parametrize("role", [juror, teacher, student, organiser])
def test_jury_management_is_refused_to_other_roles(app, api, role) -> None:
    built = jury_stage(entries=1, jurors=1)
    other = role()
    db.session.commit()
    client = api(other)
    _error(
        client.post(
            f"/contests/{built.contest.id}/jurors", {"user_id": other.id, "stage_id": built.stage.id}
        ),
        403,
        "forbidden",
    )
    _error(client.post(f"/stages/{built.stage.id}/allocate"), 403, "forbidden")
    _error(
        client.post(
            f"/contests/{built.contest.id}/conflicts",
            {"juror_id": built.jurors[0].id, "participant_id": built.participations[0].id},
        ),
        403,
        "forbidden",
    )
    _error(client.get(f"/stages/{built.stage.id}/scores"), 403, "forbidden")
    _error(client.post(f"/stages/{built.stage.id}/scoring/close"), 403, "forbidden")


def test_admin_may_manage_and_anonymous_gets_401(app, api) -> None:
    built = jury_stage(entries=1, jurors=1, allocate=False)
    boss = admin()
    db.session.commit()
    assert api(boss).post(f"/stages/{built.stage.id}/allocate").status_code == 200
    _error(api().post(f"/stages/{built.stage.id}/allocate"), 401, "unauthorized")
    _error(api(boss).post("/stages/999999/allocate"), 404, "not_found")


def test_allocate_and_the_shortfall_message(app, api) -> None:
    built = jury_stage(entries=2, jurors=2, jurors_per_entry=2, allocate=False)
    client = api(built.organiser)
    response = client.post(f"/stages/{built.stage.id}/allocate")
    assert response.status_code == 200
    assert len(response.get_json()["assignments"]) == 4
    response = client.post(
        f"/contests/{built.contest.id}/conflicts",
        {"juror_id": built.jurors[0].id, "participant_id": built.participations[0].id},
    )
    assert response.status_code == 201 and response.get_json()["source"] == "declared_by_organiser"
    error = _error(client.post(f"/stages/{built.stage.id}/allocate"), 409, "conflict")
    assert f"№ {built.entries[0].id}:" in error["message"] and "нужно — 2" in error["message"]
    _error(
        client.post(
            f"/contests/{built.contest.id}/conflicts",
            {"juror_id": built.jurors[0].id, "participant_id": 999999},
        ),
        422,
        "validation",
    )


def test_juror_declares_own_conflict_only(app, api) -> None:
    built = jury_stage(entries=1, jurors=2)
    client = api(built.jurors[0])
    response = client.post(
        f"/contests/{built.contest.id}/conflicts",
        {"juror_id": built.jurors[0].id, "participant_id": built.participations[0].id},
    )
    assert response.status_code == 201 and response.get_json()["source"] == "declared_by_juror"
    _error(
        client.post(
            f"/contests/{built.contest.id}/conflicts",
            {"juror_id": built.jurors[1].id, "participant_id": built.participations[0].id},
        ),
        403,
        "forbidden",
    )


def test_put_scores_and_assignments(app, api) -> None:
    built = jury_stage(entries=2, jurors=1)
    client = api(built.jurors[0])
    response = client.put(f"/entries/{built.entries[0].id}/scores", {"criteria": FULL, "comment": "Хорошо"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["state"] == "submitted" and response.get_json()["criteria"]["Методика"] == "4"
    response = client.put(
        f"/entries/{built.entries[1].id}/scores", {"criteria": {"Содержание": 3}, "draft": True}
    )
    assert response.get_json()["state"] == "draft"
    items = client.get("/jury/assignments").get_json()
    assert items["total"] == 2
    assert {i["entry_id"]: i["scored"] for i in items["items"]} == {
        built.entries[0].id: True,
        built.entries[1].id: False,
    }
    assert client.get(f"/entries/{built.entries[0].id}/scores").get_json()["comment"] == "Хорошо"


@pytest.mark.parametrize(
    "criteria",
    [
        {"Содержание": 11, "Методика": 4},
        {"Содержание": -1, "Методика": 4},
        {"Содержание": "восемь", "Методика": 4},
        {"Содержание": None, "Методика": 4},
        {"Содержание": [1], "Методика": 4},
        {"Методика": 4},
    ],
)
def test_put_scores_rejects_bad_points(app, api, criteria) -> None:
    built = jury_stage(entries=1, jurors=1)
    error = _error(
        api(built.jurors[0]).put(f"/entries/{built.entries[0].id}/scores", {"criteria": criteria}),
        422,
        "validation",
    )
    assert "criteria.Содержание" in error["fields"]


def test_put_scores_rejects_bad_shape(app, api) -> None:
    built = jury_stage(entries=1, jurors=1)
    client = api(built.jurors[0])
    _error(client.put(f"/entries/{built.entries[0].id}/scores", {"criteria": [1, 2]}), 422, "validation")
    _error(
        client.put(f"/entries/{built.entries[0].id}/scores", data="nope", content_type="application/json"),
        422,
        "validation",
    )
    _error(client.put("/entries/999999/scores", {"criteria": FULL}), 404, "not_found")


def test_put_scores_refused_unassigned_conflicted_and_closed(app, api) -> None:
    built = jury_stage(entries=2, jurors=2)
    outsider = juror()
    db.session.commit()
    _error(api(outsider).put(f"/entries/{built.entries[0].id}/scores", {"criteria": FULL}), 403, "forbidden")
    _error(
        api(built.participants[0]).put(f"/entries/{built.entries[0].id}/scores", {"criteria": FULL}),
        403,
        "forbidden",
    )
    organiser_client = api(built.organiser)
    organiser_client.post(
        f"/contests/{built.contest.id}/conflicts",
        {"juror_id": built.jurors[1].id, "participant_id": built.participations[1].id},
    )
    _error(
        api(built.jurors[1]).put(f"/entries/{built.entries[1].id}/scores", {"criteria": FULL}),
        403,
        "forbidden",
    )
    assert organiser_client.post(f"/stages/{built.stage.id}/scoring/close").status_code == 200
    _error(organiser_client.post(f"/stages/{built.stage.id}/scoring/close"), 409, "conflict")
    _error(
        api(built.jurors[0]).put(f"/entries/{built.entries[0].id}/scores", {"criteria": FULL}),
        409,
        "conflict",
    )


def test_blind_mode_hides_names_in_every_juror_response(app, api) -> None:
    built = jury_stage(entries=1, jurors=1, blind=True)
    client = api(built.jurors[0])
    secret = built.participants[0].full_name
    institution = built.participants[0].institution.name
    bodies = [
        client.put(f"/entries/{built.entries[0].id}/scores", {"criteria": FULL}).get_data(as_text=True),
        client.get(f"/entries/{built.entries[0].id}/scores").get_data(as_text=True),
        client.get("/jury/assignments").get_data(as_text=True),
        client.get(f"/stages/{built.stage.id}/jury").get_data(as_text=True),
        client.get(f"/stages/{built.stage.id}/slots").get_data(as_text=True),
    ]
    entry_id = built.entries[0].id
    db.session.expunge_all()  # a fresh identity map, as in a real request
    entry = client.get(f"/entries/{entry_id}")
    assert entry.status_code == 200 and entry.get_json()["participant"] is None
    bodies.append(entry.get_data(as_text=True))
    for body in bodies:
        assert secret not in body and institution not in body
        assert json.dumps(secret)[1:-1] not in body


def test_overview_json_for_the_organiser(app, api) -> None:
    built = jury_stage(entries=2, jurors=2, threshold=1)
    for entry in built.entries:
        for user in built.jurors:
            save_scores(entry, user, FULL, "", submit=True, now=utcnow())
    data = api(built.organiser).get(f"/stages/{built.stage.id}/scores").get_json()
    assert data["total"] == 2 and data["items"][0]["score"] == "16.00" and data["items"][0]["rank"] == 1


def test_progress_remind_and_move(app, api, outbox) -> None:
    built = jury_stage(entries=1, jurors=3, jurors_per_entry=1)
    config = jury_config(built.stage)
    config.scoring_due_at = utcnow() - timedelta(hours=1)
    db.session.add(config)
    db.session.commit()
    boss = api(built.organiser)
    items = boss.get(f"/stages/{built.stage.id}/jury/progress").get_json()["items"]
    assert [i["late"] for i in items if i["assigned"]] == [True]
    assert boss.post(f"/stages/{built.stage.id}/jury/remind").get_json()["reminded"] == [built.jurors[0].id]
    assert outbox()[-1]["To"] == built.jurors[0].email
    assignment = stage_assignments(built.stage.id)[0]
    moved = boss.put(f"/assignments/{assignment.id}", {"juror_id": built.jurors[2].id})
    assert moved.status_code == 200 and moved.get_json()["juror_id"] == built.jurors[2].id
    _error(boss.put(f"/assignments/{assignment.id}", {"juror_id": 999999}), 422, "validation")
    _error(boss.put(f"/assignments/{assignment.id}", {"juror_id": "x"}), 422, "validation")
    _error(boss.put("/assignments/999999", {"juror_id": built.jurors[1].id}), 404, "not_found")
    for path in (f"/stages/{built.stage.id}/jury/progress",):
        _error(api(built.jurors[0]).get(path), 403, "forbidden")
    _error(api(built.jurors[0]).post(f"/stages/{built.stage.id}/jury/remind"), 403, "forbidden")
    _error(
        api(built.jurors[0]).put(f"/assignments/{assignment.id}", {"juror_id": built.jurors[0].id}),
        403,
        "forbidden",
    )


def test_slots_api(app, api) -> None:
    built = jury_stage(entries=2, jurors=1, blind=True)
    boss = api(built.organiser)
    start = (utcnow() + timedelta(days=2)).isoformat()
    _error(
        boss.post(
            f"/stages/{built.stage.id}/slots", {"starts_at": "2027-01-01T10:00", "duration_minutes": 30}
        ),
        422,
        "validation",
    )
    _error(
        boss.post(f"/stages/{built.stage.id}/slots", {"starts_at": start, "duration_minutes": 0}),
        422,
        "validation",
    )
    _error(
        api(built.jurors[0]).post(
            f"/stages/{built.stage.id}/slots", {"starts_at": start, "duration_minutes": 30}
        ),
        403,
        "forbidden",
    )
    first = boss.post(
        f"/stages/{built.stage.id}/slots", {"starts_at": start, "duration_minutes": 30, "location": "Ауд. 5"}
    )
    assert first.status_code == 201
    second = boss.post(
        f"/stages/{built.stage.id}/slots", {"starts_at": start, "duration_minutes": 30}
    ).get_json()
    slot_id = first.get_json()["id"]
    assert boss.put(f"/slots/{slot_id}", {"participant_id": built.participations[0].id}).status_code == 200
    _error(boss.put(f"/slots/{slot_id}", {"participant_id": 999999}), 422, "validation")
    juror_view = api(built.jurors[0]).get(f"/stages/{built.stage.id}/slots")
    assert juror_view.status_code == 200
    body = juror_view.get_data(as_text=True)
    assert built.participants[0].full_name not in body and juror_view.get_json()["items"][0]["taken"] is True
    organiser_view = boss.get(f"/stages/{built.stage.id}/slots").get_json()["items"]
    assert organiser_view[0]["participant"] == built.participants[0].full_name
    _error(api(built.participants[1]).post(f"/slots/{second['id']}/pick"), 409, "conflict")  # no deadline yet
    config = jury_config(built.stage)
    config.slot_pick_deadline = utcnow() + timedelta(days=1)
    db.session.add(config)
    db.session.commit()
    assert api(built.participants[1]).post(f"/slots/{second['id']}/pick").status_code == 200
    _error(api(built.participants[0]).post(f"/slots/{second['id']}/pick"), 409, "conflict")
    _error(api(juror()).get(f"/stages/{built.stage.id}/slots"), 403, "forbidden")
    _error(api(built.participants[0]).post("/slots/999999/pick"), 404, "not_found")
