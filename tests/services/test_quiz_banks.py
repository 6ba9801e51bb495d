"""Quiz engine services for a bank: GIFT import and export, categories, questions, quizzes and slots."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain_errors import Conflict, Invalid
from app.extensions import db
from courses.quiz import questions
from courses.quiz.attempts import (
    attempt_items,
    finish_attempt,
    start_attempt,
)
from courses.quiz.bank_gift import export_gift, import_gift
from courses.quiz.bank_questions import (
    delete_question,
    duplicate_question,
    load_question,
    move_question,
    save_question,
)
from courses.quiz.banks import category_paths, create_category, delete_category
from courses.quiz.models import Question
from courses.quiz.quizzes import (
    add_questions,
    add_random_slot,
    create_quiz,
    move_slot,
    quiz_slots,
    remove_slot,
)
from tests.factories.accounts import student
from tests.factories.quiz import ALL_TYPES_GIFT, bank_with_all_types, make_bank, make_quiz, quiz_owner  # noqa: F401

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("quiz_owner")


def test_import_gift_creates_every_type_in_its_category() -> None:
    bank, rows = bank_with_all_types()
    assert set(rows) == {
        "single",
        "multiple",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "essay",
        "cloze",
        "description",
    }
    paths = category_paths(bank.id)
    assert list(paths.values()) == ["Основы"]
    assert all(row.category_id == next(iter(paths)) for row in rows.values())


def test_import_gift_reports_each_bad_question_with_its_line_and_imports_nothing() -> None:
    bank = make_bank()
    text = (
        "::Хорошо::2+2? {=4 ~5}\n\n"
        "::Скобка::Незакрытая {=да ~нет\n\n"
        "::Пары::Соотнесите {=один -> 1 =два}\n\n"
        "::Пусто::Пустой список {~}\n\n"
        "::Число::Сколько? {#три}\n"
    )
    report = import_gift(bank, text, actor=None)
    lines = [line for line, _message in report.errors]
    assert lines == [3, 5, 7, 9]
    assert report.imported == []
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
    messages = " ".join(message for _line, message in report.errors)
    assert "не закрыт" in messages or "not closed" in messages


def test_import_gift_valid_only_imports_the_good_ones() -> None:
    bank = make_bank()
    report = import_gift(bank, "::A::2+2? {=4 ~5}\n\n::B::broken {=x\n", actor=None, valid_only=True)
    assert [q.name for q in report.imported] == ["A"]
    assert report.errors and report.errors[0][0] == 3


def test_import_gift_empty_text_is_an_error() -> None:
    report = import_gift(make_bank(), "  \n// nothing\n", actor=None)
    assert report.errors and not report.imported


def test_export_then_import_gives_the_same_questions() -> None:
    bank, rows = bank_with_all_types()
    text = export_gift(bank)
    other = make_bank("Другой", owner_id=2)
    report = import_gift(other, text, actor=None)
    assert not report.errors
    before = sorted((load_question(r) for r in rows.values()), key=lambda q: q.name)
    after = sorted((load_question(r) for r in report.imported), key=lambda q: q.name)
    assert before == after
    assert list(category_paths(other.id).values()) == ["Основы"]


def test_categories_nest_and_refuse_duplicates_and_busy_deletes() -> None:
    bank = make_bank()
    parent = create_category(bank, "Алгебра", actor=None)
    child = create_category(bank, "Линейные", parent_id=parent.id, actor=None)
    assert category_paths(bank.id)[child.id] == "Алгебра/Линейные"
    with pytest.raises(Invalid):
        create_category(bank, "Алгебра", actor=None)
    with pytest.raises(Invalid):
        create_category(bank, "   ", actor=None)
    with pytest.raises(Conflict):
        delete_category(parent, actor=None)
    delete_category(child, actor=None)
    delete_category(parent, actor=None)
    assert category_paths(bank.id) == {}


def test_edit_duplicate_move_delete_question() -> None:
    bank, rows = bank_with_all_types()
    row = rows["single"]
    edited = questions.SingleChoice(
        name="Столица",
        text="Новая формулировка",
        choices=(questions.Choice(1, "Москва", questions.Fraction(1)), questions.Choice(2, "Тверь")),
    )
    save_question(bank, edited, category_id=None, actor=None, row=row)
    assert row.version == 2 and load_question(row).text == "Новая формулировка"
    with pytest.raises(Invalid):
        save_question(bank, questions.Essay(name="x", text="y"), category_id=None, actor=None, row=row)
    copy = duplicate_question(row, actor=None)
    assert copy.id != row.id and copy.name.startswith("Столица")
    category = create_category(bank, "Новая", actor=None)
    move_question(copy, category.id, actor=None)
    assert copy.category_id == category.id
    delete_question(copy, actor=None)
    assert db.session.get(Question, copy.id) is None


def test_delete_question_in_quiz_is_refused_and_used_one_is_hidden() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["single"]])
    with pytest.raises(Conflict):
        delete_question(rows["single"], actor=None)
    attempt = start_attempt(quiz, student(), NOW)
    assert attempt.id
    slot = quiz_slots(quiz)[0]
    finish_attempt(attempt, NOW)
    db.session.delete(slot)
    db.session.commit()
    delete_question(rows["single"], actor=None)
    assert db.session.get(Question, rows["single"].id).hidden is True


def test_create_quiz_validates_settings() -> None:
    bank, rows = bank_with_all_types()
    with pytest.raises(Invalid) as error:
        make_quiz(bank, [rows["single"]], title=" ")
    assert "title" in error.value.fields
    with pytest.raises(Invalid) as error:
        make_quiz(bank, [rows["single"]], opens_at=NOW, closes_at=NOW)
    assert "closes_at" in error.value.fields
    with pytest.raises(Invalid):
        make_quiz(bank, [rows["single"]], time_limit_minutes=0)
    with pytest.raises(Invalid):
        make_quiz(bank, [rows["single"]], grading_method="best")
    with pytest.raises(Invalid):
        make_quiz(bank, [rows["single"]], max_grade=Decimal("0"))
    with pytest.raises(Invalid):
        make_quiz(bank, [rows["single"], rows["single"]])
    other, other_rows = bank_with_all_types()
    with pytest.raises(Invalid):
        make_quiz(bank, [other_rows["single"]])


def test_random_slot_draws_from_its_category_per_attempt() -> None:
    bank = make_bank()
    text = "$CATEGORY: Пул\n\n" + "\n\n".join(f"::Q{i}::{i}+1? {{={i + 1} ~0}}" for i in range(6))
    report = import_gift(bank, text, actor=None)
    category_id = report.imported[0].category_id
    quiz = create_quiz(bank, title="Случайный", question_ids=[], attempts_allowed=None, actor=None)
    with pytest.raises(Invalid):
        add_random_slot(quiz, category_id, 7, actor=None)
    add_random_slot(quiz, category_id, 3, actor=None)
    draws = set()
    for _ in range(6):
        attempt = start_attempt(quiz, student(), NOW)
        ids = tuple(item.row.id for item in attempt_items(attempt, quiz))
        assert len(ids) == len(set(ids)) == 3
        draws.add(ids)
    assert len(draws) > 1
    with pytest.raises(Conflict):
        add_random_slot(quiz, category_id, 1, actor=None)


def test_slots_reorder_and_remove_before_attempts() -> None:
    bank, rows = bank_with_all_types()
    quiz = make_quiz(bank, [rows["single"], rows["truefalse"]])
    add_questions(quiz, [rows["numerical"].id, rows["single"].id], actor=None)
    slots = quiz_slots(quiz)
    assert [s.question_id for s in slots] == [rows["single"].id, rows["truefalse"].id, rows["numerical"].id]
    move_slot(slots[2], -1, actor=None)
    assert [s.question_id for s in quiz_slots(quiz)][1] == rows["numerical"].id
    remove_slot(quiz_slots(quiz)[0], actor=None)
    assert [s.position for s in quiz_slots(quiz)] == [1, 2]


def test_all_types_gift_constant_is_readable() -> None:
    assert "$CATEGORY" in ALL_TYPES_GIFT
