"""Jury forms: shapes and ranges only; the services check the rules (closed scoring, conflicts)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.email_address import EmailAddress
from app.forms_common import DateTimeLocalField, IntegerField, MarkdownField
from app.forms_common import select_options as choices
from app.i18n import lazy_ as _l

MAX_LEVELS = 20
SPARE_LEVELS = 2

AGGREGATIONS = choices(
    [
        ("mean", _l("Mean")),
        ("median", _l("Median")),
        ("trimmed_mean", _l("Trimmed mean (without the highest and the lowest)")),
        ("sum", _l("Sum")),
    ]
)


class SettingsForm(FlaskForm):
    aggregation = SelectField(_l("Aggregation of jurors' totals"), choices=AGGREGATIONS)
    jurors_per_entry = IntegerField(
        _l("Jurors per entry"),
        validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("Leave empty: every juror scores every entry."),
    )
    blind = BooleanField(_l("Blind review: jurors do not see names and institutions"))
    disagreement_threshold = StringField(
        _l("Flag entries where jurors' totals differ by more than (points)"),
        validators=[Optional(), Length(max=12)],
    )
    scoring_due_at = DateTimeLocalField(_l("Scores due by"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    slot_pick_deadline = DateTimeLocalField(
        _l("Finalists pick demo-lesson slots until"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )


class LevelRow(Form):
    """One level of a criterion: a number of points and what earns it (a row of the rows editor;
    a row left empty is skipped)."""

    points = StringField(_l("Points"), validators=[Optional(), Length(max=12)])
    text = StringField(_l("What earns them"), validators=[Optional(), Length(max=500)])

    def is_blank(self) -> bool:
        return not (self.points.data or "").strip() and not (self.text.data or "").strip()

    def validate(self, extra_validators: Any = None) -> bool:
        if self.is_blank():
            return True
        if not (self.text.data or "").strip():
            self.text.errors = [str(_l("Say what earns these points."))]
            return False
        return super().validate(extra_validators)


class CriterionForm(FlaskForm):
    name = StringField(_l("Criterion"), validators=[DataRequired(), Length(max=200)])
    max_points = StringField(_l("Maximum points"), validators=[DataRequired(), Length(max=12)])
    weight = StringField(
        _l("Weight"),
        default="1",
        validators=[DataRequired(), Length(max=12)],
        description=_l("How many times the criterion counts in the total; 1 for most criteria."),
    )
    description = MarkdownField(_l("Description"), validators=[Optional(), Length(max=5000)])
    levels = FieldList(
        FormField(LevelRow),
        label=_l("What each number of points means"),
        min_entries=1,
        max_entries=MAX_LEVELS,
    )

    def level_values(self) -> list[dict[str, str]]:
        """The filled rows as the spec reads them ({"points", "text"})."""
        return [
            {"points": (row.form.points.data or "").strip(), "text": (row.form.text.data or "").strip()}
            for row in self.levels
            if not row.form.is_blank()
        ]

    def values(self) -> dict[str, Any]:
        """The criterion as the services take it (adding one and editing one read the same fields)."""
        return {
            "name": self.name.data or "",
            "max_points": self.max_points.data,
            "weight": self.weight.data,
            "description": self.description.data or "",
            "levels": self.level_values(),
        }

    def offer_spare_rows(self) -> None:
        """Two empty rows to type into (a browser without JavaScript cannot add one)."""
        while len(self.levels) < min(MAX_LEVELS, len(self.level_values()) + SPARE_LEVELS):
            self.levels.append_entry()


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), EmailAddress(), Length(max=255)])
    full_name = StringField(_l("Full name (for a new account)"), validators=[Optional(), Length(max=255)])
    division_id = SelectField(_l("Division"), coerce=int, choices=[])
    is_chair = BooleanField(_l("Jury chair (may resolve appeals)"))


class ConflictForm(FlaskForm):
    juror_id = SelectField(_l("Juror"), coerce=int, choices=[])
    participation_id = SelectField(_l("Participant"), coerce=int, choices=[])


class MoveForm(FlaskForm):
    juror_id = SelectField(_l("Move to juror"), coerce=int, choices=[])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


class SlotForm(FlaskForm):
    starts_at = DateTimeLocalField(
        _l("Starts at (contest time)"), validators=[DataRequired()], format="%Y-%m-%dT%H:%M"
    )
    duration_minutes = IntegerField(
        _l("Duration, minutes"), default=45, validators=[DataRequired(), NumberRange(min=1, max=600)]
    )
    location = StringField(_l("Video-conference link or room"), validators=[Optional(), Length(max=500)])


class AssignSlotForm(FlaskForm):
    participation_id = SelectField(_l("Finalist"), coerce=int, choices=[])


class AppealForm(FlaskForm):
    text = TextAreaField(
        _l("What do you disagree with, and why?"), validators=[DataRequired(), Length(max=10000)]
    )


class ScoreForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=10000)])


def score_form_class(criteria: list[Any]) -> type[ScoreForm]:
    """A scoring form with one field per criterion, named c<criterion id>."""

    class Form(ScoreForm):
        pass

    for criterion in criteria:
        setattr(
            Form, f"c{criterion.id}", StringField(criterion.name, validators=[Optional(), Length(max=12)])
        )
    return Form


class ResolveForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=choices([("rejected", _l("Reject")), ("accepted", _l("Accept and change scores"))]),
    )
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=10000)])


def resolve_form_class(juror_ids: list[int], criteria: list[Any]) -> type[ResolveForm]:
    """The resolution form with one field per juror and criterion, named j<juror>_c<criterion>."""

    class Form(ResolveForm):
        pass

    for juror_id in juror_ids:
        for criterion in criteria:
            setattr(
                Form,
                f"j{juror_id}_c{criterion.id}",
                StringField(criterion.name, validators=[Optional(), Length(max=12)]),
            )
    return Form


def score_form(criteria: list[Any], data: dict[str, Any]) -> ScoreForm:
    """The scoring form, its fields also reachable by the service's field names (`criteria.<name>`,
    the API's body keys), so a refused mark lands next to its own field."""
    form = score_form_class(criteria)(data=data)
    for criterion in criteria:
        setattr(form, f"criteria.{criterion.name}", form[f"c{criterion.id}"])
    return form


def resolve_form(juror_ids: list[int], criteria: list[Any], data: dict[str, Any]) -> ResolveForm:
    """The resolution form, its fields also reachable as `score_changes.<juror>.<criterion name>`."""
    form = resolve_form_class(juror_ids, criteria)(data=data)
    for juror_id in juror_ids:
        for criterion in criteria:
            setattr(form, f"score_changes.{juror_id}.{criterion.name}", form[f"j{juror_id}_c{criterion.id}"])
    return form


def typed_number(value: object) -> str:
    """A stored number as a Russian teacher types it back into a form: «4,5», «10» (not «4.50»)."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
