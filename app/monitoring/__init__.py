"""Monitoring pages for the administrator, district methodists and school coordinators: reports
(report_pages), a school's card (school_card), exports (exports: XLSX and the annual PDF), and the
administrator's districts and scopes (districts)."""

from flask import Blueprint

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

from app.monitoring import districts, exports, report_pages, school_card  # noqa: E402,F401
