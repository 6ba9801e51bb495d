"""Contest pages: loading a contest or stage the viewer may see (404 otherwise), the organiser
check, a refusal's field paths renamed for a form, and the round form the stage page and the round
action share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.contests import forms
from app.domain_errors import DomainError
from app.extensions import db
from app.permissions import contests as can
from app.permissions import require
from contest_engine.models import Contest, Stage
from courses.quiz.models import Question

T = TypeVar("T")


def contest_or_404(contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or not can.can_view_contest(current_user, contest):
        abort(404)
    return contest


def stage_or_404(stage_id: int) -> tuple[Stage, Contest]:
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        abort(404)
    return stage, contest_or_404(stage.contest_id)


def require_organiser(contest: Contest) -> None:
    require(can.can_organise_contest(current_user, contest.id))


def flash_form_errors(form: FlaskForm) -> None:
    """A button's small form that failed its checks: its messages go to the top of the page."""
    for field_errors in form.errors.values():
        for message in field_errors:
            flash(message, "danger")


def round_form(contest: Contest, *, submitted: bool = True) -> forms.RoundForm:
    """The olympiad round form, offering the contest bank's visible questions; reading the request
    only when it was `submitted` (another form posted to the stage page leaves its defaults)."""
    form = forms.RoundForm(prefix="round") if submitted else forms.RoundForm(prefix="round", formdata=None)
    if contest.bank_id is not None:
        form.question_ids.choices = forms.options(
            (q.id, q.name)
            for q in db.session.scalars(
                select(Question)
                .where(Question.bank_id == contest.bank_id, Question.hidden.is_(False))
                .order_by(Question.id)
                .limit(500)
            )
        )
    else:
        form.question_ids.choices = []
    return form


def renamed(call: Callable[[], T], field: Callable[[str], str]) -> T:
    """Run `call`; a refusal's field paths (`stages.0.opens_at`) become the form's field names."""
    try:
        return call()
    except DomainError as error:
        raise type(error)(error.message, {field(k): v for k, v in error.fields.items()}) from None
