"""Monitoring API: a report of the caller's scope (JSON or XLSX), a school's card, and the
administrator's «recompute now». Scope checks live in app.permissions.monitoring; the report
builders refuse anything outside the scope a second time (403), an unknown report or year is 422."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import MethodNotAllowed

from app.api.core import ApiError, api_user, endpoint, query_int, require_api
from app.api.monitoring.report_json import card_json, report_json
from app.i18n import _
from app.monitoring.report_cache import report_numbers, titles_of
from app.monitoring.viewing import Filters
from app.permissions.monitoring import (
    can_recompute,
    can_view_institution,
    can_view_monitoring,
    monitoring_scope,
)
from app.tabular_http import xlsx_response
from app.timeutil import utcnow
from monitoring.exports import report_xlsx
from monitoring.recompute import recompute_now
from monitoring.report_data import with_titles
from monitoring.reports import check_report, report_pair, resolve_year
from monitoring.school_card import card_as_report, school_card

FORMATS = ("json", "xlsx")
REPORT_QUERY = {"year": "string", "district_id": "integer", "institution_id": "integer", "format": "string"}


def _format() -> str:
    wanted = request.args.get("format", "") or "json"
    if wanted not in FORMATS:
        message = _("Choose json or xlsx.")
        raise ApiError(422, _("The data is invalid."), {"format": message})
    return wanted


@endpoint(
    "/monitoring/<report>",
    summary="A monitoring report (qualification, olympiads, teacher_contests, activity) for an academic "
    "year (2025 or 2025/26), by district or by institution within the caller's scope; format=json|xlsx",
    tag="monitoring",
    query=REPORT_QUERY,
)
def get_report(report: str) -> Any:
    if report == "recompute":  # the POST below: a GET of it is a 405 with Allow, not an unknown report
        raise MethodNotAllowed(valid_methods=["POST"])
    actor = api_user()
    require_api(can_view_monitoring(actor))
    check_report(report)
    wanted = _format()
    year = resolve_year(request.args.get("year"), utcnow())
    district_id = query_int("district_id")
    institution_id = query_int("institution_id")
    scope = monitoring_scope(actor)
    if institution_id is not None:
        require_api(can_view_institution(scope, institution_id))
    # The figures kept per summary run, as the pages keep them (app/monitoring/report_cache.py).
    kind, (numbers,) = report_numbers((report,), Filters(year, district_id, institution_id), scope)
    built = report_pair(report, with_titles(numbers, titles_of((report,), [numbers])), year, kind)[0]
    if wanted == "xlsx":
        return xlsx_response(report_xlsx(built, zone=actor.timezone), f"monitoring-{report}-{year}.xlsx")
    return report_json(built)


@endpoint(
    "/monitoring/school/<int:institution_id>",
    summary="A school's card: the four reports' figures for one institution in an academic year; "
    "format=json|xlsx",
    tag="monitoring",
    query={"year": "string", "format": "string"},
)
def get_school(institution_id: int) -> Any:
    actor = api_user()
    require_api(can_view_monitoring(actor))
    wanted = _format()
    year = resolve_year(request.args.get("year"), utcnow())
    require_api(can_view_institution(monitoring_scope(actor), institution_id))
    card = school_card(institution_id, year)
    if wanted == "xlsx":
        return xlsx_response(
            report_xlsx(card_as_report(card), zone=actor.timezone),
            f"monitoring-school-{institution_id}-{year}.xlsx",
        )
    return card_json(card)


@endpoint(
    "/monitoring/recompute",
    "POST",
    summary="Recompute every monitoring summary table now (administrator); the clock does it hourly",
    tag="monitoring",
    response={"type": "object", "properties": {"computed_at": {"type": "string", "format": "date-time"}}},
)
def recompute() -> Any:
    actor = api_user()
    require_api(can_recompute(actor))
    computed_at = recompute_now(actor, utcnow())
    return {"computed_at": computed_at.isoformat()}
