"""Forms of the quiz pages, the question editor: a form per question type, and the two directions
between a form and a pure question (`form_data` fills it, `build_question` reads it back or puts the
reason on the form). Forms check shape; the pure question classes and the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms_common import MarkdownField
from app.forms_common import select_options as options
from app.i18n import _
from app.i18n import lazy_ as _l
from courses.quiz import gift_read, gift_write, questions
from courses.quiz.gift_syntax import escape
from courses.quiz.grading import parse_number
from courses.quiz.messages import gift_text

FORMAT_PAIRS = [("markdown", "Markdown"), ("plain", _l("Plain text")), ("html", "HTML"), ("moodle", "Moodle")]
BLANK_ROWS = 3


class ChoiceEntry(Form):
    id = HiddenField()
    text = StringField(_l("Answer"), validators=[Optional(), Length(max=2000)])
    fraction = DecimalField(
        _l("Grade in percent"),
        places=None,
        default=Decimal(0),
        validators=[Optional(), NumberRange(min=-100, max=100)],
    )
    feedback = StringField(_l("Feedback"), validators=[Optional(), Length(max=2000)])


class AnswerEntry(Form):
    text = StringField(_l("Answer"), validators=[Optional(), Length(max=1000)])
    fraction = DecimalField(
        _l("Grade in percent"),
        places=None,
        default=Decimal(100),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    feedback = StringField(_l("Feedback"), validators=[Optional(), Length(max=2000)])


class NumberEntry(Form):
    value = StringField(_l("Answer"), validators=[Optional(), Length(max=50)])
    tolerance = StringField(_l("Tolerance ±"), validators=[Optional(), Length(max=50)])
    fraction = DecimalField(
        _l("Grade in percent"),
        places=None,
        default=Decimal(100),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    feedback = StringField(_l("Feedback"), validators=[Optional(), Length(max=2000)])


class PairEntry(Form):
    id = HiddenField()
    left = StringField(_l("Item"), validators=[Optional(), Length(max=1000)])
    right = StringField(_l("Matches"), validators=[Optional(), Length(max=1000)])


class QuestionForm(FlaskForm):
    """What every question has; the type's own parts are in the subclasses below."""

    name = StringField(_l("Question name"), validators=[DataRequired(), Length(max=255)])
    text = MarkdownField(
        _l("Question text"), validators=[DataRequired(), Length(max=50_000)], render_kw={"rows": 5}
    )
    text_format = SelectField(_l("Text format"), choices=options(FORMAT_PAIRS), default="markdown")
    category_id = SelectField(_l("Category"), coerce=int, default=0)
    default_mark = DecimalField(
        _l("Default mark"),
        places=None,
        default=Decimal(1),
        validators=[InputRequired(), NumberRange(min=0, max=1000)],
    )
    general_feedback = MarkdownField(_l("General feedback"), validators=[Optional(), Length(max=10_000)])


class ChoiceQuestionForm(QuestionForm):
    choices = FieldList(FormField(ChoiceEntry), min_entries=4)


class TrueFalseForm(QuestionForm):
    correct = SelectField(
        _l("Correct answer"), choices=options([("true", _l("True")), ("false", _l("False"))])
    )
    feedback_true = StringField(
        _l("Feedback for the answer “true”"), validators=[Optional(), Length(max=2000)]
    )
    feedback_false = StringField(
        _l("Feedback for the answer “false”"), validators=[Optional(), Length(max=2000)]
    )


class ShortAnswerForm(QuestionForm):
    case_sensitive = BooleanField(_l("Case matters"))
    answers = FieldList(FormField(AnswerEntry), min_entries=3)


class NumericalForm(QuestionForm):
    answers = FieldList(FormField(NumberEntry), min_entries=3)


