"""«Дистанционный учитель» through the API: registration, two submission stages scored by a jury,
advancement top N, a final; bad input and refusals along the way."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.notifications import Notification
from app.ticks import run_tick
from contest_engine.models import Entry, StageParticipant
from tests.factories.accounts import juror, organiser, student, teacher
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


def test_bad_contest_bodies_are_422_with_fields(app, api) -> None:
    owner = organiser()
    db.session.commit()
    stages = body()["stages"]
    overlap = [dict(s) for s in stages]
    overlap[2]["opens_at"] = (T0 + 2 * WEEK + timedelta(days=1)).isoformat()
    reversed_ = [dict(s) for s in stages]
    reversed_[1]["closes_at"] = (T0 + WEEK).isoformat()
    zero = [dict(s) for s in stages]
    zero[1]["advancement"] = {"rule": "top_percent", "value": 0}
    over = [dict(s) for s in stages]
    over[1]["advancement"] = {"rule": "top_percent", "value": 120}
    cases = [
        (body(stages=overlap), "stages.2.opens_at"),
        (body(stages=reversed_), "stages.1.closes_at"),
        (body(stages=zero), "stages.1.advancement.value"),
        (body(stages=over), "stages.1.advancement.value"),
        (body(divisions=[]), "divisions"),
        (body(divisions=["A", "A"]), "divisions"),
        (body(timezone="Mars/Olympus"), "timezone"),
        (body(award_quota_percent=150), "award_quota_percent"),
        (body(awards=[{"title": "X", "ranks": [3, 1]}]), "awards.0"),
        ({**body(), "stages": [{**stages[0], "opens_at": "2027-01-01T10:00:00"}]}, "stages.0.opens_at"),
    ]
    for data, field in cases:
        response = create(api, owner, data)
        assert response.status_code == 422, (field, response.get_json())
        assert field in response.get_json()["error"]["fields"], (field, response.get_json())
    from contest_engine.models import Contest

    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0


def test_unknown_division_and_refused_roles(app, api) -> None:
    owner, other_organiser, person = organiser(), organiser(), teacher()
    db.session.commit()
    assert create(api, person).status_code == 403
    assert create(api, student()).status_code == 403
    assert api().post("/contests", body()).status_code == 401
    cid = create(api, owner).get_json()["id"]
    with at(T0 + timedelta(days=1)):
        unknown = api(person).post(
            f"/contests/{cid}/participants", {"user_id": person.id, "division": "Нет такой"}
        )
        assert unknown.status_code == 422 and "division" in unknown.get_json()["error"]["fields"]
        # Registering someone else is for organisers only.
        other = teacher()
        db.session.commit()
        assert (
            api(person)
            .post(f"/contests/{cid}/participants", {"user_id": other.id, "division": "Учителя"})
            .status_code
            == 403
        )
        assert api(other_organiser).post(f"/contests/{cid}/awards/compute").status_code == 403
        assert api(person).get(f"/contests/{cid}/audit").status_code == 403
        assert (
            api(person)
            .post(f"/contests/{cid}/participants/import", data="email,division\n", content_type="text/csv")
            .status_code
            == 403
        )
    assert api(owner).get("/contests/999999").status_code == 404


def test_csv_import_is_all_or_nothing(app, api) -> None:
    owner = organiser()
    existing = teacher(email="known@example.org")
    db.session.commit()
    cid = create(api, owner).get_json()["id"]
    bad = "email,full_name,division\nknown@example.org,,Учителя\nnew@example.org,Новый Учитель,Нет\n"
    with at(T0 + timedelta(days=1)):
        report = (
            api(owner)
            .post(f"/contests/{cid}/participants/import", data=bad.encode(), content_type="text/csv")
            .get_json()
        )
    assert report["created"] == 0 and report["errors"][0]["line"] == 3
    good = (
        "email,full_name,division,institution\n"
        "known@example.org,,Учителя,Школа\n"
        "new@example.org,Новый Учитель,Учителя,\n"
    )
    with at(T0 + timedelta(days=1)):
        report = (
            api(owner)
            .post(f"/contests/{cid}/participants/import", data=good.encode(), content_type="text/csv")
            .get_json()
        )
    assert report == {"created": 2, "errors": []}
    listing = api(owner).get(f"/contests/{cid}/participants").get_json()
    assert listing["total"] == 2 and existing.id in {row["user_id"] for row in listing["items"]}


def test_two_organisers_confirming_at_once_give_one_result(app, api) -> None:
    owner, second = organiser(), organiser()
    teachers = [teacher() for _ in range(4)]
    db.session.commit()
    data = body()
    data["stages"][1].pop("jury")
    data["stages"][1]["advancement"] = {"rule": "all"}
    cid = create(api, owner, data).get_json()["id"]
    from contest_engine import entries, queries, registration, setup
    from contest_engine.models import Contest, Stage

    contest = db.session.get(Contest, cid)
    setup.add_organiser(contest, second, actor=owner)
    stages = queries.contest_stages(cid)
    card = stages[1]
    for person in teachers:
        registration.register(
            contest, person, division="Учителя", consent=True, institution="Школа", now=T0 + timedelta(days=1)
        )
    run_tick(T0 + 2 * WEEK)
    for person in teachers:
        entries.submit_entry(
            card,
            queries.find_participation(cid, person.id),
            text="эссе",
            actor=person,
            now=T0 + 2 * WEEK + timedelta(hours=1),
        )
    run_tick(T0 + 3 * WEEK)
    outcomes: list[Any] = []
    ids = (owner.id, second.id)
    card_id, next_id = card.id, stages[2].id
    db.session.commit()  # the threads must not touch this session's (expired) objects

    def confirm(user_id: int) -> None:
        with app.app_context():
            from app.accounts import User
            from contest_engine.advancing import confirm_advancement

            try:
                outcomes.append(
                    confirm_advancement(
                        db.session.get(Stage, card_id),
                        actor=db.session.get(User, user_id),
                        now=T0 + 3 * WEEK + timedelta(hours=1),
                    ).advanced
                )
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(ids[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert len({tuple(o) for o in outcomes}) == 1
    admitted = db.session.scalar(
        select(func.count()).select_from(StageParticipant).where(StageParticipant.stage_id == next_id)
    )
    assert admitted == 4
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 4


def test_clock_in_two_threads_changes_each_stage_once(app, api) -> None:
    from app.audit import AuditEntry

    owner = organiser()
    db.session.commit()
    create(api, owner)
    db.session.commit()
    moment = T0 + 2 * WEEK + timedelta(minutes=1)
    lines: list[Any] = []

    def tick() -> None:
        with app.app_context():
            try:
                lines.append(run_tick(moment))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    changes = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action.in_(["stage.opened", "stage.closed"]))
    )
    assert changes == 2  # registration went straight to closed (the clock was down), the card stage opened
    assert not [line for line in run_tick(moment) if line.startswith("contest stages")]
