"""GIFT reading: every construct, and a clear error (line, code, culprit) per unreadable question."""

from decimal import Decimal
from fractions import Fraction

import pytest

from courses.quiz.gift_read import GiftError, parse_gift
from courses.quiz.gift_syntax import GiftCode
from courses.quiz.questions import (
    Answer,
    Choice,
    ChoiceGap,
    Cloze,
    Description,
    Essay,
    LeftItem,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    NumericalGap,
    RightItem,
    ShortAnswer,
    ShortAnswerGap,
    SingleChoice,
    TrueFalse,
)

F = Fraction
D = Decimal

#: One file with every construct the importer knows; the round trip test runs over it.
EVERY_CONSTRUCT = r"""// Экспорт из Moodle: строки комментариев пропускаются
$CATEGORY: $course$/top/Математика

::Столица::[markdown]Какой город — **столица** России? {
  =Москва#Верно!
  ~Санкт-Петербург#Бывшая столица
  ~%-50%Тверь#Штраф за догадку
  ####Москва — столица с 1918 года.
}

::Простые числа::[html]<p>Отметьте простые числа</p> {~%50%2 ~%50%3 ~%-100%4 ~%33.33333%1#Не простое}

::Земля::Земля круглая. {T}

::Луна::[plain]Луна — звезда. {FALSE#Нет, это спутник.#Верно, не звезда.####Луна — спутник Земли.}

::Истина::2+2\=4 {TRUE#Неверно#Верно}

::Ложь::2+2\=5 {F}

::Экранирование \: знаки::Знаки \~ \= \# \{ \} \: и косая \\ и перенос\nстроки. {=a\=b#отзыв \# решётка ~c\~d ~e \-> f ~\%50\% g}

::Город:: Назовите столицу Франции. {=Париж =%50%Пари* =%-25%Лондон#Это Англия}

Пушкин родился в {=Москве =%50%Моск*} в 1799 году.

::Пи::Число π с точностью до 0,01? {#3.14:0.01}

::Диапазон::Число от 2 до 5. {#2..5#Любое подходит}

::Несколько::Сколько будет 7/2? {#
  =%100%3.5:0.1#Точно
  =%50%3:1#Около
}

::Запятая::Половина? {#0,5:0,01}

::Соответствие::Соедините страну и столицу. {
  =Франция -> Париж
  =Италия -> Рим
  // комментарий внутри вопроса
  =Ватикан -> Рим
  = -> Берлин
}

::Эссе::[markdown]Напишите эссе о лете. {}

::Эссе с отзывом::Опишите свой опыт. {####Проверит тьютор}

::Инструкция::Прочитайте внимательно\: вопросы ниже.

// vmeste: mark=2.5, case_sensitive
::Регистр::Формула воды? {=H2O}

::Многострочный::Первая строка
вторая строка {=ответ}

$CATEGORY: $course$/top/Физика/Механика

::Клоуз::Скорость света {1:NUMERICAL:=300000:1000#Да~%50%3e5:50000}, формула {2:SAC:=E\=mc^2#Эйнштейн},
цвет неба {1:MC:~зелёный#нет~=синий}, город {1:SA:=Москва~%50%Моск*} и {3:NM:=4:0.5}, {1:MCV:=да~нет}.
{####Общий отзыв}

$CATEGORY:

::Без категории::Вопрос без категории {=да}
"""  # noqa: E501 - GIFT lines are data


def _questions(text):
    result = parse_gift(text)
    assert result.errors == []
    return [question for question, _ in result.questions]


def test_every_construct_is_read_without_errors():
    result = parse_gift(EVERY_CONSTRUCT)
    assert result.errors == []
    types = [question.type for question, _ in result.questions]
    assert types == [
        "single",
        "multiple",
        "truefalse",
        "truefalse",
        "truefalse",
        "truefalse",
        "single",
        "shortanswer",
        "shortanswer",
        "numerical",
        "numerical",
        "numerical",
        "numerical",
        "matching",
        "essay",
        "essay",
        "description",
        "shortanswer",
        "shortanswer",
        "cloze",
        "shortanswer",
    ]
    assert [line for _, line in result.questions][:3] == [4, 11, 13]
    categories = [question.category for question, _ in result.questions]
    assert categories[0] == categories[-3] == "Математика"
    assert categories[-2:] == ["Физика/Механика", None]


