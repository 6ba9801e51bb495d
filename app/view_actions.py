"""The one shape of a view that calls a service: call it, show its refusal or its success, go on.

Every room's HTML views used to spell out the same try / flash / redirect block. Two cases remain:
a button (`act`: the refusal is flashed at the top of the page it goes back to) and a form
(`submit`: the refusal goes next to the fields it names and the view renders the form again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.domain_errors import DomainError
from app.forms_common import apply_domain_error

T = TypeVar("T")
Target = str | Callable[[Any], str]


def _where(target: Target, result: Any) -> str:
    return target(result) if callable(target) else target


def act(
    call: Callable[[], T], *, done: str | Callable[[T], str], then: Target, refused: Target | None = None
) -> Response:
    """Run a button's service call, flash what happened and redirect.

    `done` is the success message (or a function of the call's result); `then` is where to go
    (a URL, or a function of the result); `refused`, where to go after a refusal (default `then`,
    which must then be a plain URL)."""
    try:
        result = call()
    except DomainError as error:
        flash(error.message, "danger")
        target = refused if refused is not None else then
        return redirect(_where(target, None))
    flash(done(result) if callable(done) else done, "success")
    return redirect(_where(then, result))


def submit(
    form: FlaskForm,
    call: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    then: Target,
    field: str | None = None,
) -> Response | None:
    """Run a valid form's service call. On success flash `done` and return the redirect to `then`;
    on a refusal put the message by the fields it names (or `field`) and return None, so the view
    renders the form again (with `form_status(form)`, a 422)."""
    try:
        result = call()
    except DomainError as error:
        apply_domain_error(form, error, field)
        return None
    flash(done(result) if callable(done) else done, "success")
    return redirect(_where(then, result))
