"""Monitoring at city scale: 12 districts, 700 institutions, 20,000 teachers, 200,000 pupils'
contest results over 5 academic years (50 olympiads), 50,000 course completions — bulk inserts —;
then the summary job once, and each report page, the school card and the API report beside the bare
page; the summary job (that one run) and the annual PDF in seconds."""

from __future__ import annotations

import os
import random
import secrets
import time
from datetime import timedelta

from sqlalchemy import insert, select, text

from app.accounts import ApiToken, District, Institution, InstitutionType, Role, User, hash_token
from app.certificates import Certificate, CertificateKind
from app.extensions import db
from app.timeutil import utcnow
from bench.scenario import BenchContext, HttpTarget, PureResult, timed
from contest_engine.models import (
    Award,
    Contest,
    ContestKind,
    Division,
    Participation,
    Stage,
    StageParticipant,
)
from contest_engine.rules.stages import StageKind, StageState
from courses.models import Course
from monitoring.academic_year import academic_year, year_start
from monitoring.exports import annual_pdf
from monitoring.recompute import recompute_all
from monitoring.reports import build_report

DISTRICTS = 12
INSTITUTIONS = 700
TEACHERS = 20_000
PUPILS = 50_000
YEARS = 5
OLYMPIADS_PER_YEAR = 10
RESULTS = 200_000
COMPLETIONS = 50_000
COURSES = 25
CHUNK = 10_000
ADMIN = "bench-monitoring-admin@vmeste.local"
SUBJECTS = ("Математика", "Физика", "Химия", "Биология", "Русский язык", "История", "Информатика")
KEY_PAGE = 0.15  # the bar for a key page (a monitoring report), as a share of the bare page
AWARDS = ("Победитель", "Призёр", "Призёр II степени", "Лауреат", "Диплом лауреата")


class _Network:
    everything = True
    district_ids: frozenset[int] = frozenset()
    institution_ids: frozenset[int] = frozenset()


def _chunks(rows: list[dict[str, object]], model: type) -> None:
    for offset in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[offset : offset + CHUNK])


def _places(ctx: BenchContext, rng: random.Random) -> list[int]:
    db.session.execute(
        insert(District),
        [{"name": f"Район мониторинга {n}", "region": "Город"} for n in range(1, DISTRICTS + 1)],
    )
    districts = db.session.execute(select(District.id, District.name).where(District.region == "Город")).all()
    rows = []
    for n in range(1, INSTITUTIONS + 1):
        district_id, name = districts[n % DISTRICTS]
        kind = rng.choice([InstitutionType.SCHOOL] * 6 + [InstitutionType.GYMNASIUM, InstitutionType.LYCEUM])
        rows.append(
            {
                "name": f"Школа города № {n}",
                "type": kind,
                "district_id": district_id,
                "district": name,
                "region": "Город",
            }
        )
    db.session.execute(insert(Institution), rows)
    return list(db.session.scalars(select(Institution.id).where(Institution.region == "Город")))


def _people(
    ctx: BenchContext, rng: random.Random, places: list[int], role: Role, count: int, word: str
) -> list[int]:
    rows: list[dict[str, object]] = [
        {
            "email": f"{word}{n}@monitoring.bench.vmeste.local",
            "full_name": f"{'Педагог' if role == Role.TEACHER else 'Ученик'} {n}",
            "role": role,
            "institution_id": rng.choice(places),
            "password_hash": ctx.password_hash,
            "timezone": "Europe/Moscow",
            "locale": "ru",
            "active": True,
        }
        for n in range(count)
    ]
    _chunks(rows, User)
    pattern = f"{word}%@monitoring.bench.vmeste.local"
    return list(db.session.scalars(select(User.id).where(User.email.like(pattern))))


def _contests(rng: random.Random, pupils: list[int], current: int) -> None:
    per_contest = RESULTS // (YEARS * OLYMPIADS_PER_YEAR)
    for year in range(current - YEARS + 1, current + 1):
        for n in range(OLYMPIADS_PER_YEAR):
            opens = year_start(year) + timedelta(days=30 + 7 * n)
            contest = Contest(
                title=f"Олимпиада {year}/{n}",
                kind=ContestKind.OLYMPIAD,
                created_at=opens - timedelta(days=20),
            )
            db.session.add(contest)
            db.session.flush()
            division = Division(contest_id=contest.id, name="Все")
            stages = [
                Stage(
                    contest_id=contest.id,
                    position=p,
                    title=f"Этап {p}",
                    kind=StageKind.OLYMPIAD,
                    state=StageState.PUBLISHED,
                    opens_at=opens + timedelta(days=30 * (p - 1)),
                    closes_at=opens + timedelta(days=30 * (p - 1) + 1),
                )
                for p in (1, 2)
            ]
            db.session.add_all([division, *stages])
            db.session.flush()
            subject = SUBJECTS[n % len(SUBJECTS)]
            chosen = rng.sample(pupils, per_contest)
            _chunks(
                [
                    {
                        "contest_id": contest.id,
                        "user_id": uid,
                        "division_id": division.id,
                        "grade": str(rng.randint(5, 11)),
                        "subject": subject,
                        "imported": True,
                        "registered_at": opens,
                    }
                    for uid in chosen
                ],
                Participation,
            )
            parts = list(
                db.session.scalars(select(Participation.id).where(Participation.contest_id == contest.id))
            )
            advanced = [p for p in parts if rng.random() < 0.3]
            _chunks(
                [{"stage_id": stages[1].id, "participation_id": p, "admitted_at": opens} for p in advanced],
                StageParticipant,
            )
            awarded = [p for p in advanced if rng.random() < 0.5]
            _chunks(
                [
                    {
                        "contest_id": contest.id,
                        "division_id": division.id,
                        "participation_id": p,
                        "title": rng.choice(AWARDS),
                        "computed_at": opens,
                    }
                    for p in awarded
                ],
                Award,
            )


