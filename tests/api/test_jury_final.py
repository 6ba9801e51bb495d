"""The final of issue 6 through the API: 11 contestants, a jury round with a tie at the cut-off
(10 finalists), a final scored by 7 jurors with one conflict and a trimmed mean, one accepted
appeal that changes the winner, diplomas and jurors' certificates issued and verified."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

from app.extensions import db
from app.ticks import run_tick
from tests.factories.accounts import InstitutionFactory, juror, organiser, teacher
from tests.factories.contests import api_at

T0 = datetime(2027, 2, 1, 6, 0, tzinfo=UTC)
DAY = timedelta(days=1)
CRITERIA = [{"name": "Урок", "max_points": 100, "weight": 1}]


def at(moment: datetime) -> ExitStack:
    return api_at(moment, jury=True)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def test_final_end_to_end(app, api) -> None:
    owner = organiser()
    chair = juror(institution=InstitutionFactory())
    jurors = [juror(institution=InstitutionFactory()) for _ in range(7)]
    people = [teacher(institution=InstitutionFactory(), full_name=f"Финалист {i:02d}") for i in range(11)]
    db.session.commit()
    contest = ok(
        api(owner).post(
            "/contests",
            {
                "title": "Дистанционный учитель — финал",
                "kind": "teacher",
                "timezone": "Europe/Moscow",
                "divisions": ["Учителя"],
                "stages": [
                    {
                        "title": "Регистрация",
                        "kind": "registration",
                        "opens_at": T0.isoformat(),
                        "closes_at": (T0 + 2 * DAY).isoformat(),
                    },
                    {
                        "title": "Заочный тур",
                        "kind": "jury",
                        "opens_at": (T0 + 2 * DAY).isoformat(),
                        "closes_at": (T0 + 5 * DAY).isoformat(),
                        "advancement": {"rule": "top_n", "value": 9, "ties": "include_tied"},
                        "jury": {
                            "criteria": CRITERIA,
                            "aggregation": "mean",
                            "jurors_per_entry": None,
                            "blind": True,
                        },
                    },
                    {
                        "title": "Финал: открытый урок",
                        "kind": "jury",
                        "opens_at": (T0 + 6 * DAY).isoformat(),
                        "closes_at": (T0 + 9 * DAY).isoformat(),
                        "jury": {
                            "criteria": CRITERIA,
                            "aggregation": "trimmed_mean",
                            "jurors_per_entry": None,
                            "blind": True,
                        },
                    },
                ],
                "awards": [
                    {"title": "Победитель", "ranks": [1, 1]},
                    {"title": "Призёр", "ranks": [2, 3]},
                    {"title": "Лауреат", "ranks": [4, 10]},
                ],
            },
        ),
        201,
    )
    cid = contest["id"]
    _registration, round_id, final_id = (s["id"] for s in contest["stages"])
    boss = api(owner)
    pids: list[int] = []
    with at(T0 + timedelta(hours=1)):
        for person in people:
            pids.append(
                ok(
                    api(person).post(
                        f"/contests/{cid}/participants", {"user_id": person.id, "division": "Учителя"}
                    ),
                    201,
                )["id"]
            )
    # The correspondence round: one juror, a tie between the 9th and 10th places.
    run_tick(T0 + 2 * DAY)
    with at(T0 + 2 * DAY + timedelta(hours=1)):
        entries = [
            ok(api(p).post(f"/stages/{round_id}/entries", {"text": f"Визитка {i}"}), 201)["id"]
            for i, p in enumerate(people)
        ]
    ok(
        boss.post(f"/contests/{cid}/jurors", {"user_id": chair.id, "stage_id": round_id, "is_chair": True}),
        201,
    )
    assert len(ok(boss.post(f"/stages/{round_id}/allocate"))["assignments"]) == 11
    round_marks = [95, 94, 93, 92, 91, 90, 89, 88, 80, 80, 50]
    with at(T0 + 5 * DAY + timedelta(hours=1)):
        for entry_id, mark in zip(entries, round_marks, strict=True):
            ok(api(chair).put(f"/entries/{entry_id}/scores", {"criteria": {"Урок": mark}}))
    run_tick(T0 + 5 * DAY + timedelta(hours=2))
    with at(T0 + 5 * DAY + timedelta(hours=3)):
        advanced = ok(boss.post(f"/stages/{round_id}/advance", {}))["advanced"]
    assert advanced == sorted(pids[:10])  # 9 places, the tie at 9th takes both: 10 finalists

    # The final: 7 jurors, one with a declared conflict; every juror scores every entry.
    run_tick(T0 + 6 * DAY)
    with at(T0 + 6 * DAY + timedelta(minutes=5)):
        refused = api(people[10]).post(f"/stages/{final_id}/entries", {"text": "не прошёл"})
    assert refused.status_code == 409
    # An appeal on the round after the final opened: advancement may add, never silently remove.
    with at(T0 + 6 * DAY + timedelta(minutes=10)):
        ok(boss.post(f"/stages/{round_id}/publish", {"appeal_hours": 240}))
        appeal = ok(api(people[10]).post(f"/entries/{entries[10]}/appeals", {"text": "Оценка занижена"}), 201)
        ok(
            boss.post(
                f"/appeals/{appeal['id']}/resolve",
                {
                    "decision": "accepted",
                    "reason": "Пересмотрено",
                    "score_changes": {str(chair.id): {"Урок": 85}},
                },
            )
        )
        again = ok(boss.post(f"/stages/{round_id}/advance", {}))
    assert again["advanced"] == sorted(pids)  # the 11th is added; the two tied at 80 stay in the final
    finalists = people[:10]
    with at(T0 + 6 * DAY + timedelta(hours=1)):
        final_entries = [
            ok(api(p).post(f"/stages/{final_id}/entries", {"text": f"План урока {i}"}), 201)["id"]
            for i, p in enumerate(finalists)
        ]
    for person in jurors:
        ok(boss.post(f"/contests/{cid}/jurors", {"user_id": person.id, "stage_id": final_id}), 201)
    ok(boss.post(f"/contests/{cid}/conflicts", {"juror_id": jurors[6].id, "participant_id": pids[5]}), 201)
    assignments = ok(boss.post(f"/stages/{final_id}/allocate"))["assignments"]
    assert len(assignments) == 69
    assert {"juror_id": jurors[6].id, "entry_id": final_entries[5]} not in assignments
    # A conflicted juror is refused; blind mode hides names from every juror.
    with at(T0 + 8 * DAY):
        assert (
            api(jurors[6]).put(f"/entries/{final_entries[5]}/scores", {"criteria": {"Урок": 50}}).status_code
            == 403
        )
        queue = api(jurors[0]).get("/jury/assignments?per_page=50").get_data(as_text=True)
        assert "Финалист" not in queue
    base = [90, 89, 85, 84, 83, 82, 81, 80, 79, 78]
    offsets = [-4, -1, 0, 0, 0, 1, 6]
    with at(T0 + 8 * DAY):
        for j, person in enumerate(jurors):
            for i, entry_id in enumerate(final_entries):
                if j == 6 and i == 5:
                    continue
                ok(
                    api(person).put(
                        f"/entries/{entry_id}/scores",
                        {"criteria": {"Урок": base[i] + offsets[j]}, "comment": "Сильный урок"},
                    )
                )
    overview = ok(boss.get(f"/stages/{final_id}/scores"))["items"]
    assert [(row["participant_id"], row["score"], row["rank"]) for row in overview[:2]] == [
        (pids[0], "90.00", 1),
        (pids[1], "89.00", 2),
    ]
    assert overview[0]["spread"] == "10.00"
    with at(T0 + 9 * DAY + timedelta(hours=1)):
        ok(boss.post(f"/stages/{final_id}/scoring/close"))
        assert (
            api(jurors[0]).put(f"/entries/{final_entries[0]}/scores", {"criteria": {"Урок": 1}}).status_code
            == 409
        )
    run_tick(T0 + 9 * DAY + timedelta(hours=2))
    with at(T0 + 9 * DAY + timedelta(hours=3)):
        ok(boss.post(f"/stages/{final_id}/publish", {"appeal_hours": 48}))
        awards = ok(boss.post(f"/contests/{cid}/awards/compute"))["items"]
    winner = next(a for a in awards if a["award"] == "Победитель")
    assert winner["participant_id"] == pids[0]

    # The appeal: the runner-up appeals, the organiser accepts with higher marks; the winner changes.
    with at(T0 + 9 * DAY + timedelta(hours=5)):
        assert (
            api(people[0]).post(f"/entries/{final_entries[1]}/appeals", {"text": "чужое"}).status_code == 403
        )
        appeal = ok(
            api(people[1]).post(
                f"/entries/{final_entries[1]}/appeals", {"text": "Не учтена рефлексия на уроке"}
            ),
            201,
        )
        resolved = ok(
            boss.post(
                f"/appeals/{appeal['id']}/resolve",
                {
                    "decision": "accepted",
                    "reason": "Рефлексия учтена не всеми членами жюри",
                    "score_changes": {
                        str(p.id): {"Урок": base[1] + offsets[j] + 3} for j, p in enumerate(jurors)
                    },
                },
            )
        )
        assert resolved["entry_score"] == "92.00"
        assert ok(api(people[1]).get(f"/appeals/{appeal['id']}"))["state"] == "accepted"
        awards = ok(boss.post(f"/contests/{cid}/awards/compute"))["items"]
        results = ok(boss.get(f"/stages/{final_id}/results"))["items"]
    winner = next(a for a in awards if a["award"] == "Победитель")
    assert winner["participant_id"] == pids[1]
    assert [r["participant_id"] for r in results if r["rank"] == 1] == [pids[1]]
    with at(T0 + 12 * DAY):
        late = api(people[2]).post(f"/entries/{final_entries[2]}/appeals", {"text": "поздно"})
    assert late.status_code == 409
    # Diplomas and jurors' certificates verify publicly.
    check = ok(api().get(f"/certificates/{winner['certificate_code']}"))
    assert check["valid"] is True and check["holder"] == "Финалист 01"
    issued = ok(boss.post(f"/stages/{final_id}/jury/certificates"))["items"]
    assert len(issued) == 7
    assert ok(api().get(f"/certificates/{issued[0]['certificate_code']}"))["valid"] is True
    audit = ok(boss.get(f"/contests/{cid}/audit?per_page=200"))
    assert "jury.appeal_accepted" in {item["action"] for item in audit["items"]}
