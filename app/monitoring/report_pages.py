"""Monitoring reports for the administrator, district methodists and school coordinators: the index
of reports (GET /monitoring/) and a report (GET /monitoring/<report>?year=&district_id=&institution_id=)
with its charts, its table beside the year before, and a drill-down from districts to schools to a
school's card. Each page runs the same few queries whatever the network's size: the figures come
from the summary tables through build_with_year_before, one read for the year and the year before."""

from __future__ import annotations

import re
from typing import Any

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from app.accounts import Institution
from app.extensions import db
from app.i18n import _
from app.memo import remember
from app.monitoring import bp
from app.monitoring.report_cache import VERSIONS, report_numbers, scope_key, titles_of
from app.monitoring.viewing import (
    FilterError,
    Filters,
    charts_of,
    district_choices,
    figure_text,
    read_filters,
    viewer_scope,
    year_choices,
)
from app.permissions import require
from app.permissions.monitoring import MonitoringScope, can_recompute
from app.templating import localtime
from app.timeutil import utcnow
from app.view_actions import act
from monitoring.academic_year import academic_year, year_label
from monitoring.recompute import recompute_now
from monitoring.report_columns import report_title
from monitoring.report_data import ReportData, with_titles
from monitoring.report_shape import REPORTS
from monitoring.reports import report_pair

REPORT_RULE = "/<any(" + ", ".join(REPORTS) + "):report>"
# Where «recompute now» may go back to: a monitoring page of this site (no dots, no backslashes).
SAME_ROOM = re.compile(r"^/monitoring(?:/[\w-]*)*(?:\?[^\\]*)?$")


@bp.route("/")
@login_required
def index() -> Any:
    """The reports the viewer may open, and their own schools' cards."""
    scope = viewer_scope()
    schools: list[tuple[int, str]] = []
    if not scope.everything and not scope.district_ids:
        found = db.session.execute(
            select(Institution.id, Institution.name)
            .where(Institution.id.in_(scope.institution_ids))
            .order_by(Institution.name)
        )
        schools = [(ident, name) for ident, name in found]
    return render_template(
        "monitoring/index.html",
        reports=[(name, report_title(name)) for name in REPORTS],
        schools=schools,
        year=academic_year(utcnow()),
        year_label=year_label,
    )


@bp.route(REPORT_RULE)
@login_required
def report(report: str) -> Any:
    scope = viewer_scope()
    try:
        filters = read_filters()
    except FilterError as error:
        return _filters_page(report, scope, error), 422
    kind, (data,) = report_numbers((report,), filters, scope)
    titles = titles_of((report,), [data])
    body = remember(
        "monitoring.report_body",
        (report, filters, scope_key(scope), str(get_locale()), titles),
        VERSIONS,
        lambda: _body(report, with_titles(data, titles), kind, scope, filters),
    )
    districts = district_choices(scope)
    district_name = next((name for ident, name in districts if ident == filters.district_id), None)
    return render_template(
        "monitoring/report.html",
        report=data,
        body=body,
        title=report_title(report),
        report_name=report,
        filters=filters,
        district_name=district_name,
        years=year_choices(filters.year),
        districts=districts,
        can_recompute=can_recompute(current_user),
        year_label=year_label,
        errors={},
    )


def _body(report: str, data: ReportData, kind: str, scope: MonitoringScope, filters: Filters) -> Markup:
    """The charts and tables: the same for every viewer with the same scope and language, so built
    once per summary run (and per change of the places' names or the contests' titles)."""
    shown, before = report_pair(report, data, filters.year, kind)
    html = render_template(
        "monitoring/_report_body.html",
        report=shown,
        title=shown.title,
        before={row.id: row.figures for row in before.rows},
        filters=filters,
        charts=charts_of(shown, scope, filters, ("bars", "trend", "stack")),
        figure_text=figure_text,
        year_label=year_label,
        row_url=_row_url(report, filters),
    )
    return Markup(html)


def _row_url(report: str, filters: Filters) -> Any:
    """Where a row leads: a district to its schools, a school to its card."""

    def url(row: Any) -> str:
        if row.kind == "district":
            if row.id == 0:
                return ""
            return url_for("monitoring.report", report=report, **filters.args(district_id=row.id))
        return url_for("monitoring.school", institution_id=row.id, year=filters.year)

    return url


def _filters_page(report: str, scope: MonitoringScope, error: FilterError) -> str:
    """The filters again with the message by the field, and no figures (nothing was asked right)."""
    return render_template(
        "monitoring/report.html",
        report=None,
        title=report_title(report),
        report_name=report,
        filters=error.filters,
        years=year_choices(error.filters.year),
        districts=district_choices(scope),
        errors=error.fields,
        can_recompute=False,
        year_label=year_label,
        heading=_("Check the filters"),
    )


@bp.route("/recompute", methods=["POST"])
@login_required
def recompute() -> Any:
    """The administrator's "recompute now": the tick job's work at once, recorded in the audit log
    with who asked, then back to the report."""
    require(current_user.is_authenticated and can_recompute(current_user))
    back = request.form.get("next", "")
    target = back if SAME_ROOM.match(back) else url_for("monitoring.index")
    return act(
        lambda: recompute_now(current_user, utcnow()),
        done=lambda moment: _("Recomputed at %(moment)s.", moment=localtime(moment)),
        then=target,
    )