class MatchingForm(QuestionForm):
    pairs = FieldList(FormField(PairEntry), min_entries=4)
    distractors = TextAreaField(
        _l("Extra wrong answers (one per line)"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )


class ClozeForm(QuestionForm):
    text = TextAreaField(
        _l("Question text with embedded answers"),
        validators=[DataRequired(), Length(max=50_000)],
        description=_l(
            "Gaps in Moodle's syntax: {1:SHORTANSWER:=Paris~%50%paris}, {1:NUMERICAL:=3.5:0.1}, "
            "{1:MULTICHOICE:~red~=blue}. Escape other braces with a backslash."
        ),
        render_kw={"rows": 6},
    )


FORMS: dict[str, type[QuestionForm]] = {
    "single": ChoiceQuestionForm,
    "multiple": ChoiceQuestionForm,
    "truefalse": TrueFalseForm,
    "shortanswer": ShortAnswerForm,
    "numerical": NumericalForm,
    "matching": MatchingForm,
    "essay": QuestionForm,
    "cloze": ClozeForm,
    "description": QuestionForm,
}


def _percent(fraction: Fraction) -> Decimal:
    """A fraction as the percent the form shows: «100», «33.33333», never «1E+2» (normalize alone
    turns 100 into an exponent, which the field would print as is)."""
    exact = (Decimal(fraction.numerator) * 100 / Decimal(fraction.denominator)).quantize(Decimal("0.00001"))
    return plain_decimal(exact)


def plain_decimal(value: Decimal) -> Decimal:
    """The value without trailing zeros and without an exponent (100.0000000 → 100, 2.50 → 2.5)."""
    exact = value.normalize()
    return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact


def _fraction(percent: Decimal | None) -> Fraction:
    return Fraction(percent or 0) / 100


def form_data(question: questions.Question) -> dict[str, Any]:
    """A stored question as the form's initial data."""
    data: dict[str, Any] = {
        "name": question.name,
        "text": question.text,
        "text_format": question.text_format,
        "default_mark": plain_decimal(Decimal(question.default_mark)),
        "general_feedback": question.general_feedback,
    }
    if isinstance(question, questions.SingleChoice | questions.MultipleChoice):
        data["choices"] = [
            {"id": str(c.id), "text": c.text, "fraction": _percent(c.fraction), "feedback": c.feedback}
            for c in question.choices
        ]
    elif isinstance(question, questions.TrueFalse):
        data.update(
            correct="true" if question.correct else "false",
            feedback_true=question.feedback_true,
            feedback_false=question.feedback_false,
        )
    elif isinstance(question, questions.ShortAnswer):
        data["case_sensitive"] = question.case_sensitive
        data["answers"] = [
            {"text": a.text, "fraction": _percent(a.fraction), "feedback": a.feedback}
            for a in question.answers
        ]
    elif isinstance(question, questions.Numerical):
        data["answers"] = [
            {
                "value": str(a.value),
                "tolerance": str(a.tolerance),
                "fraction": _percent(a.fraction),
                "feedback": a.feedback,
            }
            for a in question.answers
        ]
    elif isinstance(question, questions.Matching):
        right = {r.id: r.text for r in question.right}
        used = {item.right_id for item in question.left}
        data["pairs"] = [
            {"id": str(item.id), "left": item.text, "right": right[item.right_id]} for item in question.left
        ]
        data["distractors"] = "\n".join(r.text for r in question.right if r.id not in used)
    elif isinstance(question, questions.Cloze):
        data["text"] = cloze_source(question)
    return data


def cloze_source(question: questions.Cloze) -> str:
    """The cloze text with its gaps written back in Moodle's embedded syntax (as GIFT writes it)."""
    written = gift_write.export_gift(
        [questions.Cloze(name="x", text=question.text, text_format=question.text_format, gaps=question.gaps)]
    )
    body = written.split("::x::", 1)[1]
    return body.split("]", 1)[1].strip() if body.startswith("[") else body.strip()


def blank_rows(form: QuestionForm) -> None:
    """Add two empty rows after the stored ones so an author can add answers (up to 20 rows)."""
    for name in ("choices", "answers", "pairs"):
        entries = getattr(form, name, None)
        if entries is not None:
            target = min(20, max(entries.min_entries, len(entries.entries) + 2))
            while len(entries.entries) < target:
                entries.append_entry()


def build_question(kind: str, form: QuestionForm) -> questions.Question | None:
    """The pure question the form describes, or None with the reasons on the form."""
    common: dict[str, Any] = {
        "name": (form.name.data or "").strip(),
        "text": (form.text.data or "").strip(),
        "text_format": form.text_format.data,
        "general_feedback": (form.general_feedback.data or "").strip(),
        "default_mark": Decimal(form.default_mark.data if form.default_mark.data is not None else 1),
    }
    try:
        if kind in ("single", "multiple"):
            return _choices(kind, form, common)
        if kind == "truefalse":
            return questions.TrueFalse(
                correct=form.correct.data == "true",
                feedback_true=form.feedback_true.data or "",
                feedback_false=form.feedback_false.data or "",
                **common,
            )
        if kind == "shortanswer":
            answers = tuple(
                questions.Answer(
                    e.form.text.data.strip(), _fraction(e.form.fraction.data), e.form.feedback.data or ""
                )
                for e in form.answers.entries
                if (e.form.text.data or "").strip()
            )
            if not answers:
                form.answers.errors = [_("Give at least one accepted answer.")]
                return None
            return questions.ShortAnswer(
                answers=answers, case_sensitive=bool(form.case_sensitive.data), **common
            )
        if kind == "numerical":
            return _numerical(form, common)
        if kind == "matching":
            return _matching(form, common)
        if kind == "cloze":
            return _cloze(form, common)
        if kind == "essay":
            return questions.Essay(**common)
        common["default_mark"] = Decimal(0)
        return questions.Description(**common)
    except ValueError as error:
        form.form_errors.append(_("The question is not valid: %(reason)s.", reason=str(error)))
        return None


def _choices(kind: str, form: Any, common: dict[str, Any]) -> questions.Question | None:
    rows = [e.form for e in form.choices.entries if (e.form.text.data or "").strip()]
    if len(rows) < 2:
        form.choices.errors = [_("Give at least two answers.")]
        return None
    taken = {int(r.id.data) for r in rows if (r.id.data or "").isdigit()}
    next_id = max(taken, default=0) + 1
    choices = []
    seen: set[int] = set()
    for row in rows:
        choice_id = (
            int(row.id.data) if (row.id.data or "").isdigit() and int(row.id.data) not in seen else None
        )
        if choice_id is None:
            choice_id, next_id = next_id, next_id + 1
        seen.add(choice_id)
        choices.append(
            questions.Choice(
                choice_id, row.text.data.strip(), _fraction(row.fraction.data), row.feedback.data or ""
            )
        )
    fractions = [c.fraction for c in choices]
    if kind == "single" and max(fractions) != 1:
        form.choices.errors = [_("One answer must be worth 100%.")]
        return None
    if kind == "multiple" and sum(f for f in fractions if f > 0) <= 0:
        form.choices.errors = [_("At least one answer must give marks.")]
        return None
    cls = questions.SingleChoice if kind == "single" else questions.MultipleChoice
    return cls(choices=tuple(choices), **common)


def _number(raw: str | None) -> Decimal | None:
    return parse_number(raw or "")


def _numerical(form: Any, common: dict[str, Any]) -> questions.Question | None:
    answers = []
    for entry in form.answers.entries:
        row = entry.form
        if not (row.value.data or "").strip():
            continue
        value, tolerance = _number(row.value.data), _number(row.tolerance.data or "0")
        if value is None or tolerance is None or tolerance < 0:
            row.value.errors = [*row.value.errors, _("Give a number and a tolerance of at least 0.")]
            form.answers.errors = [_("Give a number and a tolerance of at least 0.")]
            return None
        answers.append(
            questions.NumericalAnswer(value, tolerance, _fraction(row.fraction.data), row.feedback.data or "")
        )
    if not answers:
        form.answers.errors = [_("Give at least one accepted answer.")]
        return None
    return questions.Numerical(answers=tuple(answers), **common)


def _matching(form: Any, common: dict[str, Any]) -> questions.Question | None:
    rows = [
        e.form
        for e in form.pairs.entries
        if (e.form.left.data or "").strip() or (e.form.right.data or "").strip()
    ]
    if any(not (r.left.data or "").strip() or not (r.right.data or "").strip() for r in rows):
        form.pairs.errors = [_("Each pair needs both sides.")]
        return None
    if len(rows) < 2:
        form.pairs.errors = [_("Give at least two pairs.")]
        return None
    right_ids: dict[str, int] = {}
    for text in [r.right.data.strip() for r in rows] + [
        d.strip() for d in (form.distractors.data or "").splitlines()
    ]:
        if text and text not in right_ids:
            right_ids[text] = len(right_ids) + 1
    taken = {int(r.id.data) for r in rows if (r.id.data or "").isdigit()}
    next_id = max(taken, default=0) + 1
    left = []
    seen: set[int] = set()
    for row in rows:
        left_id = int(row.id.data) if (row.id.data or "").isdigit() and int(row.id.data) not in seen else None
        if left_id is None:
            left_id, next_id = next_id, next_id + 1
        seen.add(left_id)
        left.append(questions.LeftItem(left_id, row.left.data.strip(), right_ids[row.right.data.strip()]))
    right = tuple(questions.RightItem(i, text) for text, i in right_ids.items())
    return questions.Matching(left=tuple(left), right=right, **common)


def _cloze(form: Any, common: dict[str, Any]) -> questions.Question | None:
    source = f"::{escape(common['name'])}::[{common['text_format']}]{common['text']}"
    result = gift_read.parse_gift(source)
    if result.errors:
        form.text.errors = [gift_text(result.errors[0])]
        return None
    parsed = result.questions[0][0]
    if not isinstance(parsed, questions.Cloze):
        form.text.errors = [_("Put at least one gap like {1:SHORTANSWER:=answer} into the text.")]
        return None
    return questions.Cloze(gaps=parsed.gaps, **{**common, "text": parsed.text})
