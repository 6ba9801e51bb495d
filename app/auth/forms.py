from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.email_address import EmailAddress
from app.forms_common import strip_whitespace
from app.i18n import lazy_ as _l


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), filters=[strip_whitespace], validators=[DataRequired(), EmailAddress(), Length(max=255)]
    )
    full_name = StringField(
        _l("Full name"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)]
    )
    institution = SelectField(_l("Institution"), coerce=int)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=200)])
    password2 = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Remember me"))


class ForgotForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), filters=[strip_whitespace], validators=[DataRequired(), EmailAddress(), Length(max=255)]
    )


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=200)])
    password2 = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=200)])
    password2 = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ProfileForm(FlaskForm):
    full_name = StringField(
        _l("Full name"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=255)]
    )
    institution = SelectField(_l("Institution"), coerce=int)
    timezone = SelectField(_l("Time zone"))
    locale = SelectField(_l("Language"))
