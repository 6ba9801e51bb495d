"""What a report is made of, read from the summary tables in a fixed handful of queries: the sums
per (year, row) for every year up to the report's (its rows and its trend), the rows' names, and for
the contest reports the details per contest, subject and grade of the year and the year before.

Contest titles are read by id after the grouping (the grouping stays on the summary table alone).
The data of a year holds the year before too, so its report is built from the same read
(monitoring.reports.build_with_year_before)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select

from app.accounts import District, Institution
from app.extensions import db
from contest_engine.models import Contest
from monitoring.figures import COUNTS
from monitoring.models import (
    ActivitySummary,
    ContestAudience,
    ContestNetworkTotal,
    ContestSummary,
    ContestTotal,
    QualificationSummary,
    SummaryRun,
)

# Which summary run dates which report (both contest reports come from one table).
RUN_OF = {
    "qualification": "qualification",
    "olympiads": "contests",
    "teacher_contests": "contests",
    "activity": "activity",
}
CONTEST_REPORTS = ("olympiads", "teacher_contests")
NO_DISTRICT = 0  # the row of institutions without a district record
Counts = tuple[int, ...]  # in COUNTS' order


@dataclass(frozen=True)
class ReportData:
    sums: dict[int, dict[int, Counts]]  # year -> row key -> counts
    names: list[tuple[Any, ...]]  # (id, name) of districts or (id, name, district_id) of institutions
    details: dict[int, list[tuple[Any, ...]]]  # year -> (contest id, title, subject, grade, *counts)
    computed_at: datetime | None


@dataclass(frozen=True)
class _Sums:
    sums: dict[int, dict[int, Counts]]
    details: dict[int, list[tuple[Any, ...]]]  # as ReportData's, without the titles


def source(name: str, model: Any = ContestSummary) -> tuple[Any, list[ColumnElement[bool]]]:
    """The summary table of a report and its condition; for the contest reports `model` picks the
    detailed table (ContestSummary) or one of the job's totals of it."""
    if name == "qualification":
        return QualificationSummary, []
    if name == "activity":
        return ActivitySummary, []
    audience = ContestAudience.PUPILS if name == "olympiads" else ContestAudience.TEACHERS
    return model, [model.audience == audience]


def sums_of(model: Any, name: str) -> list[Any]:
    return [func.coalesce(func.sum(getattr(model, key)), 0) for key in COUNTS[name]]


def plus(left: Counts | None, right: Sequence[Any]) -> Counts:
    values = tuple(int(v or 0) for v in right)
    return values if left is None else tuple(a + b for a, b in zip(left, values, strict=True))


def fetch(name: str, year: int, where: list[ColumnElement[bool]], kind: str) -> ReportData:
    """The report's data in five queries at most (the run's time, sums, names, details, titles)."""
    numbers = fetch_numbers(name, year, where, kind)
    return with_titles(numbers, contest_titles(name, numbers))


def fetch_numbers(name: str, year: int, where: list[ColumnElement[bool]], kind: str) -> ReportData:
    """The report's data with its details untitled (contest ids only): what only the summary job
    and the places' names change, so the pages may keep it (app/monitoring/report_pages.py)."""
    computed_at = db.session.scalar(select(SummaryRun.computed_at).where(SummaryRun.report == RUN_OF[name]))
    sums = _read(name, year, where, kind)
    return ReportData(sums.sums, _names(where, kind), sums.details, computed_at)


def _read(name: str, year: int, where: list[ColumnElement[bool]], kind: str) -> _Sums:
    """Sums by year and row (one grouped query), details of both years (one more, contest reports).

    The contest reports read the job's totals: per institution and year for the rows and the trend,
    and for a report over the whole network its breakdowns from the network's totals."""
    model, extra = source(name, ContestTotal)
    visible = select(Institution.id).where(*where)
    if where:  # only the visible institutions' rows, picked by id before any grouping
        extra = [*extra, model.institution_id.in_(visible)]
    # Each school's sums per year first, on the summary table alone (its index); the few thousand
    # groups are then joined to their institutions to make districts' rows.
    counts = COUNTS[name]
    each = (
        select(
            model.year, model.institution_id, *(func.sum(getattr(model, key)).label(key) for key in counts)
        )
        .where(model.year <= year, *extra)
        .group_by(model.year, model.institution_id)
        .subquery()
    )
    row_key = Institution.id if kind == "institution" else func.coalesce(Institution.district_id, NO_DISTRICT)
    sums: dict[int, dict[int, Counts]] = {}
    for row in db.session.execute(
        select(each.c.year, row_key, *(func.coalesce(func.sum(each.c[key]), 0) for key in counts))
        .join(Institution, Institution.id == each.c.institution_id)
        .group_by(each.c.year, row_key)
    ):
        sums.setdefault(int(row[0]), {})[int(row[1])] = plus(None, row[2:])
    details: dict[int, list[tuple[Any, ...]]] = {year - 1: [], year: []}
    if name in CONTEST_REPORTS:
        part, only = source(name, ContestSummary if where else ContestNetworkTotal)
        if where:
            only = [*only, part.institution_id.in_(visible)]
        split = (part.subject, part.grade) if name == "olympiads" else ()
        for row in db.session.execute(
            select(part.year, part.contest_id, *split, *sums_of(part, name))
            .where(part.year.in_((year - 1, year)), *only)
            .group_by(part.year, part.contest_id, *split)
        ):
            values = tuple(row[1:])
            details[int(row[0])].append(values if split else (values[0], None, None, *values[1:]))
    return _Sums(sums, details)


def _names(where: list[ColumnElement[bool]], kind: str) -> list[tuple[Any, ...]]:
    named: Any = select(District.id, District.name)
    if kind == "institution":
        named = select(Institution.id, Institution.name, Institution.district_id).where(*where)
    elif where:
        named = named.where(District.id.in_(select(Institution.district_id).where(*where)))
    return [tuple(row) for row in db.session.execute(named)]


def contest_titles(name: str, data: ReportData) -> tuple[tuple[int, str], ...]:
    """The current titles of the contests in `data`'s details (one query for a contest report, run
    even when there is nothing; none for the others)."""
    if name not in CONTEST_REPORTS:
        return ()
    return titles_for(contest_ids(data))


def contest_ids(data: ReportData) -> set[int]:
    return {row[0] for rows in data.details.values() for row in rows}


def titles_for(ids: set[int]) -> tuple[tuple[int, str], ...]:
    """(id, title) of the contests, by id: one query."""
    found = db.session.execute(
        select(Contest.id, Contest.title).where(Contest.id.in_(ids)).order_by(Contest.id)
    )
    return tuple((ident, title) for ident, title in found)


def with_titles(data: ReportData, titles: tuple[tuple[int, str], ...]) -> ReportData:
    """`data` with each detail row's contest title after its id (as the report builders read it)."""
    if not titles and not any(data.details.values()):
        return data
    named = dict(titles)
    details = {
        year: [(row[0], named.get(row[0], ""), *row[1:]) for row in rows]
        for year, rows in data.details.items()
    }
    return ReportData(data.sums, data.names, details, data.computed_at)