def _one(text):
    (question,) = _questions(text)
    return question


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "::T:: Земля круглая {T}",
            TrueFalse(name="T", text="Земля круглая", correct=True),
        ),
        (
            "::T:: Луна звезда {FALSE#неверно#верно####общий}",
            TrueFalse(
                name="T",
                text="Луна звезда",
                correct=False,
                feedback_true="неверно",
                feedback_false="верно",
                general_feedback="общий",
            ),
        ),
        (
            "::T:: Верно? {TRUE#нет}",
            TrueFalse(name="T", text="Верно?", correct=True, feedback_false="нет"),
        ),
        (
            "::S:: Q {=a ~%50%b ~c}",
            SingleChoice(
                name="S", text="Q", choices=(Choice(1, "a", F(1)), Choice(2, "b", F(1, 2)), Choice(3, "c"))
            ),
        ),
        (
            "::S:: Q {=a =b ~c}",
            SingleChoice(
                name="S", text="Q", choices=(Choice(1, "a", F(1)), Choice(2, "b", F(1)), Choice(3, "c"))
            ),
        ),
        (
            "::M:: Q {~%100%a ~b}",
            MultipleChoice(name="M", text="Q", choices=(Choice(1, "a", F(1)), Choice(2, "b"))),
        ),
        (
            "::M:: Q {~%33.33333%a ~%66.66667%b ~%33.3333%c ~%12,5%d}",
            MultipleChoice(
                name="M",
                text="Q",
                choices=(
                    Choice(1, "a", F(1, 3)),
                    Choice(2, "b", F(2, 3)),
                    Choice(3, "c", F(333333, 1000000)),
                    Choice(4, "d", F(1, 8)),
                ),
            ),
        ),
        (
            "::SA:: Q {=%50%Мос*#почти =Москва}",
            ShortAnswer(name="SA", text="Q", answers=(Answer("Мос*", F(1, 2), "почти"), Answer("Москва"))),
        ),
        (
            "Столица {=Москва} России.",
            ShortAnswer(
                name="Столица _____ России.", text="Столица _____ России.", answers=(Answer("Москва"),)
            ),
        ),
        (
            "{=Москва} — столица России.",
            ShortAnswer(
                name="_____ — столица России.", text="_____ — столица России.", answers=(Answer("Москва"),)
            ),
        ),
        (
            "::N:: Q {#-5..-2}",
            Numerical(name="N", text="Q", answers=(NumericalAnswer(D("-3.5"), D("1.5")),)),
        ),
        (
            "::N:: Q {#3.5#ok}",
            Numerical(name="N", text="Q", answers=(NumericalAnswer(D("3.5"), D(0), F(1), "ok"),)),
        ),
        (
            "::N:: Q {#=3,5:0,1 =%-50%4:0}",
            Numerical(
                name="N",
                text="Q",
                answers=(NumericalAnswer(D("3.5"), D("0.1")), NumericalAnswer(D(4), D(0), F(-1, 2))),
            ),
        ),
        (
            "::Mt:: Q {=a -> x =b -> y =c -> x = -> z = -> y}",
            Matching(
                name="Mt",
                text="Q",
                left=(LeftItem(1, "a", 1), LeftItem(2, "b", 2), LeftItem(3, "c", 1)),
                right=(RightItem(1, "x"), RightItem(2, "y"), RightItem(3, "z")),
            ),
        ),
        (
            "::E:: Q {}",
            Essay(name="E", text="Q"),
        ),
        (
            "::D::[html]<b>Only</b> text",
            Description(name="D", text="<b>Only</b> text", text_format="html"),
        ),
        (
            "[html]<p>Очень длинный текст вопроса без заголовка, длиннее сорока знаков</p>{}",
            Essay(
                name="Очень длинный текст вопроса без заголовк",
                text="<p>Очень длинный текст вопроса без заголовка, длиннее сорока знаков</p>",
                text_format="html",
            ),
        ),
        (
            "[html]<img src='a.png'>{}",
            Essay(name="<img src='a.png'>", text="<img src='a.png'>", text_format="html"),
        ),
        (
            "::C:: {:SA:=a}{2:MCH:%50%x#fx~=y~z}{1:NM:=1:0~%50%2:0.5#near}",
            Cloze(
                name="C",
                text="{#1}{#2}{#3}",
                gaps=(
                    ShortAnswerGap(number=1, answers=(Answer("a"),)),
                    ChoiceGap(
                        number=2,
                        weight=2,
                        choices=(Choice(1, "x", F(1, 2), "fx"), Choice(2, "y", F(1)), Choice(3, "z")),
                    ),
                    NumericalGap(
                        number=3,
                        answers=(NumericalAnswer(D(1)), NumericalAnswer(D(2), D("0.5"), F(1, 2), "near")),
                    ),
                ),
            ),
        ),
        (
            "// vmeste: mark=3 case_sensitive\n::T:: Q {T}",
            TrueFalse(name="T", text="Q", correct=True, default_mark=D(3)),
        ),
        (
            "// vmeste: mark=0.5\n::D:: Text only",
            Description(name="D", text="Text only", default_mark=D("0.5")),
        ),
        (
            "$CATEGORY: Алгебра\n// note\n::E:: Q {}",
            Essay(name="E", text="Q", category="Алгебра"),
        ),
    ],
    ids=lambda value: value.split("\n")[-1][:30] if isinstance(value, str) else "",
)
def test_parse_reads_each_construct(source, expected):
    assert _one(source) == expected


