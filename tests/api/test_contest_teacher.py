"""«Дистанционный учитель» through the API: registration, two submission stages scored by a jury,
advancement top N, a final; bad input and refusals along the way."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.notifications import Notification
from app.ticks import run_tick
from contest_engine.models import Entry, StageParticipant
from tests.factories.accounts import juror, organiser, teacher
from tests.factories.contests import api_at

T0 = datetime(2027, 1, 11, 6, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
JURY = {
    "criteria": [{"name": "Содержание", "max_points": 10, "weight": 1}],
    "aggregation": "mean",
    "jurors_per_entry": None,
    "blind": True,
}


def at(moment: datetime) -> Any:
    return api_at(moment)


def body(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Дистанционный учитель — 2027",
        "kind": "teacher",
        "timezone": "Europe/Moscow",
        "divisions": ["Учителя"],
        "stages": [
            {
                "title": "Регистрация",
                "kind": "registration",
                "opens_at": T0.isoformat(),
                "closes_at": (T0 + 2 * WEEK).isoformat(),
            },
            {
                "title": "Визитная карточка",
                "kind": "submission",
                "opens_at": (T0 + 2 * WEEK).isoformat(),
                "closes_at": (T0 + 3 * WEEK).isoformat(),
                "advancement": {"rule": "top_n", "value": 3},
                "jury": JURY,
                "file_types": "pdf,docx",
                "max_file_mb": 1,
            },
            {
                "title": "Дистанционный урок",
                "kind": "submission",
                "opens_at": (T0 + 3 * WEEK).isoformat(),
                "closes_at": (T0 + 5 * WEEK).isoformat(),
                "advancement": {"rule": "top_n", "value": 2},
                "jury": JURY,
            },
            {
                "title": "Финал",
                "kind": "jury",
                "opens_at": (T0 + 5 * WEEK).isoformat(),
                "closes_at": (T0 + 6 * WEEK).isoformat(),
                "jury": JURY,
            },
        ],
        "awards": [
            {"title": "Победитель", "ranks": [1, 1]},
            {"title": "Лауреат", "ranks": [2, 3]},
            {"title": "Участник"},
        ],
    }
    data.update(over)
    return data


def create(api: Any, owner: Any, data: dict[str, Any] | None = None) -> Any:
    with at(T0 - timedelta(days=1)):
        return api(owner).post("/contests", data or body())


def score_stage(stage_id: int, marks: dict[int, int], the_juror: Any, owner: Any) -> None:
    """The jury room's services: one juror scores every current entry of the stage."""
    from contest_engine.jury.assignment import allocate_stage
    from contest_engine.jury.jurors import add_stage_juror
    from contest_engine.jury.sheets import save_scores
    from contest_engine.models import Stage

    stage = db.session.get(Stage, stage_id)
    add_stage_juror(stage, the_juror, actor=owner)
    allocate_stage(stage, actor=owner)
    entries = db.session.scalars(
        select(Entry).where(Entry.stage_id == stage_id, Entry.is_current.is_(True))
    ).all()
    for entry in entries:
        save_scores(
            entry,
            the_juror,
            {"Содержание": marks[entry.participation_id]},
            submit=True,
            now=stage.closes_at + timedelta(hours=1),
        )


