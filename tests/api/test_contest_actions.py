"""Stage actions and entries through the API: close/reopen/extend refusals, publication, the
entry reader matrix with blind redaction, and who may call the organiser endpoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner

from app.extensions import db
from contest_engine import clock
from tests.factories.accounts import admin, juror, organiser, student, teacher
from tests.factories.contests import api_at

T0 = datetime(2027, 2, 1, 6, 0, tzinfo=UTC)


def at(moment: datetime) -> Any:
    return api_at(moment)


def setup_contest(api: Any, owner: Any, *, blind: bool = True) -> dict[str, Any]:
    body = {
        "title": "Конкурс проектов",
        "kind": "conference",
        "divisions": ["7-9"],
        "stages": [
            {
                "title": "Проекты",
                "kind": "submission",
                "opens_at": T0.isoformat(),
                "closes_at": (T0 + timedelta(days=5)).isoformat(),
                "jury": {
                    "criteria": [{"name": "Идея", "max_points": 10, "weight": 1}],
                    "aggregation": "mean",
                    "jurors_per_entry": None,
                    "blind": blind,
                },
            },
            {
                "title": "Защита",
                "kind": "submission",
                "opens_at": (T0 + timedelta(days=6)).isoformat(),
                "closes_at": (T0 + timedelta(days=8)).isoformat(),
            },
        ],
    }
    with at(T0 - timedelta(days=1)):
        response = api(owner).post("/contests", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_stage_actions_refuse_bad_requests(app, api) -> None:
    owner = organiser()
    db.session.commit()
    contest = setup_contest(api, owner)
    first, second = (s["id"] for s in contest["stages"])
    boss = api(owner)
    with at(T0 + timedelta(days=1)):
        assert boss.get(f"/stages/{first}").get_json()["state"] == "open"
        # Extending into the next stage, or to the past: 422 with the field.
        overlap = boss.post(f"/stages/{first}/extend", {"closes_at": (T0 + timedelta(days=7)).isoformat()})
        assert overlap.status_code == 422 and "closes_at" in overlap.get_json()["error"]["fields"]
        past = boss.post(f"/stages/{first}/extend", {"closes_at": T0.isoformat()})
        assert past.status_code == 422
        naive = boss.post(f"/stages/{first}/extend", {"closes_at": "2027-02-05T10:00:00"})
        assert naive.status_code == 422
        # Reopening an open stage is a conflict; publishing an open stage too.
        assert boss.post(f"/stages/{first}/reopen", {"reason": "x"}).status_code == 409
        assert boss.post(f"/stages/{first}/publish", {}).status_code == 409
        assert boss.post(f"/stages/{first}/publish", {"appeal_hours": -1}).status_code == 422
        ok = boss.post(
            f"/stages/{first}/extend",
            {"closes_at": (T0 + timedelta(days=5, hours=12)).isoformat(), "reason": "просьба участников"},
        )
        assert ok.status_code == 200 and ok.get_json()["closes_at"].startswith("2027-02-06T18:00")
        closed = boss.post(f"/stages/{first}/close", {"reason": "досрочно"})
        assert closed.get_json()["state"] == "closed"
        no_reason = boss.post(f"/stages/{first}/reopen", {"reason": "  "})
        assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["error"]["fields"]
        reopened = boss.post(f"/stages/{first}/reopen", {"reason": "сбой сервера"})
        assert reopened.get_json()["state"] == "open"
        # Advancing a stage that is still open: 409.
        assert boss.post(f"/stages/{first}/advance", {}).status_code == 409
        assert boss.post(f"/stages/{second}/quiz", {"question_ids": [1]}).status_code == 409
    audit = boss.get(f"/contests/{contest['id']}/audit").get_json()["items"]
    reasons = {item["action"]: item["reason"] for item in audit}
    assert reasons["stage.reopened"] == "сбой сервера" and reasons["stage.extended"] == "просьба участников"


@pytest.mark.parametrize("make", [teacher, student, juror, organiser])
def test_organiser_endpoints_refuse_other_roles(app, api, make) -> None:
    owner = organiser()
    db.session.commit()
    contest = setup_contest(api, owner)
    cid, first = contest["id"], contest["stages"][0]["id"]
    caller = api(make())
    for method, path, body in [
        ("POST", f"/stages/{first}/close", {}),
        ("POST", f"/stages/{first}/reopen", {"reason": "x"}),
        ("POST", f"/stages/{first}/extend", {"closes_at": (T0 + timedelta(days=5, hours=1)).isoformat()}),
        ("POST", f"/stages/{first}/advance", {}),
        ("GET", f"/stages/{first}/advance/preview", None),
        ("POST", f"/stages/{first}/publish", {}),
        ("POST", f"/stages/{first}/quiz", {"question_ids": [1]}),
        ("POST", f"/contests/{cid}/awards/compute", None),
        ("GET", f"/contests/{cid}/audit", None),
        ("GET", f"/contests/{cid}/participants", None),
        ("GET", f"/contests/{cid}/questions/export", None),
    ]:
        response = caller.request(method, path, body)
        assert response.status_code == 403, (path, response.status_code)
        assert response.get_json()["error"]["code"] == "forbidden"
    assert api().post(f"/stages/{first}/close", {}).status_code == 401


def test_entry_readers_and_blind_redaction(app, api) -> None:
    owner, author, other, the_juror, stranger_juror = organiser(), teacher(), teacher(), juror(), juror()
    db.session.commit()
    contest = setup_contest(api, owner, blind=True)
    cid, first = contest["id"], contest["stages"][0]["id"]
    with at(T0 + timedelta(hours=1)):
        for person in (author, other):
            assert (
                api(person)
                .post(f"/contests/{cid}/participants", {"user_id": person.id, "division": "7-9"})
                .status_code
                == 201
            )
        entry_id = api(author).post(f"/stages/{first}/entries", {"text": "проект"}).get_json()["id"]
    from contest_engine.jury.assignment import allocate_stage
    from contest_engine.jury.jurors import add_stage_juror
    from contest_engine.models import Stage

    stage = db.session.get(Stage, first)
    add_stage_juror(stage, the_juror, actor=owner)
    allocate_stage(stage, actor=owner)
    db.session.commit()
    assert api(author).get(f"/entries/{entry_id}").get_json()["participant"]["full_name"] == author.full_name
    assert api(owner).get(f"/entries/{entry_id}").get_json()["participant"] is not None
    as_juror = api(the_juror).get(f"/entries/{entry_id}")
    assert as_juror.status_code == 200 and as_juror.get_json()["participant"] is None
    for outsider in (other, stranger_juror):
        assert api(outsider).get(f"/entries/{entry_id}").status_code == 404
    assert api(admin()).get(f"/entries/{entry_id}").status_code == 200
    assert api(owner).get("/entries/999999").status_code == 404


def test_submission_refusals(app, api) -> None:
    owner, person, outsider = organiser(), teacher(), teacher()
    db.session.commit()
    contest = setup_contest(api, owner)
    cid, first, second = contest["id"], contest["stages"][0]["id"], contest["stages"][1]["id"]
    with at(T0 + timedelta(hours=1)):
        api(person).post(f"/contests/{cid}/participants", {"user_id": person.id, "division": "7-9"})
        assert api(outsider).post(f"/stages/{first}/entries", {"text": "x"}).status_code == 409
        empty = api(person).post(f"/stages/{first}/entries", {"text": "  "})
        assert empty.status_code == 422
        bad_link = api(person).post(f"/stages/{first}/entries", {"link": "javascript:alert(1)"})
        assert bad_link.status_code == 422 and "link" in bad_link.get_json()["error"]["fields"]
        wrong_type = api(person).post(f"/stages/{first}/entries", {"text": 5})
        assert wrong_type.status_code == 422
        not_yet = api(person).post(f"/stages/{second}/entries", {"text": "x"})
        assert not_yet.status_code == 409


def test_clock_command_is_idempotent(app, api) -> None:
    owner = organiser()
    db.session.commit()
    setup_contest(api, owner)
    runner = CliRunner()
    from app.contest_cli import tick

    first = runner.invoke(
        tick,
        ["--now", (T0 + timedelta(hours=1)).isoformat()],
        obj=None,
        standalone_mode=False,
        catch_exceptions=False,
    )
    assert "contest stages: stage" in first.output
    second = runner.invoke(tick, ["--now", (T0 + timedelta(hours=1)).isoformat()], standalone_mode=False)
    assert "contest stages" not in second.output
    assert clock.run_clock(T0 + timedelta(hours=1)) == []
