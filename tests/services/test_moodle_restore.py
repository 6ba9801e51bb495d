"""Moodle course restore: a Moodle 3.x or 4.x `.mbz` becomes a course — sections as modules, pages,
labels, links, files, assignments and quizzes over the restored bank — and the report names what
stayed behind."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from app.extensions import db
from app.i18n import force_locale
from app.uploads import StoredFile, read_bytes
from community.forums.models import ForumScope
from community.forums.places import place_forums
from courses.models import (
    Assignment,
    CompletionRule,
    Course,
    CourseAsset,
    CourseMember,
    Item,
    ItemKind,
    Module,
)
from courses.moodle_restore import Restored, restore_course
from courses.quiz.bank_questions import load_question
from courses.quiz.models import Question, QuestionCategory, Quiz, QuizSlot
from tests.factories.accounts import teacher
from tests.fixtures.moodle_mbz import Mbz
from tests.fixtures.moodle_sample import FIXTURE, PDF, PNG, sample


def _restore(data: bytes) -> Restored:
    author = teacher()
    db.session.commit()
    with force_locale("en"):
        return restore_course(data, actor=author)


def _items(course: Course) -> dict[str, Item]:
    rows = db.session.scalars(
        select(Item).where(Item.course_id == course.id).order_by(Item.module_id, Item.position)
    )
    return {item.title: item for item in rows}


def _questions(course: Course) -> dict[str, Question]:
    return {q.name: q for q in db.session.scalars(select(Question).where(Question.bank_id == course.bank_id))}


@pytest.mark.parametrize(("moodle", "packing"), [(4, "tgz"), (3, "tgz"), (3, "zip")])
def test_sections_become_modules_with_their_activities(app, moodle: int, packing: str) -> None:  # type: ignore[no-untyped-def]
    result = _restore(sample(moodle).build(packing))
    course = result.course
    assert course.title == "Основы алгебры"
    assert course.summary == "<p>Курс для 7 класса</p>"
    assert course.starts_on == date(2026, 9, 1)
    assert course.ends_on == date(2026, 12, 31)
    member = db.session.scalar(select(CourseMember).where(CourseMember.course_id == course.id))
    assert member is not None and member.role == "author"
    modules = list(
        db.session.scalars(select(Module).where(Module.course_id == course.id).order_by(Module.position))
    )
    # The general section holds only the news forum, which stays behind: no empty module for it.
    assert [(m.title, m.hidden) for m in modules] == [("Линейные уравнения", False), ("Дополнительно", True)]
    titles = [
        i.title
        for i in db.session.scalars(
            select(Item).where(Item.module_id == modules[0].id).order_by(Item.position)
        )
    ]
    assert titles == [
        "About this module",
        "Теория",
        "Важно",
        "Видеоурок",
        "Конспект",
        "Домашняя работа",
        "Проверочная",
    ]


def test_pages_labels_and_links_keep_their_text_and_pictures(app) -> None:  # type: ignore[no-untyped-def]
    course = _restore(sample().build()).course
    items = _items(course)
    assert "<b>ax + b = 0</b>" in items["About this module"].body
    theory = items["Теория"]
    assert theory.kind == ItemKind.PAGE and theory.completion == CompletionRule.VIEWED
    asset = db.session.scalar(select(CourseAsset).where(CourseAsset.course_id == course.id))
    assert asset is not None
    assert f'src="/courses/{course.id}/assets/{asset.id}"' in theory.body
    assert "@@PLUGINFILE@@" not in theory.body
    assert read_bytes(asset.file) == PNG and asset.file.original_name == "рис.png"
    assert items["Важно"].kind == ItemKind.PAGE and items["Важно"].body == "<p>Не забудьте тетрадь</p>"
    link = items["Видеоурок"]
    assert (link.kind, link.url) == (ItemKind.LINK, "https://example.org/video")


def test_a_file_resource_becomes_a_file_item_through_the_upload_rules(app) -> None:  # type: ignore[no-untyped-def]
    course = _restore(sample().build()).course
    item = _items(course)["Конспект"]
    assert item.kind == ItemKind.FILE
    stored = db.session.get(StoredFile, item.file_id)
    assert stored is not None and stored.original_name == "конспект.pdf"
    assert stored.content_type == "application/pdf" and read_bytes(stored) == PDF


def test_a_folder_gives_a_file_item_per_file_and_an_html_file_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    result = _restore(sample().build())
    items = _items(result.course)
    assert items["Материалы: схема.png"].hidden is True
    assert not [t for t in items if "страница.html" in t]
    assert any(r["item"] == "Материалы" and "html" in r["message"] for r in result.report)


def test_an_assignment_keeps_dates_points_and_submission_types(app) -> None:  # type: ignore[no-untyped-def]
    item = _items(_restore(sample().build()).course)["Домашняя работа"]
    assert item.kind == ItemKind.ASSIGNMENT and item.completion == CompletionRule.SUBMITTED
    row = db.session.get(Assignment, item.assignment_id)
    assert row is not None
    assert row.description == "<p>Решите № 1–5</p>"
    assert row.due_at == datetime(2026, 9, 15, tzinfo=UTC)
    assert row.cutoff_at == datetime(2026, 9, 16, tzinfo=UTC)
    assert row.max_points == Decimal("20")
    assert (row.allow_text, row.allow_files, row.max_files, row.max_file_mb) == (False, True, 3, 2)
    assert row.allowed_extensions == "pdf,docx"


def test_the_question_bank_keeps_each_type_we_have(app) -> None:  # type: ignore[no-untyped-def]
    course = _restore(sample().build()).course
    rows = _questions(course)
    assert "Формула" not in rows and "g1" not in rows  # unsupported type; cloze gaps live in their question
    kinds = {name: row.type for name, row in rows.items()}
    assert kinds["Корень"] == "single" and kinds["Чётные"] == "multiple" and kinds["Ноль"] == "truefalse"
    assert kinds["Термин"] == "shortanswer" and kinds["Число"] == "numerical" and kinds["Пары"] == "matching"
    assert (
        kinds["Рассуждение"] == "essay"
        and kinds["Пояснение"] == "description"
        and kinds["Пропуски"] == "cloze"
    )
    multiple = load_question(rows["Чётные"])
    assert [c.fraction for c in multiple.choices] == [Fraction(1, 2), Fraction(1, 2), Fraction(-1)]
    assert multiple.default_mark == Decimal(2) and multiple.text_format == "html"
    truefalse = load_question(rows["Ноль"])
    assert (
        truefalse.correct is True
        and truefalse.feedback_true == "Да"
        and truefalse.feedback_false == "Подумайте"
    )
    numeric = load_question(rows["Число"])
    assert [(a.value, a.tolerance) for a in numeric.answers] == [(Decimal("0.33"), Decimal("0.01"))]
    matching = load_question(rows["Пары"])
    assert [i.text for i in matching.left] == ["2x=2", "x+1=3"] and [r.text for r in matching.right] == [
        "1",
        "2",
        "7",
    ]
    cloze = load_question(rows["Пропуски"])
    assert [g.type for g in cloze.gaps] == ["numerical", "single"] and [g.weight for g in cloze.gaps] == [
        1,
        2,
    ]
    category = db.session.get(QuestionCategory, rows["Устно 0"].category_id)
    assert category is not None and category.name == "Устный счёт"


def test_a_quiz_keeps_its_settings_slots_marks_and_random_draws(app) -> None:  # type: ignore[no-untyped-def]
    result = _restore(sample().build())
    item = _items(result.course)["Проверочная"]
    quiz = db.session.get(Quiz, item.quiz_id)
    assert quiz is not None
    assert (quiz.time_limit_minutes, quiz.attempts_allowed, quiz.grading_method, quiz.max_grade) == (
        20,
        2,
        "average",
        5,
    )
    assert quiz.opens_at == datetime.fromtimestamp(1789000000, UTC) and quiz.shuffle_answers is True
    slots = list(
        db.session.scalars(select(QuizSlot).where(QuizSlot.quiz_id == quiz.id).order_by(QuizSlot.position))
    )
    names = {q.id: q.name for q in _questions(result.course).values()}
    fixed = [names[s.question_id] for s in slots if s.question_id]
    assert fixed == [
        "Корень",
        "Чётные",
        "Ноль",
        "Термин",
        "Число",
        "Пары",
        "Рассуждение",
        "Пояснение",
        "Пропуски",
    ]
    assert slots[-1].question_id is None and slots[-1].random_count == 2
    assert item.completion == CompletionRule.GRADED
    assert any(r["item"] == "Проверочная" and "Формула" in r["message"] for r in result.report)


def test_the_report_names_what_stayed_behind(app) -> None:  # type: ignore[no-untyped-def]
    report = _restore(sample().build()).report
    by_item: dict[str, list[str]] = {}
    for line in report:
        by_item.setdefault(line["item"], []).append(line["message"])
    assert "Объявления" not in by_item  # the news forum is the course's own news forum
    assert by_item["Вопросы учителю"] == [
        "Now on the course's Forums page; its discussions (users' posts) are not carried over."
    ]
    assert "Activities of the type “lesson” are not supported; left out." in by_item["Урок-лабиринт"]
    assert any("calculated" in m for m in by_item["Формула"])
    assert any("Users" in m for m in by_item["Participants"])
    assert any("access restrictions" in m for m in by_item["Дополнительно"])


def test_forums_become_the_course_forums(app) -> None:  # type: ignore[no-untyped-def]
    course = _restore(sample().build()).course
    forums = place_forums(ForumScope.COURSE, course.id)
    assert [(f.title, f.kind) for f in forums] == [
        ("Новости курса", "news"),
        ("Форум курса", "discussion"),
        ("Вопросы учителю", "discussion"),
    ]
    assert forums[2].description == "Спрашивайте здесь"


def test_a_question_type_we_lack_is_only_reported(app) -> None:  # type: ignore[no-untyped-def]
    mbz = Mbz()
    section = mbz.section("Тема")
    category = mbz.category("Банк")
    drag = mbz.question(category, "ddwtos", "Перетаскивание", "<p>[[1]]</p>")
    mbz.quiz(section, "Тест", [drag])
    result = _restore(mbz.build())
    assert _questions(result.course) == {}
    messages = [r["message"] for r in result.report]
    assert "Questions of the type “ddwtos” are not supported; left out." in messages
    assert db.session.scalar(select(Quiz).where(Quiz.bank_id == result.course.bank_id)) is not None


def test_the_committed_fixture_restores(app) -> None:  # type: ignore[no-untyped-def]
    result = _restore(FIXTURE.read_bytes())
    assert result.course.title == "Основы алгебры" and len(_items(result.course)) == 8


def test_a_resource_with_several_files_keeps_its_main_one(app) -> None:  # type: ignore[no-untyped-def]
    mbz = Mbz()
    section = mbz.section("Тема")
    resource = mbz.activity(section, "resource", {"name": "Презентация", "intro": "<p>К уроку 3</p>"})
    context = int(str(resource["context"]))
    mbz.add_file(context, "mod_resource", "content", "a-картинка.png", PNG)
    mbz.add_file(context, "mod_resource", "content", "урок.pdf", PDF, sortorder=1)
    result = _restore(mbz.build())
    item = _items(result.course)["Презентация"]
    stored = db.session.get(StoredFile, item.file_id)
    assert stored is not None and stored.original_name == "урок.pdf" and item.body == "<p>К уроку 3</p>"
    assert result.report == [
        {"item": "Презентация", "message": "Only its main file is carried over (it had 2)."}
    ]
