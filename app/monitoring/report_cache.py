"""What the report pages and the school card keep between requests: a report's figures as the summary
job left them, read once per job run and scope, and the contest titles read live beside them.

The figures change only when the job refills its tables, which moves the «monitoring» version on
(monitoring.recompute); the rows' names change when a school is renamed or moved or a district
renamed (app.institutions, app.districts move «names» on). Contest titles are one small query per
page, so a renamed contest shows at once. Viewers with the same scope share the entries: the scope,
not the person, is in the key, and no entry holds anything personal (no form, no CSRF token)."""

from __future__ import annotations

from collections.abc import Iterable

from app.memo import remember
from app.monitoring.viewing import Filters
from app.permissions.monitoring import MonitoringScope
from monitoring.recompute import MONITORING_VERSION
from monitoring.report_data import CONTEST_REPORTS, ReportData, contest_ids, fetch_numbers, titles_for
from monitoring.reports import visible

VERSIONS = (MONITORING_VERSION, "names")
Titles = tuple[tuple[int, str], ...]


def scope_key(scope: MonitoringScope) -> tuple[object, ...]:
    """What of a scope the figures depend on (viewers with the same scope share the pages)."""
    return (scope.everything, tuple(sorted(scope.district_ids)), tuple(sorted(scope.institution_ids)))


def report_numbers(
    names: Iterable[str], filters: Filters, scope: MonitoringScope
) -> tuple[str, list[ReportData]]:
    """The kind of rows and each report's untitled data, kept per job run: one statement (the
    versions) when kept, besides the scope check (Forbidden, NotFound, Invalid as the reports raise)."""
    where, kind = visible(scope, filters.district_id, filters.institution_id)
    wanted = tuple(names)
    found = remember(
        "monitoring.report_numbers",
        (wanted, filters, scope_key(scope)),
        VERSIONS,
        lambda: tuple(fetch_numbers(name, filters.year, where, kind) for name in wanted),
    )
    return kind, list(found)


def titles_of(names: Iterable[str], numbers: list[ReportData]) -> Titles:
    """The current titles of every contest in the contest reports' details, in one query (none when
    no report is a contest report)."""
    contests = [data for name, data in zip(names, numbers, strict=True) if name in CONTEST_REPORTS]
    if not contests:
        return ()
    return titles_for(set().union(*(contest_ids(data) for data in contests)))
