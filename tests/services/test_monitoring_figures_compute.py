"""The summary job from real rows of the other rooms: qualification (completions, hours from the
certificate, three-year window, revoked and pupils' certificates left out, the 1 September boundary in
Moscow), contests (year of the first stage, advanced, award classes, audiences), activity, the
replacement of old rows, the tick's interval, and the report built on top naming no pupil."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.certificates import Certificate, CertificateKind
from app.extensions import db
from community.events.models import EventStatus
from contest_engine.models import (
    Award,
    Contest,
    ContestKind,
    Division,
    Participation,
    Stage,
    StageParticipant,
)
from contest_engine.rules.stages import StageKind
from monitoring.models import ActivitySummary, ContestSummary, QualificationSummary, SummaryRun
from monitoring.recompute import recompute_all, recompute_if_due
from monitoring.reports import build_report
from tests.concurrency import at_once_words, skip_memory_database
from tests.factories.accounts import district, institution_in, student, teacher
from tests.factories.community import published_material
from tests.factories.events import EventFactory, registration
from tests.factories.forums import forum, topic

pytestmark = pytest.mark.usefixtures("app")

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)  # academic year 2025/26


class Network:
    everything = True
    district_ids: frozenset[int] = frozenset()
    institution_ids: frozenset[int] = frozenset()


def _certificate(user: object, issued: datetime, details: str = "72", revoked: bool = False) -> None:
    db.session.add(
        Certificate(
            code=f"C{issued:%y%m%d%H%M}{user.id}"[:16],  # type: ignore[attr-defined]
            kind=CertificateKind.COURSE,
            user_id=user.id,  # type: ignore[attr-defined]
            holder="Учитель",
            title="Курс",
            details=details,
            source_type="course",
            source_id=int(issued.timestamp()) % 100000,
            issued_at=issued,
            revoked_at=issued if revoked else None,
        )
    )


def _contest(kind: ContestKind, opens: datetime, people: list[tuple[object, str, str, bool, str]]) -> Contest:
    contest = Contest(title=f"Конкурс {kind}", kind=kind, created_at=opens - timedelta(days=300))
    db.session.add(contest)
    db.session.flush()
    division = Division(contest_id=contest.id, name="Все")
    first = Stage(
        contest_id=contest.id,
        position=1,
        title="Школьный",
        kind=StageKind.OLYMPIAD,
        opens_at=opens,
        closes_at=opens + timedelta(days=1),
    )
    final = Stage(
        contest_id=contest.id,
        position=2,
        title="Финал",
        kind=StageKind.OLYMPIAD,
        opens_at=opens + timedelta(days=30),
        closes_at=opens + timedelta(days=31),
    )
    db.session.add_all([division, first, final])
    db.session.flush()
    for user, grade, subject, advanced, award in people:
        part = Participation(
            contest_id=contest.id,
            user_id=user.id,
            division_id=division.id,  # type: ignore[attr-defined]
            grade=grade,
            subject=subject,
        )
        db.session.add(part)
        db.session.flush()
        db.session.add(StageParticipant(stage_id=first.id, participation_id=part.id))
        if advanced:
            db.session.add(StageParticipant(stage_id=final.id, participation_id=part.id))
        if award:
            db.session.add(
                Award(contest_id=contest.id, division_id=division.id, participation_id=part.id, title=award)
            )
    db.session.flush()
    return contest


def _world() -> dict[str, int]:
    centre = district("Центральный")
    a, b = institution_in(centre, "Гимназия № 1"), institution_in(centre, "Школа № 2")
    t1, t2, t3 = teacher(institution=a), teacher(institution=a), teacher(institution=b)
    p1 = student(institution=a, full_name="Ученица Секретова")
    p2, p3 = student(institution=a), student(institution=b)
    _certificate(t1, datetime(2025, 10, 1, tzinfo=UTC), "72")
    _certificate(t1, datetime(2024, 3, 1, tzinfo=UTC), "36")
    _certificate(t2, datetime(2023, 10, 1, tzinfo=UTC), "abc")  # 2023/24: still within three years
    _certificate(t3, datetime(2025, 8, 31, 21, 0, tzinfo=UTC), "16")  # 00:00 on 1 Sep in Moscow: 2025
    _certificate(t3, datetime(2025, 8, 31, 20, 59, tzinfo=UTC), "8")  # 23:59 on 31 Aug: 2024
    _certificate(t2, datetime(2025, 11, 1, tzinfo=UTC), "100", revoked=True)
    _certificate(p1, datetime(2025, 11, 1, tzinfo=UTC), "10")  # a pupil's course: not a teacher's
    _contest(
        ContestKind.OLYMPIAD,
        datetime(2025, 10, 1, tzinfo=UTC),
        [
            (p1, "9", "Физика", True, "Победитель"),
            (p2, "9", "Физика", False, "Призёр II степени"),
            (p3, "10", "Физика", False, ""),
        ],
    )
    _contest(ContestKind.TEACHER, datetime(2025, 4, 1, tzinfo=UTC), [(t1, "", "", True, "Лауреат")])
    published_material(t1)
    db.session.flush()
    f = forum()
    topic(f, t2, at=datetime(2025, 12, 1, tzinfo=UTC))
    held = EventFactory(
        institution_id=a.id,
        starts_at=datetime(2026, 2, 1, tzinfo=UTC),
        ends_at=datetime(2026, 2, 1, 2, tzinfo=UTC),
    )
    EventFactory(
        institution_id=a.id,
        starts_at=datetime(2026, 2, 2, tzinfo=UTC),
        ends_at=datetime(2026, 2, 2, 2, tzinfo=UTC),
        status=EventStatus.CANCELLED,
    )
    registration(held, t3).attended_at = datetime(2026, 2, 1, 1, tzinfo=UTC)
    db.session.commit()
    return {"a": a.id, "b": b.id, "centre": centre.id}


def _qualification(inst: int, year: int) -> QualificationSummary:
    row = db.session.get(QualificationSummary, (year, inst))
    assert row is not None
    return row


def test_qualification_counts() -> None:
    ids = _world()
    recompute_all(NOW)
    a25, b25, b24 = (
        _qualification(ids["a"], 2025),
        _qualification(ids["b"], 2025),
        _qualification(ids["b"], 2024),
    )
    assert (a25.teachers, a25.courses_completed, a25.hours, a25.teachers_with_course_3y) == (2, 1, 72, 2)
    assert (b25.courses_completed, b25.hours) == (1, 16) and (b24.courses_completed, b24.hours) == (1, 8)
    # 2023/24: t1's 36 hours in March 2024 and t2's course whose «abc» hours count 0
    assert (_qualification(ids["a"], 2023).courses_completed, _qualification(ids["a"], 2023).hours) == (2, 36)


def test_contest_counts_by_year_audience_and_class() -> None:
    ids = _world()
    recompute_all(NOW)
    rows = db.session.scalars(select(ContestSummary).order_by(ContestSummary.id)).all()
    pupils_a = [r for r in rows if r.audience == "pupils" and r.institution_id == ids["a"]]
    assert len(pupils_a) == 1 and pupils_a[0].year == 2025
    assert (
        pupils_a[0].participants,
        pupils_a[0].advanced,
        pupils_a[0].winners,
        pupils_a[0].prize_winners,
    ) == (2, 1, 1, 1)
    pupils_b = [r for r in rows if r.audience == "pupils" and r.institution_id == ids["b"]]
    assert (pupils_b[0].grade, pupils_b[0].laureates, pupils_b[0].winners) == ("10", 0, 0)
    teachers = [r for r in rows if r.audience == "teachers"]
    assert [(r.year, r.laureates, r.advanced) for r in teachers] == [(2024, 1, 1)]  # April 2025 is 2024/25


def test_activity_counts() -> None:
    ids = _world()
    recompute_all(NOW)
    a = db.session.get(ActivitySummary, (2025, ids["a"]))
    b = db.session.get(ActivitySummary, (2025, ids["b"]))
    assert a is not None and b is not None
    assert (a.publications, a.forum_posts, a.events_held, a.active_teachers, a.teachers) == (1, 1, 1, 2, 2)
    assert (b.events_attended, b.active_teachers) == (1, 1)


def test_recompute_replaces_rows_and_the_tick_waits_for_the_interval() -> None:
    _world()
    assert recompute_if_due(NOW, 60)
    first = db.session.scalar(select(SummaryRun.computed_at).where(SummaryRun.report == "contests"))
    count = len(db.session.scalars(select(ContestSummary)).all())
    assert recompute_if_due(NOW + timedelta(minutes=59), 60) == []
    assert recompute_if_due(NOW + timedelta(minutes=60), 60)
    assert len(db.session.scalars(select(ContestSummary)).all()) == count  # replaced, not doubled
    later = db.session.scalar(select(SummaryRun.computed_at).where(SummaryRun.report == "contests"))
    assert first == NOW and later == NOW + timedelta(minutes=60)


def test_report_on_computed_figures_names_no_pupil() -> None:
    ids = _world()
    recompute_all(NOW)
    report = build_report("olympiads", 2025, Network(), district_id=ids["centre"])
    assert report.totals["participants"] == 3 and str(report.totals["awarded_share"]) == "0.6667"
    assert report.computed_at == NOW
    assert "Секретова" not in repr(report)


def test_two_recomputations_at_once_leave_one_set_of_rows(app: Any) -> None:
    skip_memory_database()
    _world()
    recompute_all(NOW)
    expected = len(db.session.scalars(select(ContestSummary)).all())
    db.session.rollback()  # SQLite: the test's own open transaction would hold the write lock
    words = at_once_words(
        app, [lambda: recompute_all(NOW), lambda: recompute_all(NOW), lambda: recompute_all(NOW)]
    )
    assert words == ["ok", "ok", "ok"]
    db.session.expire_all()
    assert len(db.session.scalars(select(ContestSummary)).all()) == expected
    assert len(db.session.scalars(select(QualificationSummary)).all()) > 0
