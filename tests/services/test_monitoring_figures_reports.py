"""Report builders over the summary tables: rows by district for the network, by institution within
a district or for a coordinator, totals and shares from the sums, the year before, the trend, the
olympiads' breakdowns, zeros for an empty network, scope refusals, a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.domain_errors import Forbidden, Invalid, NotFound
from app.extensions import db
from contest_engine.models import Contest, ContestKind
from monitoring.models import ContestAudience, ContestSummary, QualificationSummary
from monitoring.reports import build_report, resolve_year
from tests.factories.accounts import district, institution_in
from tests.monitoring_people import as_the_job_leaves_it

pytestmark = pytest.mark.usefixtures("app")


class Scope:
    def __init__(
        self, everything: bool = False, districts: tuple[int, ...] = (), institutions: tuple[int, ...] = ()
    ):
        self.everything = everything
        self.district_ids = frozenset(districts)
        self.institution_ids = frozenset(institutions)


NETWORK = Scope(everything=True)


def _world() -> dict[str, int]:
    centre, lenin = district("Центральный"), district("Ленинский")
    a, b = institution_in(centre, "Гимназия № 1"), institution_in(centre, "Школа № 2")
    c = institution_in(lenin, "Лицей № 3")
    contest = Contest(title="Олимпиада по физике", kind=ContestKind.OLYMPIAD)
    other = Contest(title="Олимпиада по химии", kind=ContestKind.OLYMPIAD)
    db.session.add_all([contest, other])
    db.session.flush()
    rows = [
        (2025, a.id, contest.id, "Физика", "9", 10, 4, 1, 2, 1),
        (2025, a.id, other.id, "Химия", "10", 5, 1, 0, 0, 1),
        (2025, b.id, contest.id, "Физика", "11", 5, 0, 0, 0, 0),
        (2025, c.id, contest.id, "Физика", "9", 20, 10, 2, 3, 3),
        (2024, a.id, contest.id, "Физика", "9", 8, 2, 1, 1, 0),
    ]
    for year, inst, cid, subject, grade, p, adv, w, pw, la in rows:
        db.session.add(
            ContestSummary(
                year=year,
                institution_id=inst,
                contest_id=cid,
                audience=ContestAudience.PUPILS,
                subject=subject,
                grade=grade,
                participants=p,
                advanced=adv,
                winners=w,
                prize_winners=pw,
                laureates=la,
            )
        )
    db.session.add(
        QualificationSummary(year=2025, institution_id=a.id, teachers=4, teachers_with_course_3y=3)
    )
    as_the_job_leaves_it()
    db.session.commit()
    return {"centre": centre.id, "lenin": lenin.id, "a": a.id, "b": b.id, "c": c.id}


def test_network_rows_are_districts_with_totals_year_before_and_trend() -> None:
    ids = _world()
    report = build_report("olympiads", 2025, NETWORK)
    names = [(r.kind, r.name) for r in report.rows]
    assert names == [("district", "Ленинский"), ("district", "Центральный")]
    centre = next(r for r in report.rows if r.id == ids["centre"])
    assert centre.figures["participants"] == 20
    assert centre.figures["awarded_share"] == Decimal("0.2500")  # (1+2+1+0+0+1) / 20
    assert report.totals["participants"] == 40
    assert report.totals["awarded_share"] == Decimal("0.3250")  # 13 / 40, not a mean of shares
    assert report.previous_totals["participants"] == 8
    assert list(report.trend) == [2024, 2025]
    kinds = {rows[0].kind: rows for rows in report.breakdowns.values()}  # titles are translated
    by_grade = [(r.name, r.figures["participants"]) for r in kinds["grade"]]
    assert by_grade == [("9", 30), ("10", 5), ("11", 5)]
    by_contest = kinds["contest"]
    assert by_contest[0].name == "Олимпиада по физике" and by_contest[0].figures["participants"] == 35


def test_district_shows_its_institutions_and_coordinator_only_theirs() -> None:
    ids = _world()
    report = build_report("olympiads", 2025, NETWORK, district_id=ids["centre"])
    assert [(r.kind, r.name) for r in report.rows] == [
        ("institution", "Гимназия № 1"),
        ("institution", "Школа № 2"),
    ]
    mine = build_report("olympiads", 2025, Scope(institutions=(ids["b"],)))
    assert [r.id for r in mine.rows] == [ids["b"]] and mine.totals["participants"] == 5


def test_scope_refusals_and_unknowns() -> None:
    ids = _world()
    methodist = Scope(districts=(ids["lenin"],), institutions=(ids["c"],))
    with pytest.raises(Forbidden):
        build_report("olympiads", 2025, methodist, district_id=ids["centre"])
    with pytest.raises(Forbidden):
        build_report("olympiads", 2025, methodist, institution_id=ids["a"])
    with pytest.raises(Forbidden):
        build_report("olympiads", 2025, Scope())
    with pytest.raises(NotFound):
        build_report("olympiads", 2025, NETWORK, district_id=99999)
    with pytest.raises(Invalid):
        build_report("ratings", 2025, NETWORK)
    assert [r.name for r in build_report("olympiads", 2025, methodist).rows] == ["Ленинский"]


def test_empty_network_gives_zeros() -> None:
    report = build_report("qualification", 2025, NETWORK)
    assert report.rows == [] and report.totals["teachers"] == 0
    assert report.totals["course_3y_share"] == Decimal("0.0000")
    assert report.computed_at is None


def test_year_parameter() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    assert resolve_year("2024/25", now) == 2024 and resolve_year(None, now) == 2025
    for bad in ("2026", "1999", "2024/26", "год", "2025/2027"):
        with pytest.raises(Invalid) as caught:
            resolve_year(bad, now)
        assert "year" in caught.value.fields


def test_queries_do_not_grow_with_the_network(count_queries: Any) -> None:
    ids = _world()
    centre = ids["centre"]
    with count_queries(cold=True) as small:
        build_report("olympiads", 2025, NETWORK, district_id=centre)
    extra = district("Кировский")
    for n in range(15):
        institution_in(extra, f"Школа {n}")
    db.session.commit()
    extra_id = extra.id
    with count_queries(cold=True) as large:
        build_report("olympiads", 2025, NETWORK, district_id=extra_id)
    assert large.count == small.count <= 8
