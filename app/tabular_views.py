"""The one shape of an import page's POST: call the import, then either go on (every line taken),
or show the report — each refused line with its number, original text and reason — with the
file field saying why nothing was written (422), or the count written when the user chose to
import the valid lines (200)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.domain_errors import DomainError
from app.forms_common import apply_domain_error
from app.i18n import _
from app.tabular import LineError

R = TypeVar("R")


@dataclass
class ImportShown:
    """What the page shows after an import that did not go through cleanly."""

    errors: list[LineError] = field(default_factory=list)
    written: int = 0
    status: int = 200


def run_import(
    form: FlaskForm,
    call: Callable[[], R],
    *,
    written: Callable[[R], int],
    done: Callable[[R], str],
    then: str,
    file_field: str = "file",
) -> Response | ImportShown:
    """Run a valid form's import: a redirect when no line was refused, else what to show."""
    try:
        report = call()
    except DomainError as error:
        apply_domain_error(form, error, file_field)
        return ImportShown(status=422)
    errors: list[LineError] = list(getattr(report, "errors", []))
    count = written(report)
    if not errors:
        flash(done(report), "success")
        return redirect(then)
    if count:
        flash(done(report), "success")
        return ImportShown(errors, count, 200)
    target: Any = getattr(form, file_field, None)
    if target is not None:
        target.errors = [_("Nothing was imported: fix the lines below, or choose to import the valid ones.")]
    return ImportShown(errors, 0, 422)
