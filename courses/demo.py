"""Demo course: a 72-hour qualification course with modules, pages, an assignment and a quiz,
the demo teacher enrolled as a student (and, from demo_pupils, a pupils' course). Idempotent: found
by title, created once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.demo import demo_user
from app.extensions import db
from app.timeutil import utcnow
from courses.assignments import AssignmentSettings, create_assignment
from courses.catalogue import CourseSettings, create_course
from courses.demo_pupils import load_pupil_course_demo
from courses.enrolment import enrol
from courses.items import ItemSettings, add_item
from courses.models import Course, CourseMember
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import QuestionBank
from courses.quiz_items import add_quiz_item
from courses.structure import add_module

TITLE = "Дистанционные образовательные технологии в школе"

SUMMARY = """Курс повышения квалификации для учителей общеобразовательных школ.

**Объём:** 72 часа. **Форма обучения:** заочная с применением дистанционных образовательных технологий.

По окончании курса выдаётся удостоверение о повышении квалификации."""

PAGES = [
    (
        "Модуль 1. Нормативная база дистанционного обучения",
        [
            (
                "Введение в курс",
                "## Добро пожаловать!\n\nВ курсе три модуля. Прочитайте материалы, выполните "
                "практическое задание и пройдите итоговый тест.\n\n- модуль 1 — нормативная база;\n"
                "- модуль 2 — инструменты;\n- модуль 3 — практика.",
            ),
            (
                "Федеральный закон «Об образовании в РФ», статья 16",
                "Статья 16 определяет порядок реализации образовательных программ с применением "
                "электронного обучения и дистанционных образовательных технологий.\n\n"
                "> Организация вправе применять ЭО и ДОТ при реализации образовательных программ "
                "в порядке, установленном Правительством РФ.",
            ),
        ],
    ),
    (
        "Модуль 2. Инструменты дистанционного урока",
        [
            (
                "Платформы и сервисы",
                "| Задача | Инструмент |\n|---|---|\n| Видеосвязь | Сферум |\n"
                "| Задания и тесты | ЦОС «Моя школа» |\n| Совместная работа | Доски и документы |",
            ),
            (
                "Как построить онлайн-урок",
                "1. Организационный момент (3 мин).\n2. Актуализация знаний.\n"
                "3. Новый материал малыми порциями.\n4. Интерактивная практика.\n5. Рефлексия.",
            ),
        ],
    ),
]

GIFT = """::ДОТ-1:: Какая статья закона «Об образовании в РФ» регулирует применение ДОТ? {=16 ~15 ~28 ~47}

::ДОТ-2:: Дистанционные образовательные технологии можно применять только в вузах. {F}

::ДОТ-3:: Сколько часов составляет объём курса? {#72}
"""


def load_course_demo() -> list[str]:
    """The teachers' qualification course, then the pupils' course (courses/demo_pupils.py)."""
    return _load_teachers_course() + load_pupil_course_demo()


def _load_teachers_course() -> list[str]:
    """The demo course and its two demo teachers' places in it; run again, it finds the course and stops."""
    if db.session.scalar(select(Course.id).where(Course.title == TITLE)) is not None:
        return [f"Demo course: «{TITLE}» (already there)"]
    author = demo_user("teacher2@vmeste.local")
    learner = demo_user("teacher@vmeste.local")
    today = date.today()
    course = create_course(
        CourseSettings(
            title=TITLE,
            summary=SUMMARY,
            hours=72,
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=60),
            enrolment_mode="key",
            enrolment_key="ДОТ-2026",
        ),
        actor=author,
    )
    first_item = None
    for module_title, pages in PAGES:
        module = add_module(course, title=module_title, actor=author)
        for title, body in pages:
            item = add_item(
                module, "page", ItemSettings(title=title, body=body, completion="viewed"), actor=author
            )
            first_item = first_item or item
    practice = add_module(course, title="Модуль 3. Практика", actor=author)
    add_item(
        practice,
        "link",
        ItemSettings(
            title="Методические рекомендации Минпросвещения", url="https://edu.gov.ru/", completion="none"
        ),
        actor=author,
    )
    create_assignment(
        practice,
        ItemSettings(
            title="Разработка дистанционного урока",
            completion="graded",
            completion_points=Decimal("6"),
            prerequisite_id=first_item.id if first_item else None,
            weight=Decimal("2"),
        ),
        AssignmentSettings(
            description="Разработайте конспект урока с применением ДОТ по своему предмету. "
            "Приложите файл (PDF или DOCX) и кратко опишите идею урока.",
            due_at=utcnow() + timedelta(days=21),
            cutoff_at=utcnow() + timedelta(days=28),
            rubric=[
                {
                    "name": "Цели и структура урока",
                    "levels": [
                        {"label": "не раскрыты", "points": 0},
                        {"label": "частично", "points": 2},
                        {"label": "полностью", "points": 4},
                    ],
                },
                {
                    "name": "Использование ДОТ",
                    "levels": [
                        {"label": "нет", "points": 0},
                        {"label": "есть", "points": 3},
                        {"label": "обоснованно", "points": 6},
                    ],
                },
            ],
            allowed_extensions="pdf,doc,docx,odt",
        ),
        actor=author,
    )
    bank = db.session.get(QuestionBank, course.bank_id)
    report = import_gift(bank, GIFT, actor=author)
    if report.imported:
        add_quiz_item(
            practice,
            ItemSettings(title="Итоговый тест", completion="graded", completion_points=Decimal("6")),
            question_ids=[q.id for q in report.imported],
            quiz_options={"attempts_allowed": 3, "time_limit_minutes": 20},
            actor=author,
        )
    if (
        db.session.scalar(
            select(CourseMember.id).where(
                CourseMember.course_id == course.id, CourseMember.user_id == learner.id
            )
        )
        is None
    ):
        enrol(course, learner, "student", actor=author)
    return [
        f"Demo course: «{TITLE}» (author teacher2@vmeste.local, student teacher@vmeste.local, "
        f"enrolment key ДОТ-2026)"
    ]
