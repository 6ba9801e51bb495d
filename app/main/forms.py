from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


class LanguageForm(FlaskForm):
    locale = HiddenField()
    next = HiddenField()
