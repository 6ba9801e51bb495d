"""Contest room: demo contests — «Дистанционный учитель — 2027» in progress (its second stage open now) and a
finished pupils' olympiad with a timed round, published results and diplomas. Idempotent: found by
title, created once, through the same services the site uses."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.accounts import Role, User
from app.demo import DEMO_PASSWORD, demo_user
from app.extensions import db
from app.security import hash_password
from app.timeutil import utcnow
from contest_engine import awards, clock, entries, olympiad, queries, registration, results, setup
from contest_engine.models import Contest
from contest_engine.spec import ContestSpec, StageSpec
from courses.quiz.attempts import finish_attempt, save_answer, start_attempt

TEACHER_CONTEST = "Дистанционный учитель — 2027"
OLYMPIAD = "Олимпиада по математике «Вместе» — осень"

TEACHER_DESCRIPTION = """Районный конкурс профессионального мастерства для учителей, применяющих
дистанционные образовательные технологии.

**Этапы:** регистрация, «Визитная карточка» (эссе и ссылка на блог или сайт), «Дистанционный урок»
(план урока и ссылка), финал — открытые уроки перед жюри."""

TEACHER_RULES = """1. Участвуют учителя образовательных учреждений района.
2. На второй этап проходят 30 лучших, в финал — 10 лучших.
3. Работы оценивает жюри по критериям; оценки сводятся средним."""

GIFT = """
::Сумма:: Сколько будет 17 + 25? {#42}

::Простое число:: 91 — простое число. {F}

::Периметр:: Периметр квадрата со стороной 7 см равен ... см. {#28}

::Дробь:: Запишите 3/4 десятичной дробью. {=0.75 =0,75}

::Углы:: Сумма углов треугольника равна 180 градусам. {T}
"""

PUPILS = [
    ("pupil1@vmeste.local", "Алексей Смирнов", "5-8"),
    ("pupil2@vmeste.local", "Дарья Кузнецова", "5-8"),
    ("pupil3@vmeste.local", "Никита Попов", "5-8"),
    ("pupil4@vmeste.local", "Полина Васильева", "9-11"),
    ("pupil5@vmeste.local", "Егор Соколов", "9-11"),
    ("pupil6@vmeste.local", "Софья Михайлова", "9-11"),
]
ANSWERS = [
    ["42", False, "28", "0.75", True],
    ["42", False, "28", "0.7", True],
    ["42", True, "28", "0.75", False],
    ["42", False, "28", "0.75", True],
    ["41", False, "28", "0.75", True],
    ["42", False, "24", "0.5", True],
]


def _exists(title: str) -> bool:
    return db.session.scalar(select(Contest.id).where(Contest.title == title)) is not None


def _pupil(email: str, name: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            full_name=name,
            role=Role.STUDENT,
            password_hash=hash_password(DEMO_PASSWORD),
            institution_id=demo_user("student@vmeste.local").institution_id,
        )
        db.session.add(user)
        db.session.commit()
    return user


def teacher_contest(now: datetime) -> None:
    organiser = demo_user("organiser@vmeste.local")
    start = now - timedelta(days=16)
    week = timedelta(days=7)
    jury = {
        "criteria": [
            {"name": "Содержание", "max_points": 10, "weight": 1},
            {"name": "Оформление", "max_points": 5, "weight": Decimal("0.5")},
        ],
        "aggregation": "mean",
        "jurors_per_entry": None,
        "blind": True,
    }
    spec = ContestSpec(
        title=TEACHER_CONTEST,
        kind="teacher",
        description=TEACHER_DESCRIPTION,
        rules=TEACHER_RULES,
        divisions=["Учителя начальных классов", "Учителя-предметники"],
        stages=[
            StageSpec("Регистрация", "registration", start, start + 2 * week),
            StageSpec(
                "Визитная карточка",
                "submission",
                start + 2 * week,
                start + 3 * week,
                advancement={"rule": "top_n", "value": 30},
                jury=jury,
                description="Эссе «Мой дистанционный урок» и ссылка на ваш блог или сайт.",
                file_types="pdf,docx",
                max_file_mb=5,
                max_files=2,
            ),
            StageSpec(
                "Дистанционный урок",
                "submission",
                start + 3 * week,
                start + 5 * week,
                advancement={"rule": "top_n", "value": 10},
                jury=jury,
                description="План урока (файл) и ссылка на запись или материалы урока.",
            ),
            StageSpec("Финал: открытые уроки", "jury", start + 5 * week, start + 6 * week, jury=jury),
        ],
        awards=[
            {"title": "Победитель", "ranks": [1, 1]},
            {"title": "Призёр", "ranks": [2, 3]},
            {"title": "Лауреат", "ranks": [4, 10]},
            {"title": "Участник"},
        ],
        asks_institution=True,
        asks_subject=True,
        requires_consent=True,
    )
    contest = setup.create_contest(spec, actor=organiser, now=start)
    for email, division in (
        ("teacher@vmeste.local", "Учителя начальных классов"),
        ("teacher2@vmeste.local", "Учителя-предметники"),
    ):
        person = demo_user(email)
        registration.register(
            contest,
            person,
            division=division,
            subject="Математика",
            consent=True,
            now=start + timedelta(days=1),
        )
    clock.run_clock(now, contest_id=contest.id)
    card = queries.contest_stages(contest.id)[1]
    teacher = demo_user("teacher@vmeste.local")
    participation = queries.find_participation(contest.id, teacher.id)
    assert participation is not None
    entries.submit_entry(
        card,
        participation,
        text="Мой дистанционный урок начинается с живого вопроса…",
        link="https://example.org/blog",
        actor=teacher,
        now=now - timedelta(hours=3),
    )


def finished_olympiad(now: datetime) -> None:
    organiser = demo_user("organiser@vmeste.local")
    start = now - timedelta(days=40)
    spec = ContestSpec(
        title=OLYMPIAD,
        kind="olympiad",
        description="Олимпиада для школьников 5–11 классов: один онлайн-тур, "
        "60 минут с момента начала внутри двухдневного окна.",
        rules="Победители и призёры — не более 45 % участников; "
        "победителю нужно не меньше 50 % от максимума.",
        divisions=["5-8", "9-11"],
        stages=[
            StageSpec("Регистрация", "registration", start, start + timedelta(days=10)),
            StageSpec(
                "Онлайн-тур",
                "olympiad",
                start + timedelta(days=12),
                start + timedelta(days=14),
                advancement={"rule": "all"},
                tiebreak_by_time=False,
            ),
        ],
        awards=[
            {"title": "Победитель", "ranks": [1, 1], "min_percent_of_max": 50},
            {"title": "Призёр", "ranks": [2, 3], "min_percent_of_max": 25},
            {"title": "Участник"},
        ],
        award_quota_percent=Decimal(45),
        asks_institution=True,
        asks_grade=True,
        requires_consent=True,
    )
    contest = setup.create_contest(spec, actor=organiser, now=start)
    report = olympiad.import_questions(contest, GIFT, actor=organiser)
    round_stage = queries.contest_stages(contest.id)[1]
    quiz = olympiad.create_round(
        round_stage,
        contest,
        question_ids=[q.id for q in report.imported],
        time_limit_minutes=60,
        max_grade=Decimal(100),
        shuffle=False,
        actor=organiser,
        now=start + timedelta(days=1),
    )
    for index, (email, name, division) in enumerate(PUPILS):
        pupil = _pupil(email, name)
        registration.register(
            contest,
            pupil,
            division=division,
            grade="7" if division == "5-8" else "10",
            institution="",
            consent=True,
            now=start + timedelta(days=2),
        )
        begun = start + timedelta(days=12, hours=2 + index)
        attempt = start_attempt(quiz, pupil, begun)
        for slot, answer in enumerate(ANSWERS[index], start=1):
            save_answer(attempt, slot, answer, begun + timedelta(minutes=5 * slot))
        finish_attempt(attempt, begun + timedelta(minutes=30 + index))
    clock.run_clock(now, contest_id=contest.id)
    db.session.refresh(round_stage)
    results.publish_results(round_stage, actor=organiser, now=start + timedelta(days=15), appeal_hours=48)
    awards.compute_awards(contest, actor=organiser, now=start + timedelta(days=18))


def load_contests() -> list[str]:
    now = utcnow()
    lines = []
    if not _exists(TEACHER_CONTEST):
        teacher_contest(now)
        lines.append(f"Contest in progress: {TEACHER_CONTEST}")
    if not _exists(OLYMPIAD):
        finished_olympiad(now)
        lines.append(f"Finished olympiad with diplomas: {OLYMPIAD} (pupils pupil1..6@vmeste.local)")
    return lines
