"""A school's card: the four reports' figures for one institution and one academic year on one page
(with the year before and the trend, as every report has), built by the same report builders so the
card and the reports can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.accounts import Institution
from app.domain_errors import NotFound
from app.extensions import db
from app.i18n import _
from monitoring.report_columns import report_title
from monitoring.report_shape import REPORTS, Column, Figure, Report, Row
from monitoring.reports import build_report


@dataclass(frozen=True)
class _Everything:
    """The card is asked for after the viewer's permission was checked (the view or the API)."""

    everything: bool = True
    district_ids: frozenset[int] = frozenset()
    institution_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SchoolCard:
    institution_id: int
    name: str
    type: str
    district_id: int | None
    district: str
    region: str
    year: int
    reports: dict[str, Report]  # by name, in REPORTS' order

    @property
    def computed_at(self) -> datetime | None:
        """The oldest of the reports' runs (the card is no fresher than that); None if never run."""
        computed = [r.computed_at for r in self.reports.values() if r.computed_at is not None]
        return min(computed) if computed else None


def school_card(institution_id: int, year: int) -> SchoolCard:
    """Raises NotFound for an unknown institution; the caller checks that the viewer may see it."""
    found = db.session.execute(
        select(
            Institution.name,
            Institution.type,
            Institution.district_id,
            Institution.district,
            Institution.region,
        ).where(Institution.id == institution_id)
    ).one_or_none()
    if found is None:
        raise NotFound(_("No such institution."))
    name, kind, district_id, district, region = found
    reports = {
        name_: build_report(name_, year, _Everything(), institution_id=institution_id) for name_ in REPORTS
    }
    return SchoolCard(
        institution_id=institution_id,
        name=name,
        type=str(kind),
        district_id=district_id,
        district=district,
        region=region,
        year=year,
        reports=reports,
    )


def card_as_report(card: SchoolCard) -> Report:
    """The card as one report (one row, every report's columns prefixed with its name), for the
    XLSX export, which takes one report."""
    columns: list[Column] = []
    figures: dict[str, Figure] = {}
    previous: dict[str, Figure] = {}
    for name, report in card.reports.items():
        title = report_title(name)
        for column in report.columns:
            key = f"{name}.{column.key}"
            columns.append(Column(key, f"{title}: {column.label}", column.share))
            figures[key] = report.totals[column.key]
            previous[key] = report.previous_totals[column.key]
    row = Row("institution", card.institution_id, card.name, dict(figures), card.district_id)
    return Report(
        name="school",
        title=card.name,
        year=card.year,
        computed_at=card.computed_at,
        columns=columns,
        rows=[row],
        totals=dict(row.figures),
        previous_totals=previous,
    )
