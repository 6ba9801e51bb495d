"""Demo history of contests: the previous academic year's city olympiad (imported from the city's
archive: participants from four schools, two stages, winners, prize-winners and laureates) and that
year's teachers' contest, so monitoring's contest reports have two years to compare. Rows are written
as an archive import would write them (published stages, `imported` participations); idempotent:
found by title, pupils by e-mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.accounts import Institution, Role, User
from app.demo import DEMO_PASSWORD, demo_user
from app.extensions import db
from app.security import hash_password
from app.timeutil import utcnow
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

OLYMPIAD = "Городская олимпиада по математике и физике (архив прошлого года)"
TEACHER_CONTEST = "Конкурс «Педагог года» (архив прошлого года)"

# e-mail, name, school, grade, subject, advanced to the second stage, award title ("" none)
PUPILS = (
    (
        "hist.pupil1@vmeste.local",
        "Артём Лебедев",
        "МБОУ «Гимназия № 1»",
        "9",
        "Математика",
        True,
        "Победитель",
    ),
    (
        "hist.pupil2@vmeste.local",
        "Варвара Новикова",
        "МБОУ «Гимназия № 1»",
        "9",
        "Математика",
        True,
        "Призёр",
    ),
    ("hist.pupil3@vmeste.local", "Глеб Морозов", "МБОУ «Гимназия № 1»", "10", "Физика", True, "Лауреат"),
    ("hist.pupil4@vmeste.local", "Ева Волкова", "МБОУ «Гимназия № 1»", "11", "Физика", False, ""),
    ("hist.pupil5@vmeste.local", "Илья Зайцев", "МБОУ СОШ № 12", "9", "Математика", True, "Призёр"),
    ("hist.pupil6@vmeste.local", "Кира Павлова", "МБОУ СОШ № 12", "10", "Математика", False, ""),
    ("hist.pupil7@vmeste.local", "Лев Семёнов", "МБОУ СОШ № 12", "11", "Физика", False, ""),
    ("hist.pupil8@vmeste.local", "Милана Голубева", "МАОУ «Лицей № 3»", "9", "Физика", True, "Победитель"),
    ("hist.pupil9@vmeste.local", "Назар Виноградов", "МАОУ «Лицей № 3»", "10", "Математика", True, "Призёр"),
    (
        "hist.pupil10@vmeste.local",
        "Ольга Богданова",
        "МАОУ «Лицей № 3»",
        "11",
        "Математика",
        False,
        "Лауреат",
    ),
    ("hist.pupil11@vmeste.local", "Пётр Воробьёв", "МБОУ СОШ № 47", "9", "Физика", False, ""),
    ("hist.pupil12@vmeste.local", "Роза Фёдорова", "МБОУ СОШ № 47", "10", "Математика", True, ""),
)
TEACHERS = (
    ("teacher@vmeste.local", True, "Лауреат"),
    ("teacher2@vmeste.local", True, "Победитель"),
    ("teacher3@vmeste.local", False, ""),
    ("teacher4@vmeste.local", True, "Призёр"),
)


def _last_year(now: datetime) -> datetime:
    """Mid-November of the previous academic year (UTC is near enough for the demo)."""
    year = now.year if now.month >= 9 else now.year - 1
    return datetime(year - 1, 11, 15, 6, 0, tzinfo=UTC)


def _pupil(email: str, name: str, school: str, password_hash: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        institution_id = db.session.scalar(select(Institution.id).where(Institution.name == school))
        user = User(
            email=email,
            full_name=name,
            role=Role.STUDENT,
            password_hash=password_hash,
            institution_id=institution_id,
        )
        db.session.add(user)
        db.session.flush()
    return user


def _archive(title: str, kind: ContestKind, opens: datetime) -> tuple[Contest, Division, Stage, Stage]:
    contest = Contest(
        title=title,
        kind=kind,
        description="Итоги прошлого учебного года, перенесённые из городского архива.",
        is_public=True,
        created_at=opens - timedelta(days=30),
        awards_computed_at=opens + timedelta(days=45),
    )
    db.session.add(contest)
    db.session.flush()
    division = Division(contest_id=contest.id, name="Все участники", position=0)
    first_kind = StageKind.OLYMPIAD if kind == ContestKind.OLYMPIAD else StageKind.SUBMISSION
    stages = [
        Stage(
            contest_id=contest.id,
            position=position,
            title=stage_title,
            kind=first_kind if position == 1 else StageKind.JURY,
            state=StageState.PUBLISHED,
            opens_at=opens + timedelta(days=offset),
            closes_at=opens + timedelta(days=offset + 2),
            results_published_at=opens + timedelta(days=offset + 5),
        )
        for position, stage_title, offset in ((1, "Первый этап", 0), (2, "Финал", 30))
    ]
    db.session.add_all([division, *stages])
    db.session.flush()
    return contest, division, stages[0], stages[1]


def _take_part(
    contest: Contest, division: Division, stages: tuple[Stage, Stage], entry: tuple[User, str, str, bool, str]
) -> None:
    user, grade, subject, advanced, award = entry
    part = Participation(
        contest_id=contest.id,
        user_id=user.id,
        division_id=division.id,
        institution_name=user.institution.name if user.institution else "",
        grade=grade,
        subject=subject,
        imported=True,
        registered_at=stages[0].opens_at - timedelta(days=7),
    )
    db.session.add(part)
    db.session.flush()
    db.session.add(StageParticipant(stage_id=stages[0].id, participation_id=part.id))
    if advanced:
        db.session.add(StageParticipant(stage_id=stages[1].id, participation_id=part.id))
    if award:
        db.session.add(
            Award(contest_id=contest.id, division_id=division.id, participation_id=part.id, title=award)
        )


def load_contest_history() -> list[str]:
    opens = _last_year(utcnow())
    lines = []
    if db.session.scalar(select(Contest.id).where(Contest.title == OLYMPIAD)) is None:
        contest, division, first, final = _archive(OLYMPIAD, ContestKind.OLYMPIAD, opens)
        password_hash = hash_password(DEMO_PASSWORD)  # once: the hash is slow by design
        for email, name, school, grade, subject, advanced, award in PUPILS:
            pupil = _pupil(email, name, school, password_hash)
            _take_part(contest, division, (first, final), (pupil, grade, subject, advanced, award))
        lines.append(f"Contest history: {OLYMPIAD}, {len(PUPILS)} pupils from four schools")
    if db.session.scalar(select(Contest.id).where(Contest.title == TEACHER_CONTEST)) is None:
        contest, division, first, final = _archive(TEACHER_CONTEST, ContestKind.TEACHER, opens)
        for email, advanced, award in TEACHERS:
            _take_part(contest, division, (first, final), (demo_user(email), "", "", advanced, award))
        lines.append(f"Contest history: {TEACHER_CONTEST}, {len(TEACHERS)} teachers")
    db.session.commit()
    return lines
