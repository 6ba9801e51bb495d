"""The report builders: one report of one academic year for what a viewer may see, read from the
summary tables (monitoring.models) into the one shape pages, charts, exports and the API use.

Rows are districts when no district is chosen and the viewer sees districts (the administrator, a
district methodist), institutions within a chosen district or a coordinator's institutions, or the
one chosen institution. Totals, the year before and the trend over the years come from one grouped
query (monitoring.report_data reads them), so a report costs the same handful of queries whatever
the size of the network."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func, or_, select

from app.accounts import District, Institution
from app.domain_errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.i18n import _
from monitoring.academic_year import YearError, academic_year, parse_year
from monitoring.figures import COUNTS, SHARES, add_up, complete
from monitoring.report_columns import breakdown_title, columns, report_title
from monitoring.report_data import NO_DISTRICT, ReportData, fetch, plus
from monitoring.report_shape import REPORTS, Figure, Report, Row


class Scope(Protocol):
    """What a viewer may see (app.permissions.monitoring.MonitoringScope has this shape)."""

    @property
    def everything(self) -> bool: ...

    @property
    def district_ids(self) -> frozenset[int]: ...

    @property
    def institution_ids(self) -> frozenset[int]: ...


def resolve_year(value: str | int | None, now: datetime) -> int:
    """A request's year, or Invalid with the field: 2025 or «2025/26» within 2000..the current year."""
    current = academic_year(now)
    try:
        return parse_year(value, current=current)
    except YearError:
        message = _(
            "Choose an academic year from %(first)s to %(last)s, e.g. %(example)s.",
            first=2000,
            last=current,
            example=f"{current}/{(current + 1) % 100:02d}",
        )
        raise Invalid(message, {"year": message}) from None


def check_report(name: str) -> None:
    if name not in REPORTS:
        message = _("Unknown report: choose one of %(names)s.", names=", ".join(REPORTS))
        raise Invalid(message, {"report": message})


def _visible(
    scope: Scope, district_id: int | None, institution_id: int | None
) -> tuple[list[ColumnElement[bool]], str]:
    """The filter on Institution for what is asked and allowed, and the kind of row to show."""
    if institution_id is not None:
        if not (scope.everything or institution_id in scope.institution_ids):
            raise Forbidden(_("This institution is outside what you may see."))
        institution = db.session.get(Institution, institution_id)
        if institution is None:
            raise NotFound(_("No such institution."))
        if district_id is not None and institution.district_id != district_id:
            message = _("This institution is not in the chosen district.")
            raise Invalid(message, {"institution_id": message})
        return [Institution.id == institution_id], "institution"
    if district_id is not None:
        if db.session.get(District, district_id) is None:
            raise NotFound(_("No such district."))
        where = [Institution.district_id == district_id]
        if scope.everything or district_id in scope.district_ids:
            return where, "institution"
        mine = [*where, Institution.id.in_(scope.institution_ids)]
        if not scope.institution_ids or not db.session.scalar(
            select(func.count(Institution.id)).where(*mine)
        ):
            raise Forbidden(_("This district is outside what you may see."))
        return mine, "institution"
    if scope.everything:
        return [], "district"
    if scope.district_ids:
        return [
            or_(Institution.district_id.in_(scope.district_ids), Institution.id.in_(scope.institution_ids))
        ], "district"
    if scope.institution_ids:
        return [Institution.id.in_(scope.institution_ids)], "institution"
    raise Forbidden(_("You have no institutions or districts to monitor."))


def _counts(name: str, values: Sequence[Any]) -> dict[str, Figure]:
    return complete(name, dict(zip(COUNTS[name], (int(v or 0) for v in values), strict=True)))


def _rows(name: str, data: ReportData, year: int, kind: str) -> list[Row]:
    figures = {key: _counts(name, values) for key, values in data.sums.get(year, {}).items()}
    zero = complete(name, {})
    rows: list[Row] = []
    if kind == "institution":
        for ident, title, district in data.names:
            rows.append(Row("institution", ident, title, figures.get(ident, zero), district))
    else:
        for ident, title in data.names:
            rows.append(Row("district", ident, title, figures.get(ident, zero), ident))
        if NO_DISTRICT in figures:
            rows.append(Row("district", NO_DISTRICT, _("Without a district"), figures[NO_DISTRICT], None))
    rows.sort(key=lambda r: (r.id == NO_DISTRICT and r.kind == "district", r.name.casefold(), r.id))
    return rows


