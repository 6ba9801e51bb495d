"""Rows of the contests' structured editors (templates/_macros/rows.html): awards, divisions and
jury criteria, each row checked by itself with messages by the field. A row left empty is skipped,
so the page can offer spare rows to browsers without JavaScript."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf.i18n import translations as wtforms_translations
from wtforms import DecimalField, Form, HiddenField, StringField
from wtforms.fields import FieldList
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import TextInput

from app.forms_common import IntegerField
from app.i18n import _, lazy_

SPARE_ROWS = 2
MAX_ROWS = 50


class LocalDecimalField(DecimalField):
    """A number as a Russian teacher types it: «12,5» is read like «12.5» (a text box with the
    phone's decimal keyboard, since a number box refuses the comma in some browsers)."""

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = dict(kwargs.pop("render_kw", None) or {})
        render_kw.setdefault("inputmode", "decimal")
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format(self.data.normalize(), "f").replace(".", ",")

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = Decimal(str(valuelist[0]).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            self.data = None
            raise ValueError(_("Enter a number, e.g. 12,5.")) from None
        if not self.data.is_finite():
            self.data = None
            raise ValueError(_("Enter a number, e.g. 12,5."))


class WholeNumberField(IntegerField):
    """A whole number with the message in the viewer's language when the text is not one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a whole number, e.g. 3.")) from None


class Between:
    """A range check by the field, silent when the field holds no number (its own message says why)."""

    def __init__(self, low: int | Decimal, high: int | Decimal) -> None:
        self.low, self.high = low, high

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(_("Must be between %(lo)s and %(hi)s.", lo=self.low, hi=self.high))


class RowForm(Form):
    """One row of a rows editor; an empty row (hidden fields aside) passes unchecked."""

    class Meta:
        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages in the viewer's language, as in the page's FlaskForm."""
            return wtforms_translations

    def is_blank(self) -> bool:
        for field in self:
            if field.type == "HiddenField":
                continue
            typed = any(str(value).strip() for value in (field.raw_data or []))
            data = field.data.strip() if isinstance(field.data, str) else field.data
            if typed or data not in (None, "", False):
                return False
        return True

    def validate(self, extra_validators: Any = None) -> bool:
        if self.is_blank():
            return True
        return super().validate(extra_validators)


def filled(rows: FieldList) -> list[Any]:
    """The row forms that hold something, in the order shown."""
    return [entry.form for entry in rows if not entry.form.is_blank()]


def add_spare_rows(rows: FieldList, spare: int = SPARE_ROWS) -> None:
    """Empty rows after the filled ones, for typing more without JavaScript."""
    while len(rows) < len(filled(rows)) + spare and len(rows) < MAX_ROWS:
        rows.append_entry()


def plain(value: Decimal | None) -> str | None:
    """A Decimal as stored text without exponent («100», «12.5»)."""
    return None if value is None else format(value.normalize(), "f")


class AwardRow(RowForm):
    """An award: its title and, optionally, places from–to, the top N % and a minimum % of the maximum."""

    title = StringField(lazy_("Award"), validators=[Length(max=255)])
    rank_from = WholeNumberField(lazy_("Places from"), validators=[Optional(), Between(1, 100_000)])
    rank_to = WholeNumberField(lazy_("Places to"), validators=[Optional(), Between(1, 100_000)])
    top_percent = LocalDecimalField(lazy_("Or the top, %"), validators=[Optional()])
    min_percent = LocalDecimalField(lazy_("At least, percent of the maximum"), validators=[Optional()])
    quota = HiddenField()

    def validate_title(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_("Name the award, e.g. Winner."))

    def validate_rank_to(self, field: IntegerField) -> None:
        if field.data is not None and self.rank_from.data is None:
            raise ValidationError(_("Enter the first place too."))
        if field.data is not None and self.rank_from.data is not None and field.data < self.rank_from.data:
            raise ValidationError(_("Must not be less than the first place."))

    def validate_top_percent(self, field: LocalDecimalField) -> None:
        if field.data is not None and not Decimal(0) < field.data <= 100:
            raise ValidationError(_("The percentage must be above 0 and at most 100."))

    def validate_min_percent(self, field: LocalDecimalField) -> None:
        if field.data is not None and not Decimal(0) <= field.data <= 100:
            raise ValidationError(_("Must be between %(lo)s and %(hi)s.", lo=0, hi=100))

    def rule(self) -> dict[str, Any]:
        """The award as the contest stores it (the API's shape)."""
        first = self.rank_from.data
        rule: dict[str, Any] = {
            "title": (self.title.data or "").strip(),
            "ranks": None if first is None else [first, self.rank_to.data or first],
            "top_percent": plain(self.top_percent.data),
            "min_percent_of_max": plain(self.min_percent.data),
        }
        if self.quota.data in ("0", "1"):
            rule["counts_in_quota"] = self.quota.data == "1"
        return rule


def award_rows(rules: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored award rules as the rows' data, for editing."""
    rows = []
    for rule in rules:
        ranks = rule.get("ranks") or [None, None]
        quota = rule.get("counts_in_quota")
        rows.append(
            {
                "title": rule.get("title", ""),
                "rank_from": ranks[0],
                "rank_to": ranks[1],
                "top_percent": _decimal(rule.get("top_percent")),
                "min_percent": _decimal(rule.get("min_percent_of_max")),
                "quota": "" if quota is None else ("1" if quota else "0"),
            }
        )
    return rows


class DivisionRow(RowForm):
    """A division (номинация); `key` (its id) keeps a stored one's identity when it is renamed."""

    key = HiddenField()
    name = StringField(lazy_("Division"), validators=[Length(max=100)])

    def validate_name(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_("Name the division."))


def division_names(rows: FieldList) -> list[str]:
    return [(row.name.data or "").strip() for row in filled(rows)]


def check_distinct_divisions(rows: FieldList) -> None:
    """At least one division, and no name twice (the second one is marked)."""
    seen: set[str] = set()
    twice = False
    for row in filled(rows):
        name = (row.name.data or "").strip().casefold()
        if name in seen:
            row.name.errors = [*row.name.errors, _("This division is already in the list.")]
            twice = True
        seen.add(name)
    if not seen:
        raise ValidationError(_("Add at least one division."))
    if twice:
        raise ValidationError(_("Division names must differ."))


class CriterionRow(RowForm):
    """A jury criterion: name, maximum points (10 when left empty) and weight (1 when left empty)."""

    name = StringField(lazy_("Criterion"), validators=[Length(max=200)])
    max_points = LocalDecimalField(
        lazy_("Maximum points"), validators=[Optional()], render_kw={"placeholder": "10"}
    )
    weight = LocalDecimalField(lazy_("Weight"), validators=[Optional()], render_kw={"placeholder": "1"})

    def validate_name(self, field: StringField) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_("Name the criterion."))

    def validate_max_points(self, field: LocalDecimalField) -> None:
        if field.data is not None and not _hundredths(field.data, positive=True):
            raise ValidationError(_("More than 0, at most two decimal places, e.g. 10 or 2,5."))

    def validate_weight(self, field: LocalDecimalField) -> None:
        if field.data is not None and not _hundredths(field.data, positive=False):
            raise ValidationError(_("0 or more, at most two decimal places, e.g. 1 or 0,5."))

    def criterion(self) -> dict[str, Any]:
        return {
            "name": (self.name.data or "").strip(),
            "max_points": plain(self.max_points.data) or "10",
            "weight": plain(self.weight.data) or "1",
        }


def _hundredths(value: Decimal, *, positive: bool) -> bool:
    """What the points columns store: at most two places, below a million, not negative."""
    return (
        value == value.quantize(Decimal("0.01"))
        and Decimal(0) <= value < Decimal(10) ** 6
        and (value > 0 or not positive)
    )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