def _completions(ctx: BenchContext, rng: random.Random, teachers: list[int], current: int) -> None:
    db.session.execute(
        insert(Course),
        [{"title": f"Курс ПК № {n}", "hours": rng.choice((16, 36, 72, 108))} for n in range(COURSES)],
    )
    courses = db.session.execute(
        select(Course.id, Course.hours).where(Course.title.like("Курс ПК № %"))
    ).all()
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < COMPLETIONS:
        pairs.add((rng.randrange(len(courses)), rng.choice(teachers)))
    first = year_start(current - YEARS + 1)
    span = (utcnow() - first).total_seconds()
    rows: list[dict[str, object]] = [
        {
            "code": secrets.token_hex(8)[:16].upper(),
            "kind": CertificateKind.COURSE,
            "user_id": uid,
            "holder": "Педагог",
            "title": "Курс ПК",
            "details": str(courses[c].hours),
            "source_type": "course",
            "source_id": courses[c].id,
            "issued_at": first + timedelta(seconds=rng.uniform(0, span)),
        }
        for c, uid in pairs
    ]
    _chunks(rows, Certificate)


def prepare(ctx: BenchContext) -> None:
    rng = random.Random(14)
    now = utcnow()
    current = academic_year(now)
    places = _places(ctx, rng)
    teachers = _people(ctx, rng, places, Role.TEACHER, TEACHERS, "teacher")
    pupils = _people(ctx, rng, places, Role.STUDENT, PUPILS, "pupil")
    admin = User(
        email=ADMIN, full_name="Администратор Мониторинга", role=Role.ADMIN, password_hash=ctx.password_hash
    )
    db.session.add(admin)
    db.session.flush()
    raw = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=admin.id, token_hash=hash_token(raw), name="bench"))
    _contests(rng, pupils, current)
    _completions(ctx, rng, teachers, current)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    # The pages need the job's totals: this run is the one measured (BENCH_REPEAT_JOBS=1 adds a second).
    started = time.perf_counter()
    recompute_all(now)
    ctx.data["monitoring_recompute_s"] = time.perf_counter() - started
    district = db.session.scalar(select(Institution.district_id).where(Institution.id == places[0]))
    ctx.data["monitoring"] = {"token": raw, "school": places[0], "district": district, "year": current}


def targets(ctx: BenchContext) -> list[HttpTarget]:
    data = ctx.data["monitoring"]
    auth = {"Authorization": f"Bearer {data['token']}"}
    return [
        HttpTarget(
            "monitoring olympiads by district (700 schools, 200,000 results)",
            "/monitoring/olympiads",
            login_as=ADMIN,
            at_least=KEY_PAGE,
        ),
        HttpTarget(
            "monitoring olympiads of a district (58 schools)",
            f"/monitoring/olympiads?district_id={data['district']}",
            login_as=ADMIN,
            at_least=KEY_PAGE,
        ),
        HttpTarget(
            "monitoring qualification (50,000 completions)",
            "/monitoring/qualification",
            login_as=ADMIN,
            at_least=KEY_PAGE,
        ),
        HttpTarget(
            "monitoring teachers' contests", "/monitoring/teacher_contests", login_as=ADMIN, at_least=KEY_PAGE
        ),
        HttpTarget("monitoring activity", "/monitoring/activity", login_as=ADMIN, at_least=KEY_PAGE),
        HttpTarget(
            "monitoring school card",
            f"/monitoring/school/{data['school']}",
            login_as=ADMIN,
            at_least=KEY_PAGE,
        ),
        HttpTarget("monitoring API olympiads (JSON)", "/api/v1/monitoring/olympiads", headers=auth),
    ]


def pure(ctx: BenchContext) -> list[PureResult]:
    year = ctx.data["monitoring"]["year"]
    results = [
        PureResult(
            "monitoring summary job (recompute_all), city scale", seconds=ctx.data["monitoring_recompute_s"]
        )
    ]
    if os.environ.get("BENCH_REPEAT_JOBS") == "1":
        results.append(
            timed("monitoring summary job again, over kept totals", lambda: recompute_all(utcnow()), repeat=1)
        )
    results += [
        timed("build_report olympiads, the network", lambda: build_report("olympiads", year, _Network())),
        timed(
            "annual PDF of the network (12 districts, 700 schools)",
            lambda: annual_pdf(year, _Network()),
            repeat=1,
        ),
    ]
    return results
