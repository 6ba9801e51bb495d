"""Jury integrity through the API (issue 9): self-declared conflicts only from the contest's jurors,
a conflicted score refused even when assigned, contest texts longer than their columns give 422."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from contest_engine.jury.jurors import add_stage_juror
from contest_engine.jury.models import JuryAssignment
from tests.factories.accounts import InstitutionFactory, juror, organiser, teacher
from tests.factories.contests import T0
from tests.factories.jury import jury_stage

FULL = {"Содержание": 8, "Методика": 4}


def test_only_the_contests_jurors_declare_their_own_conflicts(app, api) -> None:
    built = jury_stage(entries=1, jurors=1)
    other = jury_stage(entries=0, jurors=1)  # a juror of another contest
    outsider = teacher()
    db.session.commit()
    body = {"participant_id": built.participations[0].id}
    for person in (outsider, other.jurors[0]):
        refused = api(person).post(f"/contests/{built.contest.id}/conflicts", body | {"juror_id": person.id})
        assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    someone_else = api(outsider).post(
        f"/contests/{built.contest.id}/conflicts", body | {"juror_id": built.jurors[0].id}
    )
    assert someone_else.status_code == 403
    mine = api(built.jurors[0]).post(
        f"/contests/{built.contest.id}/conflicts", body | {"juror_id": built.jurors[0].id}
    )
    assert mine.status_code == 201 and mine.get_json()["source"] == "declared_by_juror"
    not_a_juror = api(built.organiser).post(
        f"/contests/{built.contest.id}/conflicts", body | {"juror_id": outsider.id}
    )
    assert not_a_juror.status_code == 422 and "juror_id" in not_a_juror.get_json()["error"]["fields"]


def test_a_conflicted_score_is_refused_even_when_assigned(app, api) -> None:
    built = jury_stage(entries=1, jurors=1)
    colleague = juror(institution=built.participants[0].institution)
    add_stage_juror(built.stage, colleague, actor=built.organiser)
    db.session.add(
        JuryAssignment(stage_id=built.stage.id, entry_id=built.entries[0].id, juror_id=colleague.id)
    )
    colleague.institution = InstitutionFactory()  # edited after joining: the frozen institution still counts
    db.session.commit()
    refused = api(colleague).put(f"/entries/{built.entries[0].id}/scores", {"criteria": FULL})
    assert refused.status_code == 403
    assert (
        "conflict of interest" in refused.get_json()["error"]["message"]
        or "конфликт интересов" in refused.get_json()["error"]["message"]
    )


def _contest_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": "Конкурс",
        "kind": "teacher",
        "divisions": ["Учителя"],
        "stages": [
            {
                "title": "Эссе",
                "kind": "submission",
                "opens_at": T0.isoformat(),
                "closes_at": (T0 + timedelta(days=5)).isoformat(),
            }
        ],
        "awards": [{"title": "Победитель", "ranks": [1, 1]}],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"divisions": ["Учителя", "д" * 101]}, "divisions"),
        ({"title": "т" * 256}, "title"),
        ({"awards": [{"title": "п" * 256, "ranks": [1, 1]}]}, "awards"),
    ],
)
def test_contest_texts_longer_than_their_columns_are_422(app, api, changes, field) -> None:
    owner = organiser()
    db.session.commit()
    response = api(owner).post("/contests", _contest_body(**changes))
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation" and any(key.startswith(field) for key in error["fields"]), error
    assert api(owner).post("/contests", _contest_body(divisions=["д" * 100])).status_code == 201
