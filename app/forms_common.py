"""Pieces shared by forms in every room: institution and time-zone choices, domain errors on fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateTimeLocalField as PlainDateTimeLocalField
from wtforms import IntegerField as PlainIntegerField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.accounts import Institution
from app.domain_errors import DomainError
from app.extensions import db
from app.i18n import _
from app.input_guard import MAX_INT, MIN_INT
from app.time_zones import zone_choices
from app.timeutil import in_range, out_of_range_message


def strip_whitespace(value: object) -> object:
    """A WTForms filter: addresses and names pasted with spaces around them are still valid."""
    return value.strip() if isinstance(value, str) else value


class MarkdownField(TextAreaField):
    """A text written in Markdown: the page gives it the editor with a toolbar and a preview
    (static/js/markdown_editor.js finds it by `data-markdown`); without JavaScript it is a plain
    text area and still works."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = dict(kwargs.pop("render_kw", None) or {})
        render_kw.setdefault("data-markdown", "")
        render_kw.setdefault("rows", 8)
        super().__init__(*args, render_kw=render_kw, **kwargs)


class DateTimeLocalField(PlainDateTimeLocalField):
    """WTForms' datetime-local field limited to the years the app accepts, so the time typed in
    reaches timeutil.parse_local (and UTC) without overflowing: "0001-01-01T00:00" in Moscow or
    "9999-12-31T23:00" west of Greenwich get a message by the field instead of a server error."""

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not in_range(self.data):
            raise ValidationError(out_of_range_message())


class IntegerField(PlainIntegerField):
    """WTForms' integer field limited to the database's integer: an id or count of 2⁶³ typed into
    a form gets a message by the field instead of overflowing the query."""

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not MIN_INT <= self.data <= MAX_INT:
            raise ValidationError(_("Must be between %(lo)s and %(hi)s.", lo=MIN_INT, hi=MAX_INT))


def institution_choices(blank: bool = True) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Institution.id, Institution.name, Institution.district).order_by(Institution.name)
    ).all()
    choices = [(row.id, f"{row.name} ({row.district})" if row.district else row.name) for row in rows]
    return ([(0, _("— not chosen —"))] if blank else []) + choices


def timezone_choices(current: str | None = None) -> list[tuple[str, str]]:
    """Zones by city in the viewer's language («Самара (UTC+4)»), keeping a stored zone offered."""
    return zone_choices(current)


def select_options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms' SelectChoice (plain tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def form_status(form: FlaskForm) -> int:
    """422 when the form (or a service behind it) refused the data, else 200."""
    return 422 if form.errors or form.form_errors else 200


def apply_domain_error(form: FlaskForm, error: DomainError, fallback_field: str | None = None) -> None:
    """Put a service's refusal next to the fields it names (or the fallback field, or the form top)."""
    placed = False
    for name, message in error.fields.items():
        field = getattr(form, name, None) or getattr(form, name.removesuffix("_id"), None)
        if field is not None:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            placed = True
    if not placed:
        field = getattr(form, fallback_field, None) if fallback_field else None
        if field is not None:
            field.errors = (
                [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
            )
        else:
            form.form_errors.append(error.message)
