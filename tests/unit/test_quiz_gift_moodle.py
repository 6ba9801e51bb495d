"""GIFT read as Moodle's parser reads it (issue 15): `->` inside choices, short answers without `=`,
numerical `~#` feedback, CRLF and a BOM, a missing blank line found and reported; the two fixture
files counted question by question, and their round trips."""

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from courses.quiz.gift_read import GiftError, parse_gift
from courses.quiz.gift_syntax import GiftCode, is_other_number, other_number
from courses.quiz.gift_write import export_gift
from courses.quiz.questions import (
    Answer,
    Choice,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    ShortAnswer,
    SingleChoice,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "questions"
F, D = Fraction, Decimal


def _text(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def _questions(text: str) -> list:
    result = parse_gift(text)
    assert result.errors == []
    return [question for question, _line in result.questions]


def test_the_russian_bank_imports_every_question_it_holds() -> None:
    text = _text("russian_bank.gift.txt")
    assert text.startswith("\ufeff") and "\r\n" in text  # saved by Windows Notepad
    in_file = sum(1 for line in text.splitlines() if line.startswith("::"))
    result = parse_gift(text)
    assert in_file == 53
    assert len(result.questions) == 53 and result.errors == []
    assert Counter(question.type for question, _line in result.questions) == {
        "single": 12,
        "numerical": 11,
        "shortanswer": 8,
        "truefalse": 8,
        "multiple": 5,
        "matching": 5,
        "essay": 3,
        "description": 1,
    }
    assert result.warnings == [GiftError(109, GiftCode.MISSING_BLANK_LINE)]
    lines = {question.name: line for question, line in result.questions}
    assert lines["Рус-10 Пропуск"] == 108 and lines["Рус-11 Склеенный"] == 109
    categories = {question.category for question, _line in result.questions}
    assert categories == {"Информатика", "Математика", "Русский язык", "История", "География"}


def test_the_russian_bank_keeps_arrows_short_answers_and_any_other_number() -> None:
    by_name = {question.name: question for question in _questions(_text("russian_bank.gift.txt"))}
    saving = by_name["Инф-01 Сохранение"]
    assert isinstance(saving, SingleChoice) and saving.choices[0] == Choice(1, "Файл -> Сохранить", F(1))
    assert by_name["Инф-04 Бит"] == ShortAnswer(
        name="Инф-04 Бит", text="Сколько бит в одном байте?", category="Информатика", answers=(Answer("8"),)
    )
    assert [a.text for a in by_name["Инф-05 Расширение"].answers] == ["docx", "doc"]
    kilobyte = by_name["Инф-06 Килобайт"]
    assert isinstance(kilobyte, Numerical) and kilobyte.answers == (
        NumericalAnswer(D(1024)),
        other_number("Вспомните степени двойки: 2 в десятой степени."),
    )
    euler = by_name["Мат-05 Год"]
    assert [is_other_number(answer) for answer in euler.answers] == [False, False, True]
    assert isinstance(by_name["Ист-08 Хронология"], SingleChoice)
    assert by_name["Мат-11 Дробь"].answers == (Answer("0,5"), Answer("0.5"))


def test_moodles_own_cases_import_nine_of_nine() -> None:
    text = _text("moodle_cases.gift.txt")
    result = parse_gift(text)
    in_file = sum(1 for line in text.splitlines() if line.startswith("::"))
    assert in_file == len(result.questions) == 9 and result.errors == [] and result.warnings == []
    by_name = {question.name: question for question, _line in result.questions}
    matching = by_name["Элементы курса"]
    assert isinstance(matching, Matching) and matching.text_format == "html"
    assert matching.left[0].text == "Обсуждения, в которых пишут в разное время."  # [html] dropped
    assert [item.text for item in matching.right][-1] == "Чат"
    assert by_name["М2"].choices[2] == Choice(3, "синий", F(0), "нет, это жёлтый")
    assert isinstance(by_name["цвета"], MultipleChoice)
    number = by_name["М5"]
    assert number.answers == (NumericalAnswer(D(3), D(2)), other_number("Совсем не то"))
    assert by_name["Краткий ответ"].answers[-1] == Answer("*", F(0), "Совсем не то")
    assert by_name["М1"].general_feedback == "Это, конечно, отсылка к «Автостопом по Галактике»."


@pytest.mark.parametrize("name", ["russian_bank.gift.txt", "moodle_cases.gift.txt"])
def test_fixture_round_trips_gift_to_model_to_gift(name: str) -> None:
    questions = _questions(_text(name))
    exported = export_gift(questions)
    assert _questions(exported) == questions
    assert export_gift(_questions(exported)) == exported


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("::Q:: Текст {Париж}", ShortAnswer(name="Q", text="Текст", answers=(Answer("Париж"),))),
        (
            "::Q:: Текст {Париж =%50%Paris}",
            ShortAnswer(name="Q", text="Текст", answers=(Answer("Париж"), Answer("Paris", F(1, 2)))),
        ),
        ("::Q:: Текст {true}", ShortAnswer(name="Q", text="Текст", answers=(Answer("true"),))),
        ("::Q:: Текст {a -> b}", ShortAnswer(name="Q", text="Текст", answers=(Answer("a -> b"),))),
        (
            "::Q:: Текст {~a -> b =c}",
            SingleChoice(name="Q", text="Текст", choices=(Choice(1, "a -> b"), Choice(2, "c", F(1)))),
        ),
        (
            "::Q:: Текст {x ~a =b}",
            SingleChoice(
                name="Q", text="Текст", choices=(Choice(1, "x"), Choice(2, "a"), Choice(3, "b", F(1)))
            ),
        ),
        (
            "::Q:: Текст {#3 =%50%4}",
            Numerical(
                name="Q", text="Текст", answers=(NumericalAnswer(D(3)), NumericalAnswer(D(4), D(0), F(1, 2)))
            ),
        ),
        (
            "::Q:: Текст {#2:1 ~#Нет}",
            Numerical(name="Q", text="Текст", answers=(NumericalAnswer(D(2), D(1)), other_number("Нет"))),
        ),
    ],
)
def test_blocks_read_as_moodle_reads_them(source: str, expected: object) -> None:
    assert _questions(source) == [expected]


