"""The report builders: one report of one academic year for what a viewer may see, read from the
summary tables (monitoring.models) into the one shape pages, charts, exports and the API use.

Rows are districts when no district is chosen and the viewer sees districts (the administrator, a
district methodist), institutions within a chosen district or a coordinator's institutions, or the
one chosen institution. Totals, the year before and the trend over the years come from one grouped
query, so a report costs the same handful of queries whatever the size of the network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func, or_, select

from app.accounts import District, Institution
from app.domain_errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.i18n import _
from contest_engine.models import Contest
from monitoring.academic_year import YearError, academic_year, parse_year
from monitoring.figures import COUNTS, SHARES, add_up, complete
from monitoring.models import (
    ActivitySummary,
    ContestAudience,
    ContestSummary,
    QualificationSummary,
    SummaryRun,
)
from monitoring.report_columns import breakdown_title, columns, report_title
from monitoring.report_shape import REPORTS, Figure, Report, Row

# Which summary run dates which report (both contest reports come from one table).
RUN_OF = {
    "qualification": "qualification",
    "olympiads": "contests",
    "teacher_contests": "contests",
    "activity": "activity",
}
NO_DISTRICT = 0  # the row of institutions without a district record


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


def _source(name: str) -> tuple[Any, list[ColumnElement[bool]]]:
    if name == "qualification":
        return QualificationSummary, []
    if name == "activity":
        return ActivitySummary, []
    audience = ContestAudience.PUPILS if name == "olympiads" else ContestAudience.TEACHERS
    return ContestSummary, [ContestSummary.audience == audience]


def computed_at(name: str) -> datetime | None:
    return db.session.scalar(select(SummaryRun.computed_at).where(SummaryRun.report == RUN_OF[name]))


def _visible(
    scope: Scope, district_id: int | None, institution_id: int | None
) -> tuple[list[ColumnElement[bool]], str]:
    """The filter on Institution for what is asked and allowed, and the kind of row to show."""
    if institution_id is not None:
        if not (scope.everything or institution_id in scope.institution_ids):
            raise Forbidden(_("This institution is outside what you may see."))
        if db.session.get(Institution, institution_id) is None:
            raise NotFound(_("No such institution."))
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


def _sums(model: Any, name: str) -> list[Any]:
    return [func.coalesce(func.sum(getattr(model, key)), 0) for key in COUNTS[name]]


def _counts(name: str, values: Sequence[Any]) -> dict[str, Figure]:
    return complete(name, dict(zip(COUNTS[name], (int(v or 0) for v in values), strict=True)))


def _plus(left: tuple[int, ...] | None, right: Sequence[Any]) -> tuple[int, ...]:
    values = tuple(int(v or 0) for v in right)
    return values if left is None else tuple(a + b for a, b in zip(left, values, strict=True))


@dataclass(frozen=True)
class _Data:
    """What a report and the report of the year before are made of, read in one go: the sums per
    (year, row) for every year up to the report's, the row names, the contest details (per contest,
    subject and grade) of both years, and the run's time."""

    sums: dict[int, dict[int, tuple[int, ...]]]  # year -> row key -> counts in COUNTS' order
    names: list[tuple[Any, ...]]
    details: dict[int, list[tuple[Any, ...]]]  # year -> (contest id, title, subject, grade, *counts)
    computed_at: datetime | None