def test_teacher_contest_end_to_end(app, api, outbox) -> None:
    owner, the_juror = organiser(), juror()
    teachers = [teacher() for _ in range(5)]
    db.session.commit()
    created = create(api, owner)
    assert created.status_code == 201, created.get_json()
    contest = created.get_json()
    cid = contest["id"]
    registration, card, lesson, final = (s["id"] for s in contest["stages"])
    assert [d["name"] for d in contest["divisions"]] == ["Учителя"]
    pids = []
    with at(T0 + timedelta(days=1)):
        for person in teachers:
            r = api(person).post(
                f"/contests/{cid}/participants", {"user_id": person.id, "division": "Учителя"}
            )
            assert r.status_code == 201, r.get_json()
            pids.append(r.get_json()["id"])
    # Registration closes with its stage.
    late = teacher()
    db.session.commit()
    with at(T0 + 2 * WEEK + timedelta(hours=1)):
        refused = api(late).post(f"/contests/{cid}/participants", {"user_id": late.id, "division": "Учителя"})
    assert refused.status_code == 409
    run_tick(T0 + 2 * WEEK + timedelta(minutes=1))
    with at(T0 + 2 * WEEK + timedelta(hours=2)):
        for index, person in enumerate(teachers):
            r = api(person).post(
                f"/stages/{card}/entries", {"text": f"Эссе {index}", "link": "https://blog.example.org"}
            )
            assert r.status_code == 201, r.get_json()
        # Replacing keeps the earlier version.
        again = api(teachers[0]).post(f"/stages/{card}/entries", {"text": "Эссе 0, исправленное"})
        assert again.get_json()["version"] == 2
        # Files: over the limit and of a wrong type are refused next to the field.
        big = api(teachers[1]).post(
            f"/stages/{card}/entries",
            data={"text": "с файлом", "files": (io.BytesIO(b"x" * (1024 * 1024 + 10)), "Сочинение.pdf")},
            content_type="multipart/form-data",
        )
        assert big.status_code == 422 and "files" in big.get_json()["error"]["fields"]
        exe = api(teachers[1]).post(
            f"/stages/{card}/entries",
            data={"files": (io.BytesIO(b"MZ"), "virus.exe")},
            content_type="multipart/form-data",
        )
        assert exe.status_code == 422
        ok = api(teachers[1]).post(
            f"/stages/{card}/entries",
            data={"text": "план", "files": (io.BytesIO(b"%PDF-1.4 plan"), "План урока.pdf")},
            content_type="multipart/form-data",
        )
        assert ok.status_code == 201, ok.get_json()
        entry_id = ok.get_json()["id"]
        # Reading another participant's entry: 404; the owner sees files; advancing an open stage: 409.
        assert api(teachers[2]).get(f"/entries/{entry_id}").status_code == 404
        mine = api(teachers[1]).get(f"/entries/{entry_id}").get_json()
        assert mine["files"][0]["name"] == "План урока.pdf"
        assert api(owner).post(f"/stages/{card}/advance", {}).status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Entry).where(Entry.stage_id == card)) == 7
    # After the close: 409 with the reason.
    run_tick(T0 + 3 * WEEK)
    with at(T0 + 3 * WEEK + timedelta(minutes=5)):
        closed = api(teachers[0]).post(f"/stages/{card}/entries", {"text": "поздно"})
    assert (
        closed.status_code == 409
        and "closed" in closed.get_json()["error"]["message"].lower()
        or closed.get_json()["error"]["code"] == "conflict"
    )
    # Before scoring: advancement is blocked by missing jury scores.
    with at(T0 + 3 * WEEK + timedelta(hours=1)):
        preview = api(owner).get(f"/stages/{card}/advance/preview").get_json()
    assert len(preview["blocked"]) == 5 and preview["can_confirm"] is False
    score_stage(card, {pids[0]: 9, pids[1]: 8, pids[2]: 7, pids[3]: 7, pids[4]: 3}, the_juror, owner)
    with at(T0 + 3 * WEEK + timedelta(hours=2)):
        preview = api(owner).get(f"/stages/{card}/advance/preview").get_json()
        assert preview["advanced"] == sorted(pids[:4]) and preview["tied_at_cutoff"] == sorted(pids[2:4])
        first = api(owner).post(f"/stages/{card}/advance", {}).get_json()
        second = api(owner).post(f"/stages/{card}/advance", {}).get_json()
    assert first["advanced"] == second["advanced"] == sorted(pids[:4])
    assert first["eliminated"] == [pids[4]]
    teacher_ids = [t.id for t in teachers]
    assert (
        db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id.in_(teacher_ids))
        )
        == 5
    )
    assert len([m for m in outbox() if m["Subject"] == "Дистанционный учитель — 2027"]) == 5
    results = api(owner).get(f"/stages/{card}/results").get_json()["items"]
    assert [(r["rank"], r["score"], r["advanced"]) for r in results] == [
        (1, "9.00", True),
        (2, "8.00", True),
        (3, "7.00", True),
        (3, "7.00", True),
        (5, "3.00", False),
    ]
    # Stage 3: the eliminated teacher is refused with the reason.
    run_tick(T0 + 3 * WEEK + timedelta(hours=3))
    with at(T0 + 3 * WEEK + timedelta(hours=4)):
        refused = api(teachers[4]).post(f"/stages/{lesson}/entries", {"text": "урок"})
        assert refused.status_code == 409
        assert (
            refused.get_json()["error"]["message"]
            == "Вы не прошли на этот этап, поэтому не можете сдать работу."
        )
        for person in teachers[:4]:
            assert (
                api(person)
                .post(f"/stages/{lesson}/entries", {"text": "урок", "link": "https://site.example"})
                .status_code
                == 201
            )
    run_tick(T0 + 5 * WEEK)
    lesson_pids = pids[:4]
    score_stage(
        lesson,
        {lesson_pids[0]: 6, lesson_pids[1]: 10, lesson_pids[2]: 8, lesson_pids[3]: 5},
        the_juror,
        owner,
    )
    with at(T0 + 5 * WEEK + timedelta(hours=1)):
        outcome = api(owner).post(f"/stages/{lesson}/advance", {}).get_json()
    assert outcome["advanced"] == sorted([pids[1], pids[2]])
    finalists = set(
        db.session.scalars(
            select(StageParticipant.participation_id).where(StageParticipant.stage_id == final)
        )
    )
    assert finalists == {pids[1], pids[2]}
    # The final: entries (demo lesson materials) from the finalists, jury scores, awards.
    run_tick(T0 + 5 * WEEK + timedelta(hours=2))
    with at(T0 + 5 * WEEK + timedelta(hours=3)):
        for person in (teachers[1], teachers[2]):
            assert api(person).post(f"/stages/{final}/entries", {"text": "демо-урок"}).status_code == 201
    run_tick(T0 + 6 * WEEK)
    score_stage(final, {pids[1]: 7, pids[2]: 9}, the_juror, owner)
    with at(T0 + 6 * WEEK + timedelta(hours=1)):
        assert api(owner).post(f"/stages/{final}/publish", {"appeal_hours": 0}).status_code == 200
        awards = api(owner).post(f"/contests/{cid}/awards/compute").get_json()["items"]
    assert [(a["participant_id"], a["award"], a["rank"]) for a in awards] == [
        (pids[2], "Победитель", 1),
        (pids[1], "Лауреат", 2),
    ]
    code = awards[0]["certificate_code"]
    from app.certificates import find

    assert find(code) is not None
    audit = api(owner).get(f"/contests/{cid}/audit?per_page=200").get_json()
    actions = {item["action"] for item in audit["items"]}
    assert {
        "contest.created",
        "stage.opened",
        "stage.closed",
        "stage.advanced",
        "awards.computed",
        "stage.published",
    } <= actions
