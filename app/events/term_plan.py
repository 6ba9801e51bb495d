"""The methodical centre's term plan: choose a half-year (and the calendar's filters), look at the
webinars and open lessons it holds, download it as XLSX or PDF for the order that approves it."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.events import bp
from app.events.calendar_views import viewer
from app.exports import XLSX_MIME
from app.permissions import require
from app.permissions.events import can_create_events
from app.tabular_http import attachment
from app.timeutil import DEFAULT_TIMEZONE, to_zone, utcnow
from community.events import calendar, term_plan
from community.events.messages import refusal
from community.rules import RuleError


@bp.route("/events/term-plan")
@login_required
def term_plan_page() -> Any:
    require(can_create_events(current_user))
    term, filters, today = _request()
    rows = term_plan.plan_rows(term, filters, viewer())
    return render_template(
        "events/term_plan.html",
        term=term,
        terms=term_plan.recent_terms(today),
        rows=rows,
        args={**filters.as_args(), "term": term.key},
    )


@bp.route("/events/term-plan.xlsx")
@login_required
def term_plan_xlsx() -> Response:
    require(can_create_events(current_user))
    term, filters, today = _request()
    data = term_plan.plan_xlsx(term, term_plan.plan_rows(term, filters, viewer()), today)
    return attachment(data, XLSX_MIME, f"term-plan-{term.key}.xlsx", private=True)


@bp.route("/events/term-plan.pdf")
@login_required
def term_plan_pdf() -> Response:
    require(can_create_events(current_user))
    term, filters, today = _request()
    data = term_plan.plan_pdf(term, term_plan.plan_rows(term, filters, viewer()), today)
    return attachment(data, "application/pdf", f"term-plan-{term.key}.pdf", private=True)


def _request() -> tuple[term_plan.Term, calendar.Filters, Any]:
    """The chosen term (the current one by default; a malformed one is a 422 with its message)."""
    today = to_zone(utcnow(), current_user.timezone or DEFAULT_TIMEZONE).date()
    raw = request.args.get("term")
    try:
        term = term_plan.parse_term(raw) if raw else term_plan.current_term(today)
    except RuleError as error:
        raise refusal(error) from None
    return term, calendar.read_filters(request.args, strict=False), today
