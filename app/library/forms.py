"""Library forms of the material's author: they check shapes (lengths, choices); the authoring
service checks the rules (title, subjects, grades, links, files, association)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms_common import MarkdownField, select_options, strip_whitespace
from app.i18n import _
from app.i18n import lazy_ as _l
from app.input_guard import bounded_int
from community.associations.models import Association
from community.library.labels import KIND_LABELS
from community.library.material_rules import GRADES, SUMMARY_MAX, TITLE_MAX
from community.subjects import Subject


class MaterialForm(FlaskForm):
    title = StringField(
        _l("Title"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=TITLE_MAX)]
    )
    summary = MarkdownField(
        _l("Summary (Markdown)"),
        validators=[Optional(), Length(max=SUMMARY_MAX)],
        render_kw={"rows": 8},
        description=_l("What the material is for, the class, the goals, how to use it."),
    )
    kind = SelectField(_l("Kind"))
    subjects = SelectMultipleField(_l("Subjects"), coerce=bounded_int, render_kw={"size": 8})
    grades = SelectMultipleField(
        _l("School grades"),
        coerce=bounded_int,
        render_kw={"size": 6},
        description=_l("Leave empty if the material is not for particular grades."),
    )
    association_id = SelectField(_l("Methodical association"), coerce=bounded_int)
    links = TextAreaField(
        _l("Links"),
        validators=[Optional(), Length(max=50_000)],
        render_kw={"rows": 3, "placeholder": "https://resh.edu.ru/… Урок на РЭШ"},
        description=_l("One link a line: the address (http:// or https://), then a space and its title."),
    )
    files = MultipleFileField(
        _l("Files"),
        description=_l(
            "Documents up to 20 MB, presentations up to 50 MB, PDF up to 30 MB, images up to 10 MB, "
            "archives (ZIP, RAR, 7z) up to 50 MB."
        ),
    )
    drop_files = SelectMultipleField(_l("Remove files"), coerce=bounded_int)

    def fill_choices(
        self,
        subjects: list[Subject],
        associations: list[Association],
        locale: str,
        files: list[tuple[int, str]],
    ) -> None:
        self.kind.choices = select_options((value, str(label)) for value, label in KIND_LABELS.items())
        self.subjects.choices = select_options((s.id, s.label(locale)) for s in subjects)
        self.grades.choices = select_options((g, _("Grade %(number)s", number=g)) for g in GRADES)
        self.association_id.choices = select_options(
            [(0, _("— none —"))] + [(a.id, a.name) for a in associations]
        )
        self.drop_files.choices = select_options(files)
