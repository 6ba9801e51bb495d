"""Forms of the contests room: they check shape; the services check the rules."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DecimalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms_common import DateTimeLocalField, IntegerField, MarkdownField, timezone_choices
from app.forms_common import select_options as options
from app.i18n import _, lazy_

KIND_CHOICES = [
    ("teacher", lazy_("Teacher contest")),
    ("olympiad", lazy_("Olympiad for pupils")),
    ("conference", lazy_("Pupils' conference")),
]
STAGE_KIND_CHOICES = [
    ("registration", lazy_("Registration")),
    ("submission", lazy_("Submission")),
    ("olympiad", lazy_("Olympiad round")),
    ("jury", lazy_("Jury stage")),
]
RULE_CHOICES = [
    ("all", lazy_("Everyone with a result")),
    ("top_n", lazy_("Top N places")),
    ("top_percent", lazy_("Top P percent")),
    ("min_score", lazy_("Score at least S")),
    ("manual", lazy_("Chosen by the organiser")),
]
TIE_CHOICES = [
    ("include_tied", lazy_("Everyone tied with the last place advances")),
    ("exclude_tied", lazy_("Nobody tied at the cut-off advances")),
    ("tiebreak", lazy_("Break ties by the earlier stage, then by submission time")),
]
AGGREGATION_CHOICES = [
    ("mean", lazy_("Mean")),
    ("median", lazy_("Median")),
    ("trimmed_mean", lazy_("Mean without the highest and lowest")),
    ("sum", lazy_("Sum")),
]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def parse_divisions(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


_RANKS = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
_PERCENT = re.compile(r"^(top|min)\s+(\d+(?:[.,]\d+)?)\s*%$", re.IGNORECASE)


def parse_awards(text: str) -> list[dict[str, Any]]:
    """One award per line: `Title: 1-1`, `Title: 2-3, min 50%`, `Title: top 10%`, or `Title` (everyone)."""
    awards = []
    for number, line in enumerate((line.strip() for line in text.splitlines()), start=1):
        if not line:
            continue
        title, _sep, rest = line.partition(":")
        award: dict[str, Any] = {
            "title": title.strip(),
            "ranks": None,
            "top_percent": None,
            "min_percent_of_max": None,
        }
        for token in (t.strip() for t in rest.split(",") if t.strip()):
            ranks, percent = _RANKS.match(token), _PERCENT.match(token)
            if ranks:
                award["ranks"] = [int(ranks.group(1)), int(ranks.group(2))]
            elif percent:
                key = "top_percent" if percent.group(1).lower() == "top" else "min_percent_of_max"
                award[key] = percent.group(2).replace(",", ".")
            else:
                raise ValueError(_("Line %(n)s: cannot read “%(token)s”.", n=number, token=token))
        awards.append(award)
    return awards


class ContestForm(FlaskForm):
    title = StringField(lazy_("Title"), validators=[DataRequired(), Length(max=255)])
    kind = SelectField(lazy_("Kind"), choices=options(KIND_CHOICES))
    timezone = SelectField(lazy_("Time zone of the contest"), default="Europe/Moscow")
    description = MarkdownField(lazy_("Description (Markdown)"), validators=[Length(max=50_000)])
    rules = MarkdownField(lazy_("Rules (Markdown)"), validators=[Length(max=50_000)])
    divisions = TextAreaField(
        lazy_("Divisions, one per line"),
        validators=[DataRequired()],
        description=lazy_("For example: grades 5–8, grades 9–11."),
    )
    awards = TextAreaField(
        lazy_("Awards, in order, one per line"),
        description=lazy_(
            "“Winner: 1-1”, “Prize-winner: 2-3, min 50%”, “Laureate: top 25%”, “Participant” (everyone else)."
        ),
    )
    award_quota_percent = DecimalField(
        lazy_("Quota of winners and prize-winners (percent of participants)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    registration_opens_at = DateTimeLocalField(
        lazy_("Registration opens"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    registration_closes_at = DateTimeLocalField(
        lazy_("Registration closes"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    asks_institution = BooleanField(lazy_("Ask for the institution"), default=True)
    asks_grade = BooleanField(lazy_("Ask for the grade"))
    asks_subject = BooleanField(lazy_("Ask for the subject taught"))
    requires_consent = BooleanField(lazy_("Ask for consent to personal data processing"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options(timezone_choices(self.timezone.data))

    def validate_awards(self, field: TextAreaField) -> None:
        try:
            parse_awards(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from None


class ContestEditForm(FlaskForm):
    title = StringField(lazy_("Title"), validators=[DataRequired(), Length(max=255)])
    timezone = SelectField(lazy_("Time zone of the contest"))
    description = MarkdownField(lazy_("Description (Markdown)"), validators=[Length(max=50_000)])
    rules = MarkdownField(lazy_("Rules (Markdown)"), validators=[Length(max=50_000)])
    asks_institution = BooleanField(lazy_("Ask for the institution"))
    asks_grade = BooleanField(lazy_("Ask for the grade"))
    asks_subject = BooleanField(lazy_("Ask for the subject taught"))
    requires_consent = BooleanField(lazy_("Ask for consent to personal data processing"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options(timezone_choices(self.timezone.data))


def parse_criteria(text: str) -> list[dict[str, Any]]:
    """`Name; max points; weight` per line (weight defaults to 1)."""
    criteria = []
    for number, line in enumerate((line.strip() for line in text.splitlines()), start=1):
        if not line:
            continue
        parts = [p.strip() for p in line.split(";")]
        try:
            max_points = Decimal(parts[1].replace(",", ".")) if len(parts) > 1 else Decimal(10)
            weight = Decimal(parts[2].replace(",", ".")) if len(parts) > 2 else Decimal(1)
        except ArithmeticError:
            raise ValueError(_("Line %(n)s: points and weight must be numbers.", n=number)) from None
        criteria.append({"name": parts[0], "max_points": str(max_points), "weight": str(weight)})
    return criteria


class StageForm(FlaskForm):
    title = StringField(lazy_("Title"), validators=[DataRequired(), Length(max=255)])
    kind = SelectField(lazy_("Kind"), choices=options(STAGE_KIND_CHOICES))
    description = MarkdownField(
        lazy_("What participants must do (Markdown)"), validators=[Length(max=20_000)]
    )
    opens_at = DateTimeLocalField(lazy_("Opens"), format=DATETIME_FORMAT, validators=[InputRequired()])
    closes_at = DateTimeLocalField(lazy_("Closes"), format=DATETIME_FORMAT, validators=[InputRequired()])
    advancement_rule = SelectField(lazy_("Who advances to the next stage"), choices=options(RULE_CHOICES))
    advancement_value = DecimalField(lazy_("N, P or S for the rule"), validators=[Optional()])
    advancement_ties = SelectField(lazy_("Ties at the cut-off"), choices=options(TIE_CHOICES))
    tiebreak_by_time = BooleanField(lazy_("Rank equal scores by time used (olympiad rounds)"))
    accepts_text = BooleanField(lazy_("Accept text"), default=True)
    accepts_link = BooleanField(lazy_("Accept a link"), default=True)
    accepts_files = BooleanField(lazy_("Accept files"), default=True)
    file_types = StringField(
        lazy_("Allowed file types"), default="pdf,doc,docx,odt,ppt,pptx,jpg,png", validators=[Length(max=255)]
    )
    max_file_mb = IntegerField(
        lazy_("Largest file, MB"), default=10, validators=[InputRequired(), NumberRange(1, 100)]
    )
    max_files = IntegerField(
        lazy_("Most files per entry"), default=3, validators=[InputRequired(), NumberRange(0, 20)]
    )
    jury_criteria = TextAreaField(
        lazy_("Jury criteria: “name; max points; weight” per line (empty: no jury)")
    )
    jury_aggregation = SelectField(
        lazy_("Aggregation of jurors' totals"), choices=options(AGGREGATION_CHOICES)
    )
    jurors_per_entry = IntegerField(
        lazy_("Jurors per entry (empty: every juror)"), validators=[Optional(), NumberRange(1, 50)]
    )
    jury_blind = BooleanField(lazy_("Blind: jurors do not see names and institutions"))

    def validate_jury_criteria(self, field: TextAreaField) -> None:
        try:
            parse_criteria(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from None


class RegistrationForm(FlaskForm):
    division = SelectField(lazy_("Division"), coerce=int, validators=[InputRequired()])
    institution = StringField(lazy_("Institution"), validators=[Length(max=255)])
    grade = StringField(lazy_("Grade"), validators=[Length(max=32)])
    subject = StringField(lazy_("Subject"), validators=[Length(max=255)])
    consent = BooleanField(lazy_("I agree to the processing of my personal data for this contest"))


class EntryForm(FlaskForm):
    text = MarkdownField(lazy_("Text"), validators=[Length(max=100_000)])
    link = StringField(lazy_("Link"), validators=[Optional(), URL(require_tld=False), Length(max=1000)])
    files = MultipleFileField(lazy_("Files"))


class CloseForm(FlaskForm):
    reason = StringField(lazy_("Reason"), validators=[Length(max=2000)])


class ReopenForm(FlaskForm):
    reason = StringField(lazy_("Reason"), validators=[DataRequired(), Length(max=2000)])
    closes_at = DateTimeLocalField(lazy_("New closing time"), format=DATETIME_FORMAT, validators=[Optional()])


class ExtendForm(FlaskForm):
    closes_at = DateTimeLocalField(
        lazy_("New closing time"), format=DATETIME_FORMAT, validators=[InputRequired()]
    )
    reason = StringField(lazy_("Reason"), validators=[Length(max=2000)])


class PublishForm(FlaskForm):
    appeal_hours = IntegerField(
        lazy_("Appeals accepted for, hours"), default=72, validators=[InputRequired(), NumberRange(0, 1440)]
    )


class AdvanceForm(FlaskForm):
    chosen = SelectMultipleField(
        lazy_("Chosen participants (manual rule)"), coerce=int, validators=[Optional()]
    )


class ImportForm(FlaskForm):
    """A table of participants: a file (CSV or XLSX) or lines pasted from a spreadsheet."""

    file = FileField(lazy_("Table of participants (CSV or XLSX)"))
    csv_text = TextAreaField(
        lazy_("…or paste the lines: email,full_name,division[,institution,grade,subject]"),
        validators=[Optional(), Length(max=2_000_000)],
    )
    valid_only = BooleanField(lazy_("Import the valid lines and list the others"))

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.file.data and not (self.csv_text.data or "").strip():
            self.file.errors = [_("Choose a file or paste the lines.")]
            return False
        return True


class RoundForm(FlaskForm):
    question_ids = SelectMultipleField(lazy_("Questions"), coerce=int, validators=[DataRequired()])
    time_limit_minutes = IntegerField(
        lazy_("Time limit, minutes"), default=60, validators=[Optional(), NumberRange(1, 10_000)]
    )
    max_grade = DecimalField(
        lazy_("Maximum grade"),
        default=Decimal(100),
        validators=[InputRequired(), NumberRange(min=1, max=100_000)],
    )
    shuffle = BooleanField(lazy_("Shuffle questions and answers"))


class QuestionsForm(FlaskForm):
    gift = TextAreaField(
        lazy_("Questions in GIFT format"), validators=[DataRequired(), Length(max=2_000_000)]
    )
