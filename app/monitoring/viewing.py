"""What the monitoring pages share: reading the filters (year, district, institution) from the query
string, the viewer's scope, figures written in the viewer's language, and the charts of a report.

A bad year is not a 500 nor a silent default: the page answers 422 with the message by the year
field (FilterError); an unknown district or institution is a 404 and one outside the scope a 403
(build_report raises both)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app.accounts import District
from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import _
from app.permissions import require
from app.permissions.monitoring import MonitoringScope, can_view_monitoring, monitoring_scope
from app.timeutil import utcnow
from monitoring.academic_year import academic_year, year_label
from monitoring.annual_layout import number
from monitoring.charts import Chart, report_charts
from monitoring.report_shape import Figure, Report
from monitoring.reports import resolve_year

YEARS_OFFERED = 6  # the year select offers the current academic year and the five before


@dataclass(frozen=True)
class Filters:
    year: int
    district_id: int | None = None
    institution_id: int | None = None

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query string of these filters (for links, exports and the year before)."""
        values = {"year": self.year, "district_id": self.district_id, "institution_id": self.institution_id}
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}


class FilterError(Exception):
    """A filter the page cannot use: the message goes beside its field, the status is 422."""

    def __init__(self, fields: dict[str, str], filters: Filters) -> None:
        super().__init__(fields)
        self.fields = fields
        self.filters = filters


def viewer_scope() -> MonitoringScope:
    """The viewer's scope, or 403: teachers, pupils and a methodist or coordinator with nothing to
    see have no monitoring."""
    require(current_user.is_authenticated and can_view_monitoring(current_user))
    scope = monitoring_scope(current_user)
    require(not scope.empty)
    return scope


def read_filters() -> Filters:
    """The filters of the query string; FilterError (422) for a year outside 2000..now or an id that
    is not a positive whole number."""
    current = academic_year(utcnow())
    fields: dict[str, str] = {}
    try:
        year = resolve_year(request.args.get("year"), utcnow())
    except Invalid as error:
        fields.update(error.fields)
        year = current
    ids: dict[str, int | None] = {}
    for name in ("district_id", "institution_id"):
        text = request.args.get(name, "").strip()
        ids[name] = None
        if text:
            if text.isdigit() and 0 < int(text) < 2**31:
                ids[name] = int(text)
            else:
                fields[name] = _("Choose from the list.")
    filters = Filters(year, ids["district_id"], ids["institution_id"])
    if fields:
        raise FilterError(fields, filters)
    return filters


def year_choices(selected: int) -> list[tuple[int, str]]:
    current = academic_year(utcnow())
    years = sorted({*range(current - YEARS_OFFERED + 1, current + 1), selected}, reverse=True)
    return [(year, year_label(year)) for year in years]


def district_choices(scope: MonitoringScope) -> list[tuple[int, str]]:
    """The districts the viewer may choose (one query); a coordinator chooses schools, not districts."""
    if not scope.everything and not scope.district_ids:
        return []
    query = select(District.id, District.name).order_by(District.name)
    if not scope.everything:
        query = query.where(District.id.in_(scope.district_ids))
    return [(ident, name) for ident, name in db.session.execute(query).all()]


def figure_text(value: Figure, share: bool) -> str:
    """«42 %» for a share, «1 234» for a count, in the viewer's language (the PDF's formatter)."""
    return number(value, share, str(get_locale() or "ru"))


def charts_of(report: Report, scope: MonitoringScope, filters: Filters, kinds: tuple[str, ...]) -> list[Any]:
    """The report's charts with their SVG marked safe: matplotlib escapes the text it writes (names
    are user text), and charts.py removes everything but the drawing."""
    labels = {
        "name": _("District") if report.rows and report.rows[0].kind == "district" else _("Institution"),
        "year": _("Academic year"),
        "stack": _("Shares of the results"),
        "trend": _("by academic year"),
    }
    key = (
        scope.everything,
        tuple(sorted(scope.district_ids)),
        tuple(sorted(scope.institution_ids)),
        filters.district_id,
        filters.institution_id,
        str(get_locale()),
    )
    charts = report_charts(report, labels=labels, fmt=figure_text, cache_key=key, kinds=kinds)
    return [_Shown(chart, Markup(chart.svg)) for chart in charts]  # noqa: S704 (see the docstring)


@dataclass(frozen=True)
class _Shown:
    chart: Chart
    svg: Markup

    def __getattr__(self, name: str) -> Any:
        return getattr(self.chart, name)
