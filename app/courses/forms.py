"""Course forms: they check shapes (types, lengths, ranges); the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    Field,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from app.email_address import EmailAddress
from app.forms_common import DateTimeLocalField, IntegerField, MarkdownField, strip_whitespace
from app.forms_common import select_options as options
from app.i18n import _
from app.i18n import lazy_ as _l

LOCAL = "%Y-%m-%dT%H:%M"


def enrolment_choices() -> list[SelectChoice]:
    return options(
        [
            ("invitation", _l("By invitation only (tutors enrol)")),
            ("key", _l("Self-enrolment with a key")),
            ("open", _l("Open self-enrolment")),
        ]
    )


def completion_choices(graded: bool) -> list[SelectChoice]:
    choices = [("none", _l("Not required")), ("viewed", _l("Viewed"))]
    if graded:
        choices += [("submitted", _l("Submitted")), ("graded", _l("Graded with at least N points"))]
    return options(choices)


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)])
    summary = MarkdownField(
        _l("Summary"), validators=[Optional(), Length(max=100_000)], render_kw={"rows": 6}
    )
    hours = IntegerField(
        _l("Length, hours"), default=0, validators=[InputRequired(), NumberRange(min=0, max=10_000)]
    )
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    enrolment_mode = SelectField(_l("Enrolment"), choices=enrolment_choices(), default="invitation")
    enrolment_key = StringField(
        _l("Enrolment key"), filters=[strip_whitespace], validators=[Optional(), Length(max=64)]
    )
    missing_grades = SelectField(
        _l("Missing grades in the course total"),
        default="zero",
        choices=options([("zero", _l("Count as zero")), ("exclude", _l("Leave out"))]),
    )


class ModuleForm(FlaskForm):
    title = StringField(
        _l("Module title"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)]
    )
    hidden = BooleanField(_l("Hidden from students"))
    visible_from = DateTimeLocalField(_l("Visible from"), format=LOCAL, validators=[Optional()])


class ItemForm(FlaskForm):
    """Page, link and file items; assignments extend it."""

    title = StringField(_l("Title"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)])
    body = MarkdownField(_l("Text"), validators=[Optional(), Length(max=200_000)], render_kw={"rows": 12})
    image = FileField(_l("Add an image to the text"), description=_l("PNG, JPG, GIF or WEBP up to 5 MB."))
    url = StringField(_l("Address"), filters=[strip_whitespace], validators=[Optional(), Length(max=1000)])
    upload = FileField(_l("File"))
    hidden = BooleanField(_l("Hidden from students"))
    visible_from = DateTimeLocalField(_l("Visible from"), format=LOCAL, validators=[Optional()])
    completion = SelectField(_l("Completion"), default="none")
    completion_points = DecimalField(
        _l("Points needed (for “graded”)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    prerequisite = SelectField(_l("Locked until this item is complete"), coerce=int, default=0)
    weight = DecimalField(
        _l("Weight in the course total"),
        places=2,
        default=Decimal("1"),
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )


def parse_rubric(text: str) -> list[dict[str, Any]]:
    """One criterion per line: `Name: label = points; label = points`."""
    rubric = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, rest = line.partition(":")
        if not sep or not name.strip():
            raise ValidationError(
                _("Line %(n)s: write “Criterion: level = points; level = points”.", n=number)
            )
        levels = []
        for part in rest.split(";"):
            if not part.strip():
                continue
            label, eq, points = part.rpartition("=")
            try:
                value = Decimal(points.strip().replace(",", "."))
            except ArithmeticError:
                value = Decimal(-1)
            if not eq or not value.is_finite() or value < 0:
                raise ValidationError(_("Line %(n)s: each level needs points ≥ 0 after “=”.", n=number))
            levels.append({"label": label.strip(), "points": str(value)})
        if not levels:
            raise ValidationError(_("Line %(n)s: give at least one level.", n=number))
        rubric.append({"name": name.strip(), "levels": levels})
    return rubric


def rubric_text(rubric: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{c['name']}: " + "; ".join(f"{lv['label']} = {lv['points']}" for lv in c["levels"]) for c in rubric
    )


class AssignmentForm(ItemForm):
    description = MarkdownField(
        _l("Task"), validators=[Optional(), Length(max=100_000)], render_kw={"rows": 8}
    )
    due_at = DateTimeLocalField(_l("Due"), format=LOCAL, validators=[Optional()])
    cutoff_at = DateTimeLocalField(
        _l("Cut-off (no submissions after it)"), format=LOCAL, validators=[Optional()]
    )
    max_points = DecimalField(
        _l("Maximum points"),
        places=2,
        default=Decimal("10"),
        validators=[Optional(), NumberRange(min=Decimal("0.01"), max=10_000)],
    )
    rubric = TextAreaField(
        _l("Rubric (optional)"),
        render_kw={"rows": 4},
        description=_l(
            "One criterion per line: “Content: weak = 0; good = 6”. "
            "With a rubric the maximum is the sum of the best levels."
        ),
    )
    allow_text = BooleanField(_l("Online text"), default=True)
    allow_files = BooleanField(_l("Files"), default=True)
    allowed_extensions = StringField(
        _l("Allowed file types"),
        default="pdf,doc,docx,odt,txt,jpg,jpeg,png",
        validators=[Optional(), Length(max=255)],
    )
    max_file_mb = IntegerField(
        _l("Maximum file size, MB"), default=10, validators=[InputRequired(), NumberRange(min=1, max=64)]
    )
    max_files = IntegerField(
        _l("Maximum number of files"), default=5, validators=[InputRequired(), NumberRange(min=1, max=20)]
    )
    resubmission = BooleanField(_l("Resubmission allowed (until graded)"), default=True)

    def validate_rubric(self, field: Any) -> None:
        field.parsed = parse_rubric(field.data or "")


class PickedQuestionsField(Field):
    """The question ids ticked in the picker (templates/quiz/_picker.html draws the boxes under this
    field's name); the service refuses ids that are not the course bank's."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [int(v) for v in valuelist if str(v).isdigit()][:500]

    def pre_validate(self, form: Any) -> None:
        if not self.data:
            raise StopValidation(_("Tick at least one question."))

    def _value(self) -> str:
        return ""


class QuizItemForm(ItemForm):
    questions = PickedQuestionsField(_l("Questions from the course's bank"), default=list)
    time_limit_minutes = IntegerField(
        _l("Time limit, minutes"), validators=[Optional(), NumberRange(min=1, max=10_000)]
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed (empty: unlimited)"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    grading_method = SelectField(
        _l("Grading method"),
        default="highest",
        choices=options(
            [
                ("highest", _l("Highest")),
                ("average", _l("Average")),
                ("first", _l("First")),
                ("last", _l("Last")),
            ]
        ),
    )
    max_grade = DecimalField(
        _l("Maximum grade"),
        places=2,
        default=Decimal("10"),
        validators=[InputRequired(), NumberRange(min=Decimal("0.01"), max=100_000)],
    )
    opens_at = DateTimeLocalField(_l("Opens"), format=LOCAL, validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes"), format=LOCAL, validators=[Optional()])


class EnrolKeyForm(FlaskForm):
    key = StringField(
        _l("Enrolment key"), filters=[strip_whitespace], validators=[Optional(), Length(max=64)]
    )


class EnrolForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), filters=[strip_whitespace], validators=[DataRequired(), EmailAddress(), Length(max=255)]
    )
    role = SelectField(
        _l("Role in the course"),
        default="student",
        choices=options([("student", _l("Learner")), ("tutor", _l("Tutor"))]),
    )


