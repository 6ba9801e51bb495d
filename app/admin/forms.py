from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts import ROLE_LABELS, Institution, InstitutionType
from app.districts import district_choices
from app.email_address import EmailAddress
from app.forms_common import strip_whitespace
from app.i18n import lazy_ as _l
from app.institutions import INSTITUTION_TYPE_LABELS


def role_choices() -> list[tuple[str, object]]:
    return [(role.value, label) for role, label in ROLE_LABELS.items()]


class InstitutionForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)])
    # Checked by the service (an unknown value gets a message by the field); absent keeps the old one.
    type = SelectField(_l("Type"), validate_choice=False)
    district_id = SelectField(_l("District"), coerce=int, validate_choice=False)
    # A district not yet in the list: made on saving (the districts page manages them all).
    district = StringField(
        _l("Or a new district"),
        validators=[Optional(), Length(max=255)],
        description=_l("Leave empty when the district is chosen above."),
    )
    region = StringField(_l("Region of the new district"), validators=[Optional(), Length(max=255)])


def institution_form_choices(form: InstitutionForm, institution: Institution | None, *, fresh: bool) -> None:
    """The type and district choices; a fresh form shows the institution's district chosen in the
    list and the new-district fields empty."""
    form.type.choices = [(kind.value, label) for kind, label in INSTITUTION_TYPE_LABELS.items()]
    form.district_id.choices = [(0, _l("— not chosen —")), *district_choices()]
    if fresh:
        form.type.data = str(institution.type) if institution else InstitutionType.SCHOOL.value
        form.district_id.data = (institution.district_id if institution else None) or 0
        form.district.data, form.region.data = "", ""


class UserEditForm(FlaskForm):
    role = SelectField(_l("Site role"))
    institution = SelectField(_l("Institution"), coerce=int)
    active = BooleanField(_l("Active"))


class UserCreateForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), filters=[strip_whitespace], validators=[DataRequired(), EmailAddress(), Length(max=255)]
    )
    full_name = StringField(
        _l("Full name"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)]
    )
    role = SelectField(_l("Site role"))
    institution = SelectField(_l("Institution"), coerce=int)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=200)])


class UserImportForm(FlaskForm):
    file = FileField(
        _l("Table of users (CSV or XLSX)"),
        validators=[DataRequired()],
        description=_l(
            "CSV from Excel (Windows-1251 or UTF-8, separated by “;”, “,” or TAB) "
            "or an Excel workbook (.xlsx)."
        ),
    )
    valid_only = BooleanField(_l("Import the valid lines and list the others"))
