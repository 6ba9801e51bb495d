"""Demo course for pupils: an open course by the demo teacher with a page and a short quiz, the demo
pupil enrolled — so a pupil signing in to the demo has a course and a next step on the dashboard,
and a second pupil finds an open course through the catalogue. Idempotent: found by title."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.demo import demo_user
from app.extensions import db
from courses.catalogue import CourseSettings, create_course
from courses.enrolment import enrol
from courses.items import ItemSettings, add_item
from courses.models import Course
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import QuestionBank
from courses.quiz_items import add_quiz_item
from courses.structure import add_module

TITLE = "Дроби: повторяем за 5 класс"

SUMMARY = """Короткий курс для учеников 5–6 классов: что такое дробь, как сравнивать и складывать дроби.

Прочитайте страницу и пройдите тест — у вас три попытки."""

PAGE = """## Что такое дробь

Дробь показывает, на сколько равных частей разделили целое (**знаменатель**) и сколько таких частей
взяли (**числитель**).

- ½ — одна часть из двух;
- ¾ — три части из четырёх.

Дроби с одинаковым знаменателем складывают так: числители складывают, знаменатель оставляют.
"""

GIFT = """::Дроби-1:: Как называется число под чертой дроби? {=знаменатель ~числитель ~частное}

::Дроби-2:: Сколько будет 1/4 + 2/4? {=3/4 ~3/8 ~2/4}

::Дроби-3:: Дробь 2/4 равна дроби 1/2. {T}
"""


def load_pupil_course_demo() -> list[str]:
    """The pupils' course; run again, it finds the course and stops."""
    if db.session.scalar(select(Course.id).where(Course.title == TITLE)) is not None:
        return [f"Demo pupils' course: «{TITLE}» (already there)"]
    author = demo_user("teacher@vmeste.local")
    course = create_course(
        CourseSettings(title=TITLE, summary=SUMMARY, hours=4, enrolment_mode="open"), actor=author
    )
    module = add_module(course, title="Тема 1. Обыкновенные дроби", actor=author)
    page = add_item(
        module,
        "page",
        ItemSettings(title="Что такое дробь", body=PAGE, completion="viewed"),
        actor=author,
    )
    report = import_gift(db.session.get_one(QuestionBank, course.bank_id), GIFT, actor=author)
    add_quiz_item(
        module,
        ItemSettings(
            title="Проверь себя: дроби",
            completion="graded",
            completion_points=Decimal("5"),
            prerequisite_id=page.id,
        ),
        question_ids=[q.id for q in report.imported],
        quiz_options={"attempts_allowed": 3, "time_limit_minutes": 10},
        actor=author,
    )
    enrol(course, demo_user("student@vmeste.local"), "student", actor=author)
    return [
        f"Demo pupils' course: «{TITLE}» (author teacher@vmeste.local, student student@vmeste.local; "
        "open to other pupils)"
    ]
