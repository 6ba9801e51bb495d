"""The shape every monitoring report has, whatever it counts (pure: plain values only).

The report builders (monitoring.reports) fill it from the summary tables; the pages, charts, XLSX
and PDF exports (app/monitoring, monitoring.charts, monitoring.exports) and the API read it. A row is
one institution or one district; `figures` are counts (ints) or shares (Decimal between 0 and 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

Figure = int | Decimal

REPORTS = ("qualification", "olympiads", "teacher_contests", "activity")


@dataclass(frozen=True)
class Column:
    key: str  # the figure's key in rows and in the API, e.g. "participants"
    label: str  # translated heading
    share: bool = False  # a share (shown as a percentage, sent as a decimal string)


@dataclass(frozen=True)
class Row:
    kind: str  # "institution" or "district"
    id: int
    name: str
    figures: dict[str, Figure]
    district_id: int | None = None  # an institution's district (for drilling up)


@dataclass(frozen=True)
class Report:
    name: str  # one of REPORTS
    title: str
    year: int  # the academic year's first calendar year: 2025 is 2025/26
    computed_at: datetime | None  # None: never computed yet
    columns: list[Column]
    rows: list[Row]
    totals: dict[str, Figure]
    previous_totals: dict[str, Figure]  # the same figures for the year before
    # Optional breakdowns (e.g. by contest, subject or grade for olympiads): title -> rows.
    breakdowns: dict[str, list[Row]] = field(default_factory=dict)
    # Figures over the years for the trend line: year -> totals.
    trend: dict[int, dict[str, Figure]] = field(default_factory=dict)
