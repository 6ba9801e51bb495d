"""Jury room, demo data: «Дистанционный учитель» with a blind final scored by the two demo
jurors, the demo teachers as finalists with their lesson plans, demo-lesson slots, and one
submitted score. Idempotent: found by title, created once. A plain function: create_app registers it
(app/wiring.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.demo import demo_user
from app.extensions import db
from app.timeutil import utcnow
from contest_engine.entries import submit_entry
from contest_engine.jury import open_lessons, schedule
from contest_engine.jury.assignment import allocate_stage
from contest_engine.jury.jurors import add_stage_juror
from contest_engine.jury.setup import save_jury_settings
from contest_engine.jury.sheets import save_scores
from contest_engine.models import Contest, StageParticipant
from contest_engine.queries import contest_stages
from contest_engine.registration import register
from contest_engine.setup import create_contest
from contest_engine.spec import ContestSpec, StageSpec

TITLE = "Дистанционный учитель — финал (демо)"
CRITERIA = [
    {
        "name": "Цели и планируемые результаты",
        "max_points": 10,
        "weight": 1,
        "description": "Соответствие целей урока ФГОС и их достижимость.",
        "levels": [
            {"points": "0", "text": "цели не сформулированы"},
            {"points": "5", "text": "цели есть, но не измеримы"},
            {"points": "10", "text": "цели измеримы и достигнуты"},
        ],
    },
    {
        "name": "Методика и технологии",
        "max_points": 10,
        "weight": 2,
        "levels": [
            {"points": "0", "text": "технологии не применяются"},
            {"points": "10", "text": "уместны и разнообразны"},
        ],
    },
    {"name": "Рефлексия", "max_points": 5, "weight": 1},
]


def load_jury_final() -> list[str]:
    if db.session.scalar(select(Contest.id).where(Contest.title == TITLE)) is not None:
        return [f"Jury demo: «{TITLE}» is already there."]
    now = utcnow()
    owner = demo_user("organiser@vmeste.local")
    contest = create_contest(
        ContestSpec(
            title=TITLE,
            kind="teacher",
            divisions=["Учителя"],
            description="Финал конкурса: открытые уроки финалистов, слепое оценивание жюри.",
            stages=[
                StageSpec("Регистрация", "registration", now - timedelta(days=20), now - timedelta(days=10)),
                StageSpec(
                    "Финал: открытый урок",
                    "jury",
                    now - timedelta(days=2),
                    now + timedelta(days=10),
                    jury={
                        "criteria": CRITERIA,
                        "aggregation": "trimmed_mean",
                        "blind": True,
                        "jurors_per_entry": None,
                        "disagreement_threshold": 5,
                    },
                ),
            ],
            awards=[
                {"title": "Победитель", "ranks": [1, 1]},
                {"title": "Призёр", "ranks": [2, 3]},
                {"title": "Лауреат", "ranks": None},
            ],
        ),
        actor=owner,
        now=now,
    )
    final = contest_stages(contest.id)[-1]
    finalists = [demo_user("teacher@vmeste.local"), demo_user("teacher2@vmeste.local")]
    entries = []
    for number, person in enumerate(finalists, start=1):
        participation = register(contest, person, division="Учителя", now=now, consent=True, actor=owner)
        entries.append(
            submit_entry(
                final,
                participation,
                text=f"## План открытого урока № {number}\n\n"
                "Тема: «Дроби вокруг нас». Цель: применять дроби в задачах из жизни.",
                link="https://example.org/lesson",
                actor=person,
                now=now,
            )
        )
    for email in ("juror@vmeste.local", "juror2@vmeste.local"):
        add_stage_juror(final, demo_user(email), actor=owner)
    save_jury_settings(
        final,
        aggregation="trimmed_mean",
        jurors_per_entry=None,
        blind=True,
        disagreement_threshold=None,
        scoring_due_at=now + timedelta(days=7),
        slot_pick_deadline=now + timedelta(days=3),
        actor=owner,
    )
    allocate_stage(final, actor=owner)
    for day in (4, 5):
        schedule.create_slot(
            final,
            starts_at=(now + timedelta(days=day)).replace(hour=7, minute=0, second=0, microsecond=0),
            duration_minutes=45,
            location="https://sferum.example/final",
            actor=owner,
        )
    first = demo_user("juror@vmeste.local")
    save_scores(
        entries[0],
        first,
        {"Цели и планируемые результаты": 9, "Методика и технологии": 8, "Рефлексия": 4},
        "Хорошо выстроенный урок.",
        submit=True,
        now=now,
    )
    return [
        f"Jury demo: «{TITLE}» — juror@vmeste.local scores at /jury/, "
        f"the organiser at /jury/stages/{final.id}"
    ]


OPEN_TITLE = "Педагогический дебют — финал с открытыми уроками (демо)"


def load_open_final() -> list[str]:
    """A second, open final (the blind one above is never opened): two finalists give their demo
    lessons in slots the organiser opened to colleagues, so each is an open lesson of the network
    calendar that teachers register to watch. Idempotent, like the blind one."""
    if db.session.scalar(select(Contest.id).where(Contest.title == OPEN_TITLE)) is not None:
        return [f"Jury demo: «{OPEN_TITLE}» is already there."]
    now = utcnow()
    owner = demo_user("organiser@vmeste.local")
    contest = create_contest(
        ContestSpec(
            title=OPEN_TITLE,
            kind="teacher",
            divisions=["Молодые учителя"],
            description="Финал для молодых учителей: уроки финалистов открыты коллегам сети.",
            stages=[
                StageSpec("Регистрация", "registration", now - timedelta(days=20), now - timedelta(days=10)),
                StageSpec(
                    "Финал: открытый урок",
                    "jury",
                    now - timedelta(days=1),
                    now + timedelta(days=14),
                    jury={"criteria": CRITERIA, "aggregation": "mean", "blind": False},
                ),
            ],
            awards=[{"title": "Победитель", "ranks": [1, 1]}, {"title": "Лауреат", "ranks": None}],
        ),
        actor=owner,
        now=now,
    )
    final = contest_stages(contest.id)[-1]
    participations = []
    for person in (demo_user("teacher@vmeste.local"), demo_user("teacher2@vmeste.local")):
        participation = register(
            contest, person, division="Молодые учителя", now=now, consent=True, actor=owner
        )
        submit_entry(
            final,
            participation,
            text="## План открытого урока\n\nТема: «Текст и его смысл». Работа в группах.",
            link="https://example.org/lesson",
            actor=person,
            now=now,
        )
        participations.append(participation)
        # Admitted to the final as the advancement from a first round would (the demo has none).
        db.session.add(
            StageParticipant(stage_id=final.id, participation_id=participation.id, admitted_at=now)
        )
    db.session.commit()
    add_stage_juror(final, demo_user("juror@vmeste.local"), actor=owner)
    open_lessons.set_open(final, True, actor=owner)
    for day, participation in zip((6, 7), participations, strict=True):
        slot = schedule.create_slot(
            final,
            starts_at=(now + timedelta(days=day)).replace(hour=8, minute=0, second=0, microsecond=0),
            duration_minutes=45,
            location="https://sferum.example/open-lesson",
            actor=owner,
        )
        schedule.assign_slot(slot, participation.id, actor=owner)
    return [f"Jury demo: «{OPEN_TITLE}» — its demo lessons are open lessons in the calendar (/events)"]
