"""Forms of the quiz pages other than the question editor: GIFT import, categories, quiz settings,
slots and a tutor's mark (question_forms holds the editor)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms_common import DateTimeLocalField, IntegerField, MarkdownField
from app.forms_common import select_options as options
from app.i18n import _
from app.i18n import lazy_ as _l


class ImportForm(FlaskForm):
    text = TextAreaField(
        _l("Questions in GIFT or Moodle XML"),
        validators=[Optional(), Length(max=2_000_000)],
        render_kw={"rows": 12},
    )
    file = FileField(_l("…or a file (GIFT or Moodle XML)"))
    question_format = SelectField(
        _l("Format"),
        choices=options([("", _l("Tell by the content")), ("gift", "GIFT"), ("moodlexml", "Moodle XML")]),
        default="",
    )
    category_id = SelectField(_l("Category for questions without $CATEGORY"), coerce=int, default=0)
    valid_only = BooleanField(_l("Import the valid questions even if some have errors"))


class CategoryForm(FlaskForm):
    name = StringField(_l("New category"), validators=[DataRequired(), Length(max=255)])
    parent_id = SelectField(_l("Inside"), coerce=int, default=0)


class MoveForm(FlaskForm):
    category_id = SelectField(_l("Move to category"), coerce=int, default=0)


def _positive_or_empty(form: Any, field: Any) -> None:
    if field.data is not None and field.data < 1:
        raise ValidationError(_("Must be at least 1, or empty."))


class QuizForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=255)])
    description = MarkdownField(
        _l("Description"), validators=[Optional(), Length(max=20_000)], render_kw={"rows": 3}
    )
    opens_at = DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    time_limit_minutes = IntegerField(
        _l("Time limit, minutes (empty: none)"),
        validators=[Optional(), _positive_or_empty, NumberRange(max=10_000)],
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed (empty: unlimited)"),
        validators=[Optional(), _positive_or_empty, NumberRange(max=1000)],
    )
    grading_method = SelectField(
        _l("Grading method"),
        choices=options(
            [
                ("highest", _l("Highest grade")),
                ("average", _l("Average grade")),
                ("first", _l("First attempt")),
                ("last", _l("Last attempt")),
            ]
        ),
        default="highest",
    )
    max_grade = DecimalField(
        _l("Maximum grade"),
        places=None,
        default=Decimal(10),
        validators=[InputRequired(), NumberRange(min=Decimal("0.01"), max=100_000)],
    )
    shuffle_questions = BooleanField(_l("Shuffle questions"))
    shuffle_answers = BooleanField(_l("Shuffle answers within questions"), default=True)
    review_when = SelectField(
        _l("Students see the review"),
        choices=options(
            [
                ("immediately", _l("Right after finishing")),
                ("after_close", _l("After the quiz closes")),
                ("never", _l("Never")),
            ]
        ),
        default="immediately",
    )
    review_score = BooleanField(_l("Review shows the score"), default=True)
    review_answers = BooleanField(_l("Review shows the right answers"), default=True)
    review_feedback = BooleanField(_l("Review shows feedback"), default=True)


class PickedQuestionsField(Field):
    """The question ids ticked in the picker (templates/quiz/_picker.html draws the boxes; the
    service refuses ids that are not the bank's)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [int(v) for v in valuelist if str(v).isdigit()][:500]

    def _value(self) -> str:
        return ""


def _some_picked(form: Any, field: Any) -> None:
    if not field.data:
        raise ValidationError(_("Tick at least one question."))


class NewQuizForm(QuizForm):
    question_ids = PickedQuestionsField(_l("Questions"), default=list)


class AddQuestionsForm(FlaskForm):
    question_ids = PickedQuestionsField(_l("Add questions"), default=list, validators=[_some_picked])


class RandomSlotForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int)
    random_count = IntegerField(
        _l("How many random questions"), default=1, validators=[InputRequired(), NumberRange(min=1, max=500)]
    )


class GradeForm(FlaskForm):
    points = DecimalField(_l("Points"), places=None, validators=[InputRequired(), NumberRange(min=0)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=10_000)], render_kw={"rows": 2})


class PlaceForm(FlaskForm):
    module_id = SelectField(_l("Module"), coerce=int, validators=[DataRequired()])
