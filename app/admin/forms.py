from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts import ROLE_LABELS
from app.email_address import EmailAddress
from app.forms_common import strip_whitespace
from app.i18n import lazy_ as _l


def role_choices() -> list[tuple[str, object]]:
    return [(role.value, label) for role, label in ROLE_LABELS.items()]


class InstitutionForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)])
    district = StringField(_l("District"), validators=[Optional(), Length(max=255)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=255)])


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