def _fetch(name: str, year: int, where: list[ColumnElement[bool]], kind: str) -> _Data:
    """Four queries whatever the network's size: sums by year and row (rows and trend), names,
    details (contest reports only) and the run's time."""
    model, extra = _source(name)
    key = Institution.id if kind == "institution" else func.coalesce(Institution.district_id, NO_DISTRICT)
    sums: dict[int, dict[int, tuple[int, ...]]] = {}
    for row in db.session.execute(
        select(model.year, key, *_sums(model, name))
        .join(Institution, Institution.id == model.institution_id)
        .where(model.year <= year, *extra, *where)
        .group_by(model.year, key)
    ):
        sums.setdefault(int(row[0]), {})[int(row[1])] = _plus(None, row[2:])
    named: Any = select(District.id, District.name)
    if kind == "institution":
        named = select(Institution.id, Institution.name, Institution.district_id).where(*where)
    elif where:
        named = named.where(District.id.in_(select(Institution.district_id).where(*where)))
    names = [tuple(row) for row in db.session.execute(named)]
    details: dict[int, list[tuple[Any, ...]]] = {year - 1: [], year: []}
    if name in ("olympiads", "teacher_contests"):
        split = (ContestSummary.subject, ContestSummary.grade) if name == "olympiads" else ()
        for row in db.session.execute(
            select(ContestSummary.year, Contest.id, Contest.title, *split, *_sums(model, name))
            .join(Institution, Institution.id == ContestSummary.institution_id)
            .join(Contest, Contest.id == ContestSummary.contest_id)
            .where(ContestSummary.year.in_((year - 1, year)), *extra, *where)
            .group_by(ContestSummary.year, Contest.id, Contest.title, *split)
        ):
            values = tuple(row[1:])
            details[int(row[0])].append(values if split else (*values[:2], None, None, *values[2:]))
    return _Data(sums, names, details, computed_at(name))


def _rows(name: str, data: _Data, year: int, kind: str) -> list[Row]:
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


def _trend(name: str, data: _Data, year: int) -> dict[int, dict[str, Figure]]:
    """Totals per year up to `year`; the year itself and the one before are always there (zeros)."""
    trend: dict[int, dict[str, Figure]] = {}
    for when, by_row in data.sums.items():
        if when <= year:
            total: tuple[int, ...] | None = None
            for values in by_row.values():
                total = _plus(total, values)
            trend[when] = _counts(name, total or ())
    for wanted in (year - 1, year):
        trend.setdefault(wanted, complete(name, {}))
    return dict(sorted(trend.items()))


def _breakdowns(name: str, data: _Data, year: int) -> dict[str, list[Row]]:
    """Contest reports by contest; the olympiads also by subject and grade."""
    if name not in ("olympiads", "teacher_contests"):
        return {}
    contests: dict[tuple[int, str], tuple[int, ...]] = {}
    subjects: dict[Any, tuple[int, ...]] = {}
    grades: dict[Any, tuple[int, ...]] = {}
    for ident, title, subject, grade, *values in data.details.get(year, []):
        contests[(ident, title)] = _plus(contests.get((ident, title)), values)
        subjects[subject] = _plus(subjects.get(subject), values)
        grades[grade] = _plus(grades.get(grade), values)
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
    check_report(name)
    where, kind = _visible(scope, district_id, institution_id)
    data = _remembered(name, year, scope, district_id, institution_id)
    if data is None:
        data = _fetch(name, year, where, kind)
        _remember(data, name, year - 1, scope, district_id, institution_id)
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


# The pages and the PDF build a report and then the same report of the year before; the first read
# both years, so the second is assembled from it without a query. Kept in the session for the
# current transaction only: a commit (or a new request's session) forgets it.
_MEMO = "monitoring.reports.year_before"


def _memo_key(name: str, year: int, scope: Scope, district_id: int | None, institution_id: int | None) -> Any:
    return (
        name,
        year,
        scope.everything,
        scope.district_ids,
        scope.institution_ids,
        district_id,
        institution_id,
    )


def _remember(
    data: _Data, name: str, year: int, scope: Scope, district_id: int | None, institution_id: int | None
) -> None:
    transaction = db.session().get_transaction()
    if transaction is not None:
        key = _memo_key(name, year, scope, district_id, institution_id)
        db.session.info[_MEMO] = (transaction, key, data)


def _remembered(
    name: str, year: int, scope: Scope, district_id: int | None, institution_id: int | None
) -> _Data | None:
    held = db.session.info.pop(_MEMO, None)
    if held is None:
        return None
    transaction, key, data = held
    if transaction is not db.session().get_transaction():
        return None
    if key != _memo_key(name, year, scope, district_id, institution_id):
        db.session.info[_MEMO] = held  # another report in between: keep it for its year before
        return None
    return data


def share_keys(name: str) -> tuple[str, ...]:
    return tuple(SHARES[name])