class EnrolCsvForm(FlaskForm):
    file = FileField(_l("Class list file (.xlsx or .csv)"), validators=[DataRequired()])
    role = SelectField(
        _l("Role in the course"),
        default="student",
        choices=options([("student", _l("Learner")), ("tutor", _l("Tutor"))]),
    )
    valid_only = BooleanField(_l("Enrol the valid lines and list the others"))


class SubmissionForm(FlaskForm):
    text = TextAreaField(
        _l("Your answer"), validators=[Optional(), Length(max=200_000)], render_kw={"rows": 8}
    )
    files = MultipleFileField(_l("Files"))


class GradeForm(FlaskForm):
    points = DecimalField(_l("Points"), places=2, validators=[Optional()])
    feedback = TextAreaField(
        _l("Feedback"), validators=[Optional(), Length(max=20_000)], render_kw={"rows": 3}
    )


def rubric_grade_form(rubric: list[dict[str, Any]], formdata: Any = None, **kw: Any) -> GradeForm:
    """A grade form with one level choice per rubric criterion (fields `criterion_0`, `criterion_1`, …)."""

    class RubricGradeForm(GradeForm):
        pass

    for index, criterion in enumerate(rubric):
        choices = [(-1, "—")] + [
            (i, f"{lv['label']} ({lv['points']})") for i, lv in enumerate(criterion["levels"])
        ]
        setattr(
            RubricGradeForm,
            f"criterion_{index}",
            SelectField(criterion["name"], coerce=int, choices=options(choices), default=-1),
        )
    return RubricGradeForm(formdata=formdata, **kw) if formdata is not None else RubricGradeForm(**kw)


class OverrideForm(FlaskForm):
    item_id = IntegerField(validators=[InputRequired()])
    user_id = IntegerField(validators=[InputRequired()])
    points = StringField(_l("Points (empty: remove the override)"), validators=[Optional(), Length(max=20)])


class RowOverrideForm(FlaskForm):
    """A gradebook row: the student; the cells come as `p<item id>` fields (read by the view)."""

    user_id = IntegerField(validators=[InputRequired()])


class BackupImportForm(FlaskForm):
    file = FileField(
        _l("Course backup file: ours (.zip) or Moodle's (.mbz)"),
        validators=[DataRequired()],
        render_kw={"accept": ".zip,.mbz"},
    )
