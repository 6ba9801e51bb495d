"""Contest results per institution, contest, subject and grade, in one INSERT … SELECT.

The year of a contest is the academic year of its first stage's start (else of its creation); a
participant counts for their own institution (user.institution_id; those without one are left out);
«advanced» means admitted to any stage after the contest's first; the award's title gives its class
(monitoring.award_classes, applied once per distinct title). Olympiads and pupils' conferences are
the pupils' audience, professional contests the teachers'."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, case, delete, func, insert, literal, select

from app.accounts import User
from app.extensions import db
from contest_engine.models import Award, Contest, ContestKind, Participation, Stage, StageParticipant
from monitoring.award_classes import LAUREATE, PRIZE_WINNER, WINNER, award_class
from monitoring.compute_common import year_of
from monitoring.models import ContestAudience, ContestNetworkTotal, ContestSummary, ContestTotal

COLUMNS = (
    "year",
    "institution_id",
    "contest_id",
    "audience",
    "subject",
    "grade",
    "participants",
    "advanced",
    "winners",
    "prize_winners",
    "laureates",
)


def _titles_by_class() -> dict[str, list[str]]:
    """Distinct award titles (a few dozen in a city) sorted into the three classes."""
    classes: dict[str, list[str]] = {WINNER: [], PRIZE_WINNER: [], LAUREATE: []}
    for title in db.session.scalars(select(Award.title).distinct()):
        classes[award_class(title)].append(title)
    return classes


def _flag(titles: list[str]) -> Any:
    """1 for a participation whose award's title is one of `titles`, else 0."""
    if not titles:
        return literal(0, type_=Integer)
    return case((Award.title.in_(titles), 1), else_=0)


def contest_rows(current: int) -> Any:
    """The SELECT whose rows are the table's (columns in COLUMNS' order)."""
    stages = (
        select(
            Stage.contest_id.label("contest_id"),
            func.min(Stage.opens_at).label("first_opens"),
            func.min(Stage.position).label("first_position"),
        )
        .group_by(Stage.contest_id)
        .subquery()
    )
    advanced = (
        select(StageParticipant.participation_id.label("participation_id"))
        .join(Stage, Stage.id == StageParticipant.stage_id)
        .join(stages, stages.c.contest_id == Stage.contest_id)
        .where(Stage.position > stages.c.first_position)
        .distinct()
        .subquery()
    )
    classes = _titles_by_class()
    audience = case(
        (Contest.kind == ContestKind.TEACHER, ContestAudience.TEACHERS.value),
        else_=ContestAudience.PUPILS.value,
    )
    # One row per participation first, so the grouping below is over plain columns (PostgreSQL
    # does not see two bound CASE expressions as the same expression).
    each = (
        select(
            year_of(func.coalesce(stages.c.first_opens, Contest.created_at), current).label("year"),
            User.institution_id.label("institution_id"),
            Participation.contest_id.label("contest_id"),
            audience.label("audience"),
            Participation.subject.label("subject"),
            Participation.grade.label("grade"),
            case((advanced.c.participation_id.is_not(None), 1), else_=0).label("advanced"),
            _flag(classes[WINNER]).label("winner"),
            _flag(classes[PRIZE_WINNER]).label("prize_winner"),
            _flag(classes[LAUREATE]).label("laureate"),
        )
        .join(User, User.id == Participation.user_id)
        .join(Contest, Contest.id == Participation.contest_id)
        .outerjoin(stages, stages.c.contest_id == Contest.id)
        .outerjoin(advanced, advanced.c.participation_id == Participation.id)
        .outerjoin(Award, Award.participation_id == Participation.id)
        .where(User.institution_id.is_not(None))
        .subquery()
    )
    keys = (
        each.c.year,
        each.c.institution_id,
        each.c.contest_id,
        each.c.audience,
        each.c.subject,
        each.c.grade,
    )
    return select(
        *keys,
        func.count(),
        func.sum(each.c.advanced),
        func.sum(each.c.winner),
        func.sum(each.c.prize_winner),
        func.sum(each.c.laureate),
    ).group_by(*keys)


COUNTS = COLUMNS[6:]


def refill_contests(current: int) -> int:
    """Replace the table's rows and its two totals in the caller's transaction; returns how many
    rows the table holds now."""
    db.session.execute(delete(ContestSummary))
    db.session.execute(insert(ContestSummary).from_select(list(COLUMNS), contest_rows(current)))
    refill_totals()
    return int(db.session.scalar(select(func.count(ContestSummary.id))) or 0)


def refill_totals() -> None:
    """The job's two totals of mon_contest (per institution and year; the network's per contest,
    subject and grade), replaced from its current rows in the caller's transaction."""
    _refill_totals(ContestTotal, ("year", "audience", "institution_id"))
    _refill_totals(ContestNetworkTotal, ("year", "audience", "contest_id", "subject", "grade"))


def _refill_totals(model: Any, keys: tuple[str, ...]) -> None:
    """`model`'s rows: mon_contest's added up by `keys` (one INSERT … SELECT)."""
    grouped = [getattr(ContestSummary, key) for key in keys]
    sums = [func.sum(getattr(ContestSummary, key)) for key in COUNTS]
    db.session.execute(delete(model))
    db.session.execute(
        insert(model).from_select([*keys, *COUNTS], select(*grouped, *sums).group_by(*grouped))
    )
