"""The demo gives monitoring two academic years: last year's archived olympiad and teachers'
contest, course certificates of both years, and summary tables computed by the last demo part; run
twice, it adds nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.certificates import Certificate
from app.demo import load_demo
from app.extensions import db
from app.timeutil import utcnow
from contest_engine.models import Participation
from monitoring.academic_year import academic_year
from monitoring.reports import build_report

pytestmark = pytest.mark.usefixtures("app")


class Network:
    everything = True
    district_ids: frozenset[int] = frozenset()
    institution_ids: frozenset[int] = frozenset()


def test_demo_has_two_years_in_every_report() -> None:
    load_demo()
    year = academic_year(utcnow())
    for name, key in (
        ("olympiads", "participants"),
        ("teacher_contests", "participants"),
        ("qualification", "courses_completed"),
        ("activity", "forum_posts"),
    ):
        report = build_report(name, year, Network())
        assert report.computed_at is not None
        assert report.previous_totals[key] > 0, name
        assert report.totals[key] > 0, name
    olympiads = build_report("olympiads", year - 1, Network())
    assert {row.name for row in olympiads.rows} >= {"Центральный район", "Ленинский район"}
    assert olympiads.totals["winners"] == 2 and olympiads.totals["prize_winners"] == 3
    counts = (
        db.session.scalar(select(func.count(Participation.id))),
        db.session.scalar(select(func.count(Certificate.id))),
    )
    load_demo()
    assert (
        db.session.scalar(select(func.count(Participation.id))),
        db.session.scalar(select(func.count(Certificate.id))),
    ) == counts
