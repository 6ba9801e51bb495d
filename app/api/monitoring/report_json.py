"""Monitoring reports as the API's JSON (shared/API.md «Monitoring»): rows keyed by
`institution_id` or `district_id` with their name and figures, counts as numbers and shares as
decimal strings ("0.4200"); totals, the year before, the trend and the breakdowns beside them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from monitoring.academic_year import year_label
from monitoring.report_shape import Figure, Report, Row
from monitoring.school_card import SchoolCard


def figures_json(figures: dict[str, Figure]) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in figures.items()}


def row_json(row: Row) -> dict[str, Any]:
    key = {"institution": "institution_id", "district": "district_id"}.get(row.kind, "id")
    body: dict[str, Any] = {key: row.id, "name": row.name}
    if row.kind == "institution":
        body["district_id"] = row.district_id
    body.update(figures_json(row.figures))
    return body


def breakdown_json(row: Row) -> dict[str, Any]:
    body: dict[str, Any] = {"name": row.name}
    if row.kind == "contest":
        body["contest_id"] = row.id
    body.update(figures_json(row.figures))
    return body


def report_json(report: Report) -> dict[str, Any]:
    breakdowns = {
        rows[0].kind: [breakdown_json(row) for row in rows] for rows in report.breakdowns.values() if rows
    }
    return {
        "report": report.name,
        "title": report.title,
        "computed_at": report.computed_at.isoformat() if report.computed_at else None,
        "year": report.year,
        "year_label": year_label(report.year),
        "columns": [{"key": c.key, "label": c.label, "share": c.share} for c in report.columns],
        "rows": [row_json(row) for row in report.rows],
        "totals": figures_json(report.totals),
        "previous_year": report.year - 1,
        "previous_totals": figures_json(report.previous_totals),
        "trend": [{"year": year, **figures_json(totals)} for year, totals in report.trend.items()],
        "breakdowns": breakdowns,
    }


def card_json(card: SchoolCard) -> dict[str, Any]:
    return {
        "computed_at": card.computed_at.isoformat() if card.computed_at else None,
        "year": card.year,
        "year_label": year_label(card.year),
        "institution": {
            "institution_id": card.institution_id,
            "name": card.name,
            "type": card.type,
            "district_id": card.district_id,
            "district": card.district,
            "region": card.region,
        },
        "reports": {name: report_json(report) for name, report in card.reports.items()},
    }
