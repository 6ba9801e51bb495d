"""Awards on a jury-scored final read the maximum from the standings (issue 10): a winner rule
"at least 50% of the maximum" used to fail because the jury's scores carried no maximum."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

from app.extensions import db
from app.ticks import run_tick
from tests.factories.accounts import InstitutionFactory, juror, organiser, teacher
from tests.factories.contests import api_at

T0 = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
DAY = timedelta(days=1)
# The highest juror total is 10 × 2 + 5 × 1 = 25 points.
CRITERIA = [
    {"name": "Урок", "max_points": 10, "weight": 2},
    {"name": "Самоанализ", "max_points": 5, "weight": 1},
]


def at(moment: datetime) -> ExitStack:
    return api_at(moment, jury=True)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def test_a_jury_final_awards_a_winner_by_percent_of_the_maximum(app, api) -> None:
    owner = organiser()
    chair = juror(institution=InstitutionFactory())
    people = [teacher(institution=InstitutionFactory(), full_name=f"Финалист {i}") for i in range(3)]
    db.session.commit()
    contest = ok(
        api(owner).post(
            "/contests",
            {
                "title": "Финал одним этапом",
                "kind": "teacher",
                "timezone": "Europe/Moscow",
                "divisions": ["Учителя"],
                "stages": [
                    {
                        "title": "Финал",
                        "kind": "jury",
                        "opens_at": T0.isoformat(),
                        "closes_at": (T0 + 3 * DAY).isoformat(),
                        "jury": {
                            "criteria": CRITERIA,
                            "aggregation": "mean",
                            "jurors_per_entry": None,
                            "blind": False,
                        },
                    }
                ],
                "awards": [{"title": "Победитель", "min_percent_of_max": 50}, {"title": "Участник"}],
            },
        ),
        201,
    )
    cid, final_id = contest["id"], contest["stages"][0]["id"]
    run_tick(T0)
    pids, entries = [], []
    with at(T0 + timedelta(hours=1)):
        for index, person in enumerate(people):
            pids.append(
                ok(
                    api(person).post(
                        f"/contests/{cid}/participants", {"user_id": person.id, "division": "Учителя"}
                    ),
                    201,
                )["id"]
            )
            entries.append(
                ok(api(person).post(f"/stages/{final_id}/entries", {"text": f"Урок {index}"}), 201)["id"]
            )
    boss = api(owner)
    ok(
        boss.post(f"/contests/{cid}/jurors", {"user_id": chair.id, "stage_id": final_id, "is_chair": True}),
        201,
    )
    assert len(ok(boss.post(f"/stages/{final_id}/allocate"))["assignments"]) == 3
    marks = [{"Урок": 10, "Самоанализ": 5}, {"Урок": 5, "Самоанализ": 3}, {"Урок": 4, "Самоанализ": 2}]
    with at(T0 + 3 * DAY + timedelta(hours=1)):
        for entry_id, given in zip(entries, marks, strict=True):
            ok(api(chair).put(f"/entries/{entry_id}/scores", {"criteria": given}))
    run_tick(T0 + 3 * DAY + timedelta(hours=2))
    # The final's standings rank the division once: the award rules get that ranking, not their own.
    with (
        at(T0 + 3 * DAY + timedelta(hours=3)),
        mock.patch("contest_engine.rules.awards.rank", side_effect=AssertionError("ranked twice")),
    ):
        items = ok(boss.post(f"/contests/{cid}/awards/compute"))["items"]
    # 25 of 25 and 13 of 25 (52%) reach half of the maximum; 10 of 25 (40%) does not.
    assert {item["participant_id"]: item["award"] for item in items} == {
        pids[0]: "Победитель",
        pids[1]: "Победитель",
        pids[2]: "Участник",
    }
    assert [item["rank"] for item in sorted(items, key=lambda i: i["participant_id"])] == [1, 2, 3]