def _trend(name: str, data: ReportData, year: int) -> dict[int, dict[str, Figure]]:
    """Totals per year up to `year`; the year itself and the one before are always there (zeros)."""
    trend: dict[int, dict[str, Figure]] = {}
    for when, by_row in data.sums.items():
        if when <= year:
            total: tuple[int, ...] | None = None
            for values in by_row.values():
                total = plus(total, values)
            trend[when] = _counts(name, total or ())
    for wanted in (year - 1, year):
        trend.setdefault(wanted, complete(name, {}))
    return dict(sorted(trend.items()))


def _breakdowns(name: str, data: ReportData, year: int) -> dict[str, list[Row]]:
    """Contest reports by contest; the olympiads also by subject and grade."""
    if name not in ("olympiads", "teacher_contests"):
        return {}
    contests: dict[tuple[int, str], tuple[int, ...]] = {}
    subjects: dict[Any, tuple[int, ...]] = {}
    grades: dict[Any, tuple[int, ...]] = {}
    for ident, title, subject, grade, *values in data.details.get(year, []):
        contests[(ident, title)] = plus(contests.get((ident, title)), values)
        subjects[subject] = plus(subjects.get(subject), values)
        grades[grade] = plus(grades.get(grade), values)
    result = {
        breakdown_title("contest"): sorted(
            (
                Row("contest", ident, title, _counts(name, values))
                for (ident, title), values in contests.items()
            ),
            key=lambda r: (-int(r.figures["participants"]), r.name.casefold()),
        )
    }
    if name == "olympiads":
        for kind, grouped in (("subject", subjects), ("grade", grades)):
            ordered = sorted(grouped.items(), key=lambda item: _natural(str(item[0] or "")))
            result[breakdown_title(kind)] = [
                Row(kind, position, str(value or "") or _("Not stated"), _counts(name, values))
                for position, (value, values) in enumerate(ordered, start=1)
            ]
    return result


def _natural(text: str) -> tuple[int, int, str]:
    """Grades «5» … «11» in numeric order, words after them, «not stated» last."""
    if not text:
        return (2, 0, "")
    if text.isdigit():
        return (0, int(text), "")
    return (1, 0, text.casefold())


def build_report(
    name: str,
    year: int,
    scope: Scope,
    district_id: int | None = None,
    institution_id: int | None = None,
) -> Report:
    """One report: rows for the viewer's scope (or the chosen district or institution), totals, the
    year before, the trend. Raises Invalid (report), Forbidden (outside the scope), NotFound."""
    return build_with_year_before(name, year, scope, district_id, institution_id)[0]


def build_with_year_before(
    name: str,
    year: int,
    scope: Scope,
    district_id: int | None = None,
    institution_id: int | None = None,
) -> tuple[Report, Report]:
    """The report of `year` and the same report of the year before (the page's «year before» column,
    the PDF's school pages), both from one read: the data of a year holds every year up to it."""
    check_report(name)
    where, kind = _visible(scope, district_id, institution_id)
    return report_pair(name, fetch(name, year, where, kind), year, kind)


def visible(
    scope: Scope, district_id: int | None, institution_id: int | None
) -> tuple[list[ColumnElement[bool]], str]:
    """What a viewer asks and may see, as build_with_year_before checks it: the filter on Institution
    and the kind of rows, or Forbidden, NotFound, Invalid (for pages that read the data themselves)."""
    return _visible(scope, district_id, institution_id)


def report_pair(name: str, data: ReportData, year: int, kind: str) -> tuple[Report, Report]:
    """The report of `year` and of the year before from one read of the data."""
    return _built(name, data, year, kind), _built(name, data, year - 1, kind)


def _built(name: str, data: ReportData, year: int, kind: str) -> Report:
    trend = _trend(name, data, year)
    return Report(
        name=name,
        title=report_title(name),
        year=year,
        computed_at=data.computed_at,
        columns=columns(name),
        rows=_rows(name, data, year, kind),
        totals=add_up(name, [trend[year]]),
        previous_totals=trend[year - 1],
        breakdowns=_breakdowns(name, data, year),
        trend=trend,
    )


def share_keys(name: str) -> tuple[str, ...]:
    return tuple(SHARES[name])
