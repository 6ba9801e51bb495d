"""«Дистанционный учитель» through the services: two organisers or two clocks at once change a stage once."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.notifications import Notification
from app.ticks import run_tick
from contest_engine.models import StageParticipant
from tests.api.test_contest_teacher import T0, WEEK, body, create
from tests.factories.accounts import organiser, teacher


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
