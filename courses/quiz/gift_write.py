"""Question bank room, pure core: writing questions as GIFT that `gift_read.parse_gift` reads back
(see its docstring for the format and the round-trip promise)."""

from collections.abc import Iterable
from decimal import Context, Decimal
from fractions import Fraction

from courses.quiz.gift_syntax import BLANK, escape, is_other_number
from courses.quiz.questions import (
    GAP_PLACEHOLDER,
    Answer,
    AnyGap,
    Choice,
    ChoiceGap,
    Cloze,
    Description,
    Essay,
    Matching,
    MultipleChoice,
    Numerical,
    NumericalAnswer,
    NumericalGap,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

_EXACT = Context(prec=1_000)


def export_gift(questions: Iterable[Question]) -> str:
    """GIFT for the questions, with a ``$CATEGORY:`` line wherever the category changes."""
    chunks = []
    category: str | None = None
    for question in questions:
        if question.category != category:
            category = question.category
            chunks.append(f"$CATEGORY: {category}" if category else "$CATEGORY:")
        chunks.append(_write_question(question))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _percent(fraction: Fraction) -> str:
    """A weight as GIFT writes it: exact when it terminates, else to 5 decimals (33.33333)."""
    percent = fraction * 100
    denominator = percent.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator == 1:
        return format(_EXACT.divide(Decimal(percent.numerator), Decimal(percent.denominator)), "f")
    return format(Decimal(round(percent * 10**5)).scaleb(-5), "f")


def _options(question: Question) -> str:
    options = []
    default = "0" if isinstance(question, Description) else "1"
    if str(question.default_mark) != default:
        options.append(f"mark={question.default_mark}")
    if isinstance(question, ShortAnswer) and question.case_sensitive:
        options.append("case_sensitive")
    return f"// vmeste: {', '.join(options)}\n" if options else ""


def _write_question(question: Question) -> str:
    head = f"{_options(question)}::{escape(question.name)}::[{question.text_format}]"
    general = f" ####{escape(question.general_feedback)}" if question.general_feedback else ""
    if isinstance(question, Description):
        return head + escape(question.text)
    if isinstance(question, Cloze):
        pieces = GAP_PLACEHOLDER.split(question.text)
        body = "".join(
            escape(piece) if index % 2 == 0 else write_gap(question.gaps[int(piece) - 1])
            for index, piece in enumerate(pieces)
        )
        return head + body + (f" {{{general.strip()}}}" if general else "")
    block = "{" + _write_block(question) + general + "}"
    before, blank, after = question.text.partition(BLANK)
    if blank and after.strip():
        return head + escape(before) + block + escape(after)
    return f"{head}{escape(question.text)} {block}"


def _write_answer(
    marker: str, fraction: Fraction | None, text: str, feedback: str, *, arrow: bool = False
) -> str:
    weight = "" if fraction is None else f"%{_percent(fraction)}%"
    written = escape(text, answer=True, arrow=arrow)
    return marker + weight + written + (f"#{escape(feedback)}" if feedback else "")


def _write_block(question: Question) -> str:
    if isinstance(question, SingleChoice):
        best = max(question.choices, key=lambda choice: choice.fraction)
        return " ".join(
            _write_answer("=", None if c.fraction == 1 else c.fraction, c.text, c.feedback)
            if c is best
            else _write_answer("~", None if c.fraction == 0 else c.fraction, c.text, c.feedback)
            for c in question.choices
        )
    if isinstance(question, MultipleChoice):
        return " ".join(
            _write_answer("~", None if c.fraction == 0 else c.fraction, c.text, c.feedback)
            for c in question.choices
        )
    if isinstance(question, TrueFalse):
        right, wrong = (question.feedback_true, question.feedback_false)
        if not question.correct:
            right, wrong = wrong, right
        tail = f"#{escape(wrong)}#{escape(right)}" if right else f"#{escape(wrong)}" if wrong else ""
        return ("TRUE" if question.correct else "FALSE") + tail
    if isinstance(question, ShortAnswer):
        return " ".join(
            _write_answer("=", None if a.fraction == 1 else a.fraction, a.text, a.feedback, arrow=True)
            for a in question.answers
        )
    if isinstance(question, Numerical):
        numbers = [_write_number(answer) for answer in question.answers if not is_other_number(answer)]
        others = [f"~#{escape(answer.feedback)}" for answer in question.answers if is_other_number(answer)]
        return "#" + " ".join(numbers + others[-1:])
    if isinstance(question, Matching):
        texts = {item.id: item.text for item in question.right}
        used = {item.right_id for item in question.left}
        pairs = [
            f"={escape(item.text, arrow=True)} -> {escape(texts[item.right_id])}" for item in question.left
        ]
        pairs += [f"= -> {escape(item.text)}" for item in question.right if item.id not in used]
        return " ".join(pairs)
    assert isinstance(question, Essay)
    return ""


def _write_number(answer: NumericalAnswer, *, in_gap: bool = False) -> str:
    weight = "=" if answer.fraction == 1 else ("" if in_gap else "=") + f"%{_percent(answer.fraction)}%"
    feedback = f"#{escape(answer.feedback)}" if answer.feedback else ""
    return f"{weight}{answer.value}:{answer.tolerance}{feedback}"


def write_gap(gap: AnyGap) -> str:
    """A cloze gap in Moodle's embedded-answers code (``{1:SHORTANSWER:=Paris}``), for GIFT and XML."""
    if isinstance(gap, NumericalGap):
        answers = "~".join(_write_number(answer, in_gap=True) for answer in gap.answers)
        return f"{{{gap.weight}:NUMERICAL:{answers}}}"
    items: tuple[Answer | Choice, ...] = gap.choices if isinstance(gap, ChoiceGap) else gap.answers
    answers = "~".join(
        _write_answer("=", None, item.text, item.feedback)
        if item.fraction == 1
        else _write_answer("", item.fraction, item.text, item.feedback)
        for item in items
    )
    name = (
        "MULTICHOICE"
        if isinstance(gap, ChoiceGap)
        else "SHORTANSWER_C"
        if gap.case_sensitive
        else "SHORTANSWER"
    )
    return f"{{{gap.weight}:{name}:{answers}}}"