def test_parse_accepts_windows_line_ends_and_a_byte_order_mark():
    result = parse_gift("\ufeff::A:: Q {T}\r\n\r\n::B:: Q {F}\r")
    assert [(question.name, line) for question, line in result.questions] == [("A", 1), ("B", 3)]


def test_a_separate_options_comment_does_not_leak_to_the_next_question():
    assert _one("// vmeste: mark=5\n\n::E:: Q {}").default_mark == 1


@pytest.mark.parametrize(
    ("source", "line", "code", "snippet"),
    [
        ("::Q:: Текст {=a ~b", 1, GiftCode.UNCLOSED_BRACE, ""),
        ("::Q:: Текст\nещё строка {=a ~b\n~c", 2, GiftCode.UNCLOSED_BRACE, ""),
        ("::Q:: Текст {=}", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {~}", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {~a ~#feedback only}", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {#abc}", 1, GiftCode.NOT_A_NUMBER, "abc"),
        ("::Q:: Текст {#3:x}", 1, GiftCode.NOT_A_NUMBER, "x"),
        ("::Q:: Текст {#=1..y}", 1, GiftCode.NOT_A_NUMBER, "y"),
        ("::Q:: Текст {#}", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {#=%50%}", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {#1 -> 2}", 1, GiftCode.NOT_A_NUMBER, "1 -> 2"),
        ("::Q::", 1, GiftCode.NOTHING, ""),
        ("::Q::[html]", 1, GiftCode.NOTHING, ""),
        ("::Q:: {=a}", 1, GiftCode.NO_TEXT, ""),
        ("{}", 1, GiftCode.NO_TEXT, ""),
        ("::Q:: Текст {=a} и ещё {=b}", 1, GiftCode.TWO_BLOCKS, ""),
        ("::Q:: Текст } {=a}", 1, GiftCode.UNOPENED_BRACE, ""),
        ("::Q:: Текст {=a {=b}}", 1, GiftCode.NESTED_BRACE, ""),
        ("::Q Текст {=a}", 1, GiftCode.UNCLOSED_TITLE, ""),
        ("::Q:: Текст {#5..2}", 1, GiftCode.BAD_RANGE, "5..2"),
        ("::Q:: Текст {#5:-1}", 1, GiftCode.NEGATIVE_TOLERANCE, "5:-1"),
        ("::Q:: Текст {~%150%a ~b}", 1, GiftCode.WEIGHT, "%150%"),
        ("::Q:: Текст {~a}", 1, GiftCode.FEW_CHOICES, ""),
        ("::Q:: Текст {~a ~b}", 1, GiftCode.NO_CORRECT, ""),
        ("::Q:: Текст {=%0%a}", 1, GiftCode.NO_CORRECT, ""),
        ("::Q:: Текст {#=%-50%3}", 1, GiftCode.NO_CORRECT, ""),
        ("::Q:: Текст {x =a -> 1 =b -> 2}", 1, GiftCode.NO_ARROW, "x"),
        ("::Q:: Текст {=a -> 1 =b}", 1, GiftCode.NO_ARROW, "b"),
        ("::Q:: Текст {=a -> 1 =b -> }", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {=a -> 1 = -> 2}", 1, GiftCode.FEW_PAIRS, ""),
        ("::Q:: Текст {1:ESSAY:=a}", 1, GiftCode.UNKNOWN_GAP, "ESSAY"),
        ("::Q:: Текст {1:MULTIRESPONSE:~=a~=b}", 1, GiftCode.UNKNOWN_GAP, "MULTIRESPONSE"),
        ("::Q:: Текст {0:SA:=a}", 1, GiftCode.GAP_WEIGHT, "0"),
        ("::Q:: Текст {1:SA:}", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {1:SA:=a~=}", 1, GiftCode.EMPTY_ANSWER, ""),
        ("::Q:: Текст {1:SA:%0%a}", 1, GiftCode.NO_CORRECT, ""),
        ("::Q:: Текст {1:MC:=a}", 1, GiftCode.FEW_CHOICES, ""),
        ("::Q:: Текст {1:NM:=four}", 1, GiftCode.NOT_A_NUMBER, "four"),
        ("::Q:: Текст {1:SA:=a} и {=b}", 1, GiftCode.CLOZE_MIXED, ""),
        ("::Q:: Текст {1:SA:=a} {####a} {####b}", 1, GiftCode.CLOZE_MIXED, ""),
        ("::Q:: Текст {1:SA:=a} {}", 1, GiftCode.CLOZE_MIXED, ""),
        ("::Q:: Текст \\{#1\\} {1:SA:=a}", 1, GiftCode.PLACEHOLDER, ""),
        ("// vmeste: colour=red\n::Q:: Текст {}", 2, GiftCode.BAD_OPTION, "colour=red"),
        ("// vmeste: mark=lots\n::Q:: Текст {}", 2, GiftCode.BAD_OPTION, "lots"),
        ("// vmeste: mark=-1\n::Q:: Текст {}", 2, GiftCode.INVALID, "a mark cannot be negative"),
    ],
)
def test_each_unreadable_question_gets_its_line_and_a_clear_message(source, line, code, snippet):
    result = parse_gift(source)
    assert result.questions == []
    assert result.errors == [GiftError(line, code, snippet)]


def test_errors_do_not_stop_the_questions_around_them():
    source = "::A:: Q {T}\n\n// bad one below\n::B:: Q {=a\n\n\n::C:: Q {F}\n\n::D:: Q {#x}\n"
    result = parse_gift(source)
    assert [(question.name, line) for question, line in result.questions] == [("A", 1), ("C", 7)]
    assert result.errors == [
        GiftError(4, GiftCode.UNCLOSED_BRACE),
        GiftError(9, GiftCode.NOT_A_NUMBER, "x"),
    ]


def test_case_sensitive_option_is_ignored_for_other_types():
    assert _one("// vmeste: case_sensitive\n::E:: Q {}") == Essay(name="E", text="Q")
