"""Jury room: the one place that turns the jury's rule codes into translated text (spec problems,
mark problems, allocation shortfalls), so rewording a message never changes which field shows it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from app.domain_errors import Invalid
from app.i18n import _
from contest_engine.jury.spec import Problem, SpecError
from contest_engine.rules import allocation as allocation_rules
from contest_engine.rules import scoring

_TEXTS: dict[str, Callable[[Mapping[str, object]], str]] = {
    "not_an_object": lambda p: _("Must be an object."),
    "not_a_list": lambda p: _("Must be a list."),
    "not_a_boolean": lambda p: _("Must be true or false."),
    "too_long": lambda p: _("Too long (at most %(n)s characters).", n=p["n"]),
    "one_of": lambda p: _("Must be one of: %(values)s.", values=p["values"]),
    "criteria_required": lambda p: _("Give at least one criterion."),
    "criteria_too_many": lambda p: _("At most %(n)d criteria.", n=p["n"]),
    "criterion_name_required": lambda p: _("Enter the criterion's name."),
    "criterion_name_duplicate": lambda p: _("Criterion names must be unique."),
    "points_positive": lambda p: _("Must be a number above 0 with at most 2 decimal places."),
    "points_not_negative": lambda p: _("Must be a number of at least 0 with at most 2 decimal places."),
    "jurors_per_entry": lambda p: _("Must be empty (every juror) or a whole number of at least 1."),
    "iso_time": lambda p: _("Must be a date and time in ISO 8601 with an offset."),
}


def text(problem: Problem) -> str:
    """The translated text of one rule problem."""
    return _TEXTS[problem.code](problem.params)


def spec_invalid(error: SpecError) -> Invalid:
    """A spec's problems as one Invalid: the first message on top, every field with its own."""
    fields = {name: text(problem) for name, problem in error.problems.items()}
    return Invalid(next(iter(fields.values())), fields)


_MARK_TEXTS: dict[str, Callable[[scoring.Criterion | None], str]] = {
    "not_a_number": lambda c: _("Must be a number."),
    "below_zero": lambda c: _("Must be at least %(n)s.", n=0),
    "above_maximum": lambda c: _("Must be at most %(n)s.", n=c.max_points if c else ""),
    "unknown_criterion": lambda c: _("There is no such criterion."),
    "missing": lambda c: _("Give points for this criterion."),
}


def marks_invalid(error: scoring.MarkError, criteria: Sequence[scoring.Criterion]) -> Invalid:
    """A juror's refused marks by the field `criteria.<criterion name>` (the API's body key), each
    worded from its code (the maximum read from the criterion itself)."""
    by_name = {criterion.name: criterion for criterion in criteria}
    fields = {f"criteria.{name}": _MARK_TEXTS[code](by_name.get(name)) for name, code in error.codes.items()}
    return Invalid(_("Some points are invalid."), fields)


def shortfall(item: allocation_rules.Shortfall, section: str) -> str:
    """One entry the allocation cannot serve: how many jurors it has without a conflict, and needs."""
    return _(
        "Entry #%(entry)s%(section)s: %(eligible)d jurors without a conflict, %(needed)d needed.",
        entry=item.entry_id,
        eligible=item.eligible,
        needed=item.required,
        section=(" (" + _("section “%(name)s”", name=section) + ")") if section else "",
    )
