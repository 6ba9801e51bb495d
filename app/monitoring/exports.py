"""Monitoring's downloads: a report as XLSX (GET /monitoring/<report>.xlsx with the page's filters)
and the annual report as PDF (GET /monitoring/annual.pdf?year=): the network's for the administrator,
a district methodist's districts, a coordinator's schools. The same scope checks as the pages."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_login import current_user, login_required

from app.domain_errors import Invalid
from app.exports import XLSX_MIME
from app.monitoring import bp
from app.monitoring.report_pages import REPORT_RULE
from app.monitoring.viewing import FilterError, Filters, read_filters, viewer_scope
from app.tabular_http import attachment
from monitoring.academic_year import year_label
from monitoring.exports import annual_pdf as draw_annual_pdf
from monitoring.exports import report_xlsx as draw_report_xlsx
from monitoring.reports import build_report


@bp.route(REPORT_RULE + ".xlsx")
@login_required
def report_xlsx(report: str) -> Any:
    scope = viewer_scope()
    filters = _filters()
    built = build_report(report, filters.year, scope, filters.district_id, filters.institution_id)
    name = f"{report}-{year_label(filters.year).replace('/', '-')}.xlsx"
    return attachment(draw_report_xlsx(built, zone=current_user.timezone), XLSX_MIME, name, private=True)


@bp.route("/annual.pdf")
@login_required
def annual_pdf() -> Any:
    scope = viewer_scope()
    filters = _filters()
    document = draw_annual_pdf(filters.year, scope, locale=str(get_locale() or "ru"))
    name = f"monitoring-{year_label(filters.year).replace('/', '-')}.pdf"
    return attachment(document, "application/pdf", name, private=True)


def _filters() -> Filters:
    """A file cannot carry a form: a bad filter is the 422 error page with its message."""
    try:
        return read_filters()
    except FilterError as error:
        raise Invalid(next(iter(error.fields.values())), error.fields) from None
