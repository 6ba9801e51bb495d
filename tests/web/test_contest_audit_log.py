"""The contest audit log reads as sentences in Russian: the actor's part and name, the verb agreeing
with them, the object named, details as words, the viewer's time zone; queries bounded."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from app import audit
from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from contest_engine.clock import close_stage
from contest_engine.jury.closing import close_scoring, reopen_scoring
from contest_engine.jury.jurors import add_stage_juror
from contest_engine.jury.sheets import save_scores
from contest_engine.models import ContestOrganiser, Entry, Stage
from tests.conftest import login
from tests.factories.accounts import UserFactory, juror, organiser, student, teacher
from tests.factories.jury import jury_stage

RAW = re.compile(r"\b(None|True|False)\b|\[\d|\d{4}-\d\d-\d\dT|[a-z]+\.[a-z_]+")


def _log(client, contest_id: int) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/contests/{contest_id}/audit")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _sentences(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", s) for s in re.findall(r"<span data-audit-sentence>(.*?)</span>", html, re.S)]


def test_the_log_reads_as_sentences_with_gender_agreement(client) -> None:
    boss = organiser(full_name="Ольга Петровна Иванова")
    built = jury_stage(entries=1, jurors=1, criteria=None)
    db.session.add(ContestOrganiser(contest_id=built.contest.id, user_id=boss.id))
    built.stage.title = "Финал"
    man = built.jurors[0]
    man.full_name = "Пётр Сергеевич Петров"
    db.session.commit()
    entry = built.entries[0]
    save_scores(entry, man, {"Содержание": "8", "Методика": "4.5"}, submit=True, now=utcnow())
    close_scoring(built.stage, actor=boss, now=utcnow())
    reopen_scoring(built.stage, actor=boss, reason="Член жюри заболел")
    login(client, boss)
    html = _log(client, built.contest.id)
    sentences = _sentences(html)
    assert "Организатор Ольга Петровна Иванова возобновила оценивание этапа «Финал»" in sentences
    assert "Организатор Ольга Петровна Иванова завершила оценивание этапа «Финал»" in sentences
    assert f"Член жюри Пётр Сергеевич Петров оценил работу № {entry.id}" in sentences
    assert "Баллы: Содержание: 8; Методика: 4,5" in html
    assert "Член жюри заболел" in html and "data-audit-reason" in html
    assert "jury." not in " ".join(sentences) and "None" not in html


def test_unknown_gender_takes_the_neutral_form_and_unknown_codes_a_sentence(client) -> None:
    built = jury_stage(entries=0, jurors=0)
    someone = UserFactory(full_name="Саша Ким")
    db.session.add_all(
        [
            audit.AuditEntry(
                action="stage.closed",
                actor_id=someone.id,
                scope_type="contest",
                scope_id=built.contest.id,
                object_type="stage",
                object_id=built.stage.id,
                details={"from": "open", "to": "closed", "closes_at": "2027-01-12T09:00:00+00:00"},
            ),
            audit.AuditEntry(
                action="jury.something_new",
                actor_id=someone.id,
                scope_type="contest",
                scope_id=built.contest.id,
                details={"flag": True, "ids": [1, 2]},
            ),
        ]
    )
    db.session.commit()
    login(client, built.organiser)
    html = _log(client, built.contest.id)
    sentences = _sentences(html)
    assert f"Саша Ким закрыл(а) этап «{built.stage.title}»" in sentences
    assert "Саша Ким внёс(ла) изменения" in sentences
    assert "something_new" not in html and "True" not in html and "[1" not in html


def test_the_clock_and_times_in_the_viewers_zone(client) -> None:
    built = jury_stage(entries=1, jurors=0)
    stage = db.session.get(Stage, built.stage.id)
    assert stage is not None
    stage.title = "Отбор"
    db.session.add(
        audit.AuditEntry(
            at=datetime(2027, 1, 12, 9, 0, 5, tzinfo=UTC),
            action="stage.closed",
            actor_id=None,
            scope_type="contest",
            scope_id=built.contest.id,
            object_type="stage",
            object_id=stage.id,
            reason="by the clock",
            details={"from": "open", "to": "closed", "at": "2027-01-12T09:00:05+00:00"},
        )
    )
    viewer = built.organiser
    viewer.timezone = "Asia/Novosibirsk"
    db.session.commit()
    login(client, viewer)
    html = _log(client, built.contest.id)
    assert "Приём работ этапа «Отбор» закрылся по расписанию" in _sentences(html)
    assert "Часы" not in html  # impersonal: no clock as the subject
    assert "16:00" in html and "16:00:05" not in html  # 09:00 UTC in Novosibirsk, no seconds
    assert "by the clock" not in html


def test_people_and_objects_are_named(client) -> None:
    built = jury_stage(entries=1, jurors=0)
    woman = juror(full_name="Анна Кузнецова")
    add_stage_juror(built.stage, woman, actor=built.organiser)
    db.session.commit()
    pupil = student(full_name="Иван Учеников")
    close_stage(db.session.get_one(Stage, built.stage.id), actor=built.organiser, now=utcnow())
    db.session.add(
        audit.AuditEntry(
            action="jury.appeal_filed",
            actor_id=pupil.id,
            scope_type="contest",
            scope_id=built.contest.id,
            object_type="entry",
            object_id=built.entries[0].id,
        )
    )
    db.session.commit()
    login(client, built.organiser)
    html = _log(client, built.contest.id)
    assert "Анна Кузнецова" in html and "добавил" in html
    assert f"Иван Учеников подал апелляцию по работе № {built.entries[0].id}" in _sentences(html)
    assert not RAW.search(" ".join(_sentences(html)))


def test_the_log_loads_in_a_bounded_number_of_queries(client, count_queries) -> None:
    built = jury_stage(entries=2, jurors=2)
    contest_id, stage_id, boss_id = built.contest.id, built.stage.id, built.organiser.id
    entry_ids, juror_ids = [e.id for e in built.entries], [j.id for j in built.jurors]
    login(client, built.organiser)

    def fill(n: int) -> None:
        stage, boss = db.session.get_one(Stage, stage_id), db.session.get_one(User, boss_id)
        for number in range(n):
            person = teacher(full_name=f"Участница Новая {number}")
            add_stage_juror(stage, person, actor=boss)
        for entry_id in entry_ids:
            for juror_id in juror_ids:
                entry, person = db.session.get_one(Entry, entry_id), db.session.get_one(User, juror_id)
                points = {"Содержание": str(min(n, 9)), "Методика": "3"}
                save_scores(entry, person, points, submit=True, now=utcnow())
        db.session.commit()

    fill(2)
    client.get(f"/contests/{contest_id}/audit")
    with count_queries(cold=True) as few:
        assert client.get(f"/contests/{contest_id}/audit").status_code == 200
    fill(25)
    with count_queries(cold=True) as many:
        html = _log(client, contest_id)
    assert len(_sentences(html)) > 25
    assert many.count == few.count, (few.count, many.count)
    assert many.count <= 16


def test_only_the_contests_organisers_read_it(client) -> None:
    built = jury_stage(entries=1, jurors=1)
    for person in (built.jurors[0], teacher(), student(), organiser()):
        login(client, person)
        assert client.get(f"/contests/{built.contest.id}/audit").status_code == 403
    assert db.session.scalars(select(audit.AuditEntry)).first() is not None