@pytest.mark.parametrize(
    ("source", "names", "warning_lines"),
    [
        ("::A:: Q {=a ~b}\n::B:: R {T}", ["A", "B"], [2]),
        ("::A:: Q {=a ~b}\nВторой вопрос {=c ~d}\n::C:: {T} x", ["A", "Второй вопрос", "C"], [2, 3]),
        ("::A:: Q {\n=a\n~b\n}\n::B:: Описание", ["A", "B"], [5]),
        ("::A:: Столица {=Москва ~Тверь}\nРоссии.", ["A"], []),  # a missing-word text goes on
        ("::C:: Один {1:SA:=a}\nдва {1:SA:=b}", ["C"], []),  # a cloze question spans lines
        ("::C:: Один {1:SA:=a}\n::D:: Q {T}", ["C", "D"], [2]),
    ],
)
def test_a_missing_blank_line_is_reported_and_both_questions_kept(
    source: str, names: list[str], warning_lines: list[int]
) -> None:
    result = parse_gift(source)
    assert result.errors == []
    assert [question.name for question, _line in result.questions] == names
    assert [warning.line for warning in result.warnings] == warning_lines
    assert {warning.code for warning in result.warnings} <= {GiftCode.MISSING_BLANK_LINE}


def test_a_category_line_glued_to_a_question_still_applies() -> None:
    result = parse_gift("::A:: Q {T}\n$CATEGORY: $course$/top/Алгебра\n::B:: R {F}")
    assert [(q.name, q.category) for q, _line in result.questions] == [("A", None), ("B", "Алгебра")]
    assert result.warnings == [GiftError(2, GiftCode.MISSING_BLANK_LINE)]


def test_an_error_after_a_missing_blank_line_names_its_own_line() -> None:
    result = parse_gift("::A:: Q {=a ~b}\n::B:: R {#x}\n\n::C:: S {F}")
    assert [question.name for question, _line in result.questions] == ["A", "C"]
    assert result.errors == [GiftError(2, GiftCode.NOT_A_NUMBER, "x")]
    assert result.warnings == [GiftError(2, GiftCode.MISSING_BLANK_LINE)]


def test_writer_leaves_arrows_in_choices_bare_for_moodle() -> None:
    question = SingleChoice(
        name="Q", text="Меню", choices=(Choice(1, "Файл -> Сохранить", F(1)), Choice(2, "Вид"))
    )
    exported = export_gift([question])
    assert "=Файл -> Сохранить" in exported and "\\->" not in exported
    short = ShortAnswer(name="S", text="Путь", answers=(Answer("Файл -> Печать"),))
    assert "=Файл \\-> Печать" in export_gift([short])  # else Moodle would read a matching pair
    assert _questions(export_gift([question, short])) == [question, short]
