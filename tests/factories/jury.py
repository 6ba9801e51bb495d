"""Jury stages ready to score: criteria, jurors, entries, assignments (they flush; tests commit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update

from app.accounts import User
from app.extensions import db
from contest_engine.jury.models import JuryAssignment, StageJuror
from contest_engine.jury.setup import configure_stage_jury
from contest_engine.models import Contest, Division, Entry, Participation, Stage, StageParticipant
from contest_engine.rules.stages import StageKind, StageState
from tests.factories.accounts import InstitutionFactory, juror, teacher
from tests.factories.contests import DivisionFactory, StageFactory, contest_with_organiser

CRITERIA = [
    {
        "name": "Содержание",
        "max_points": 10,
        "weight": 1,
        "levels": [{"points": "0", "text": "не раскрыто"}, {"points": "10", "text": "полностью"}],
    },
    {"name": "Методика", "max_points": 5, "weight": 2},
]


@dataclass
class JuryStage:
    contest: Contest
    organiser: User
    stage: Stage
    division: Division
    jurors: list[User] = field(default_factory=list)
    participants: list[User] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


def jury_stage(
    *,
    entries: int = 2,
    jurors: int = 2,
    blind: bool = False,
    aggregation: str = "mean",
    jurors_per_entry: int | None = None,
    allocate: bool = True,
    criteria: Any = None,
    threshold: Any = None,
    commit: bool = True,
) -> JuryStage:
    """A contest with one jury stage, `entries` participants with an entry each (each from their own
    institution) and `jurors` jurors (also each from their own), allocated unless told not to."""
    contest, organiser_user = contest_with_organiser()
    division = DivisionFactory(contest=contest)
    stage = StageFactory(contest=contest, kind=StageKind.JURY, state=StageState.OPEN, has_jury=True)
    spec = {
        "criteria": criteria or CRITERIA,
        "aggregation": aggregation,
        "blind": blind,
        "jurors_per_entry": jurors_per_entry,
        "disagreement_threshold": threshold,
    }
    configure_stage_jury(stage, spec, actor=organiser_user)
    built = JuryStage(contest, organiser_user, stage, division)
    for _ in range(jurors):
        user = juror(institution=InstitutionFactory())
        db.session.add(StageJuror(stage_id=stage.id, user_id=user.id, institution_id=user.institution_id))
        built.jurors.append(user)
    for number in range(entries):
        user = teacher(institution=InstitutionFactory(), full_name=f"Участница Секретная {number}")
        participation = Participation(
            contest_id=contest.id,
            user_id=user.id,
            division_id=division.id,
            institution_name=user.institution.name if user.institution else "",
        )
        db.session.add(participation)
        db.session.flush()
        db.session.add(StageParticipant(stage_id=stage.id, participation_id=participation.id))
        entry = Entry(
            stage_id=stage.id,
            participation_id=participation.id,
            text=f"Текст работы {number}",
            link="https://example.org/lesson",
        )
        db.session.add(entry)
        db.session.flush()
        built.participants.append(user)
        built.participations.append(participation)
        built.entries.append(entry)
    if allocate:
        for entry in built.entries:
            for user in built.jurors[: jurors_per_entry or len(built.jurors)]:
                db.session.add(JuryAssignment(stage_id=stage.id, entry_id=entry.id, juror_id=user.id))
    db.session.flush()
    if commit:
        db.session.commit()
    return built


def make_colleagues(built: JuryStage, juror_user: User, participant: User) -> None:
    """The juror joined the jury from the participant's institution (profile and frozen juror row)."""
    juror_user.institution_id = participant.institution_id
    db.session.execute(
        update(StageJuror)
        .where(StageJuror.stage_id == built.stage.id, StageJuror.user_id == juror_user.id)
        .values(institution_id=participant.institution_id)
    )
