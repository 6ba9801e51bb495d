"""Forms of the contests room: they check shape; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    FormField,
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
)

from app.contests import row_forms
from app.contests.row_forms import MAX_ROWS, LocalDecimalField
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

# Which stage kinds use each part of the stage form; a part a kind does not use is hidden in the
# browser and neither checked nor read by the server.
SECTION_KINDS = {
    "entries": ("submission", "jury"),
    "jury": ("submission", "jury"),
    "advancement": ("submission", "olympiad", "jury"),
    "timing": ("olympiad",),
}
SECTION_FIELDS = {
    "entries": ("accepts_text", "accepts_link", "accepts_files", "file_types", "max_file_mb", "max_files"),
    "jury": ("jury_criteria", "jury_aggregation", "jurors_per_entry", "jury_blind"),
    "advancement": ("advancement_rule", "advancement_value", "advancement_ties"),
    "timing": ("tiebreak_by_time",),
}


def uses(kind: str, section: str) -> bool:
    """Whether a stage of this kind uses this part of the form."""
    return kind in SECTION_KINDS[section]


class RowsValidation:
    """Form-level checks of the rows editors that need more than one row."""

    def validate_divisions(self, field: FieldList) -> None:
        row_forms.check_distinct_divisions(field)


class ContestForm(RowsValidation, FlaskForm):
    title = StringField(lazy_("Title"), validators=[DataRequired(), Length(max=255)])
    kind = SelectField(lazy_("Kind"), choices=options(KIND_CHOICES))
    timezone = SelectField(lazy_("Time zone of the contest"), default="Europe/Moscow")
    description = MarkdownField(lazy_("Description"), validators=[Length(max=50_000)])
    rules = MarkdownField(lazy_("Rules"), validators=[Length(max=50_000)])
    divisions = FieldList(
        FormField(row_forms.DivisionRow), label=lazy_("Divisions"), min_entries=1, max_entries=MAX_ROWS
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
    awards = FieldList(FormField(row_forms.AwardRow), label=lazy_("Awards, in order"), max_entries=MAX_ROWS)
    award_quota_percent = LocalDecimalField(
        lazy_("Quota of winners and prize-winners (percent of participants)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options(timezone_choices(self.timezone.data))


class ContestEditForm(RowsValidation, FlaskForm):
    title = StringField(lazy_("Title"), validators=[DataRequired(), Length(max=255)])
    timezone = SelectField(lazy_("Time zone of the contest"))
    description = MarkdownField(lazy_("Description"), validators=[Length(max=50_000)])
    rules = MarkdownField(lazy_("Rules"), validators=[Length(max=50_000)])
    divisions = FieldList(
        FormField(row_forms.DivisionRow), label=lazy_("Divisions"), min_entries=1, max_entries=MAX_ROWS
    )
    asks_institution = BooleanField(lazy_("Ask for the institution"))
    asks_grade = BooleanField(lazy_("Ask for the grade"))
    asks_subject = BooleanField(lazy_("Ask for the subject taught"))
    requires_consent = BooleanField(lazy_("Ask for consent to personal data processing"))
    awards = FieldList(FormField(row_forms.AwardRow), label=lazy_("Awards, in order"), max_entries=MAX_ROWS)
    award_quota_percent = LocalDecimalField(
        lazy_("Quota of winners and prize-winners (percent of participants)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options(timezone_choices(self.timezone.data))


class StageForm(FlaskForm):
    kind = SelectField(lazy_("Kind"), choices=options(STAGE_KIND_CHOICES), default="submission")
    title = StringField(lazy_("Title"), validators=[DataRequired(), Length(max=255)])
    description = MarkdownField(lazy_("What participants must do"), validators=[Length(max=20_000)])
    opens_at = DateTimeLocalField(lazy_("Opens"), format=DATETIME_FORMAT, validators=[InputRequired()])
    closes_at = DateTimeLocalField(lazy_("Closes"), format=DATETIME_FORMAT, validators=[InputRequired()])
    accepts_text = BooleanField(lazy_("Accept text"), default=True)
    accepts_link = BooleanField(lazy_("Accept a link"), default=True)
    accepts_files = BooleanField(lazy_("Accept files"), default=True)
    file_types = StringField(
        lazy_("Allowed file types"),
        default="pdf,doc,docx,odt,ppt,pptx,jpg,png",
        validators=[Length(max=255)],
        description=lazy_("File name endings separated by commas."),
    )
    max_file_mb = IntegerField(
        lazy_("Largest file, MB"), default=10, validators=[InputRequired(), NumberRange(1, 100)]
    )
    max_files = IntegerField(
        lazy_("Most files per entry"), default=3, validators=[InputRequired(), NumberRange(0, 20)]
    )
    jury_criteria = FieldList(
        FormField(row_forms.CriterionRow), label=lazy_("Jury criteria"), max_entries=row_forms.MAX_ROWS
    )
    jury_blind = BooleanField(lazy_("Blind: jurors do not see names and institutions"))
    jury_aggregation = SelectField(
        lazy_("Aggregation of jurors' totals"), choices=options(AGGREGATION_CHOICES), default="mean"
    )
    jurors_per_entry = IntegerField(
        lazy_("Jurors per entry (empty: every juror)"), validators=[Optional(), NumberRange(1, 50)]
    )
    advancement_rule = SelectField(
        lazy_("Who advances to the next stage"), choices=options(RULE_CHOICES), default="all"
    )
    advancement_value = LocalDecimalField(
        lazy_("Number for the rule"),
        validators=[Optional()],
        description=lazy_(
            "Places for “Top N places”, percent for “Top P percent”, points for “Score at least S”."
        ),
    )
    advancement_ties = SelectField(
        lazy_("Ties at the cut-off"), choices=options(TIE_CHOICES), default="include_tied"
    )
    tiebreak_by_time = BooleanField(lazy_("Rank equal scores by time used"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Check only the parts the chosen kind uses; a jury stage needs at least one criterion."""
        super().validate(extra_validators)
        kind = self.kind.data or "submission"
        for section, names in SECTION_FIELDS.items():
            if not uses(kind, section):
                for name in names:
                    if name in self:
                        self[name].errors = []
        if kind == "jury" and "jury_criteria" in self and not row_forms.filled(self.jury_criteria):
            self.jury_criteria.errors = [_("A jury stage needs at least one criterion.")]
        self._errors = None
        return not self.errors and not self.form_errors


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
        lazy_("…or paste the lines copied from a spreadsheet, with its header line"),
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
    question_ids = SelectMultipleField(
        lazy_("Questions"),
        coerce=int,
        validators=[DataRequired(message=lazy_("Tick at least one question for the round."))],
    )
    time_limit_minutes = IntegerField(
        lazy_("Time limit, minutes"), default=60, validators=[Optional(), NumberRange(1, 10_000)]
    )
    max_grade = DecimalField(
        lazy_("Maximum grade"),
        default=Decimal(100),
        validators=[InputRequired(), NumberRange(min=1, max=100_000)],
    )
    # On for a new round, as in Moodle: neighbours do not see the same order, nor the right answer first.
    shuffle = BooleanField(lazy_("Shuffle questions and answers"), default=True)


class QuestionsForm(FlaskForm):
    gift = TextAreaField(
        lazy_("Questions in GIFT format"), validators=[DataRequired(), Length(max=2_000_000)]
    )
