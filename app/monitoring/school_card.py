"""A school's card (GET /monitoring/school/<institution_id>?year=): the four reports' figures for one
institution on one page, each beside the year before, with the trend over the years and the shares
of the results drawn. The four reports' figures are kept per summary run (app.monitoring.report_cache):
a few queries whatever the data size."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup

from app.accounts import District
from app.extensions import db
from app.memo import remember
from app.monitoring import bp
from app.monitoring.report_cache import VERSIONS, Titles, report_numbers, scope_key, titles_of
from app.monitoring.viewing import (
    FilterError,
    Filters,
    charts_of,
    figure_text,
    read_filters,
    viewer_scope,
    year_choices,
)
from app.permissions.monitoring import MonitoringScope, can_recompute, can_view_district
from monitoring.academic_year import year_label
from monitoring.report_columns import report_title
from monitoring.report_data import ReportData, with_titles
from monitoring.report_shape import REPORTS
from monitoring.reports import report_pair


@bp.route("/school/<int:institution_id>")
@login_required
def school(institution_id: int) -> Any:
    scope = viewer_scope()
    try:
        filters = read_filters()
    except FilterError as error:  # _card's reports check the school is the viewer's first (403, 404)
        return _card(institution_id, scope, error.filters, error.fields), 422
    return _card(institution_id, scope, filters, {})


def _card(institution_id: int, scope: MonitoringScope, filters: Filters, errors: dict[str, str]) -> str:
    filters = Filters(filters.year, None, institution_id)
    kind, numbers = report_numbers(REPORTS, filters, scope)
    titles = titles_of(REPORTS, numbers)
    _ident, name, district_id = numbers[0].names[0]
    back = None  # the district's report the viewer came from (or the olympiads of the district)
    district = db.session.get(District, district_id) if district_id is not None else None
    if district is not None and can_view_district(scope, district.id):
        came_from = request.args.get("from", "")
        report = came_from if came_from in REPORTS else "olympiads"
        back = url_for("monitoring.report", report=report, year=filters.year, district_id=district.id)
    bodies: tuple[Markup, ...] = ()
    if not errors:
        bodies = remember(
            "monitoring.card_bodies",
            (filters, scope_key(scope), str(get_locale()), titles),
            VERSIONS,
            lambda: _bodies(numbers, titles, kind, scope, filters),
        )
    return render_template(
        "monitoring/school.html",
        name=name,
        back=back,
        district_name=district.name if district is not None else "",
        sections=list(zip(REPORTS, numbers, bodies, strict=False)),
        filters=filters,
        years=year_choices(filters.year),
        errors=errors,
        can_recompute=can_recompute(current_user),
        year_label=year_label,
        report_titles={report: report_title(report) for report in REPORTS},
    )


def _bodies(
    numbers: list[ReportData], titles: Titles, kind: str, scope: MonitoringScope, filters: Filters
) -> tuple[Markup, ...]:
    """Each report's section below its «computed at» line (that line has the recompute form with its
    token, so it stays out): the same for every viewer with this scope and language."""
    bodies = []
    for name, data in zip(REPORTS, numbers, strict=True):
        report = report_pair(name, with_titles(data, titles), filters.year, kind)[0]
        html = render_template(
            "monitoring/_school_section.html",
            report=report,
            charts=charts_of(report, scope, filters, ("trend",)),
            filters=filters,
            figure_text=figure_text,
            year_label=year_label,
        )
        bodies.append(Markup(html))
    return tuple(bodies)
