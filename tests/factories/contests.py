"""Contests, divisions, stages, participations and entries for tests (they flush; tests commit)."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from unittest import mock

import factory

from contest_engine.models import (
    Contest,
    ContestKind,
    ContestOrganiser,
    Division,
    Entry,
    Participation,
    Stage,
    StageParticipant,
)
from contest_engine.rules.stages import StageKind, StageState
from tests.factories.accounts import UserFactory, organiser
from tests.factories.base import Factory

T0 = datetime(2027, 1, 10, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
# The clock each contests API module reads (tests move it with `api_at`).
API_CLOCKS = tuple(
    f"app.api.contests.{name}.utcnow" for name in ("contest_setup", "contest_stages", "contest_results")
)


JURY_API_CLOCKS = tuple(f"app.api.jury.{name}.utcnow" for name in ("jurors", "scoring", "appeals", "slots"))


def api_at(moment: datetime, *, jury: bool = False) -> ExitStack:
    """Every contests API endpoint (and with `jury`, every jury API endpoint) sees `moment` as now."""
    stack = ExitStack()
    for target in (*API_CLOCKS, *(JURY_API_CLOCKS if jury else ())):
        stack.enter_context(mock.patch(target, return_value=moment))
    return stack


class ContestFactory(Factory):
    class Meta:
        model = Contest

    title = factory.Sequence(lambda n: f"Конкурс {n + 1}")
    kind = ContestKind.TEACHER
    timezone = "Europe/Moscow"
    description = "Описание конкурса"
    rules = "Правила"
    award_rules = factory.LazyFunction(
        lambda: [
            {"title": "Победитель", "ranks": [1, 1]},
            {"title": "Призёр", "ranks": [2, 3]},
            {"title": "Участник"},
        ]
    )


class DivisionFactory(Factory):
    class Meta:
        model = Division

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Группа {n + 1}")
    position = factory.Sequence(lambda n: n)


class StageFactory(Factory):
    class Meta:
        model = Stage

    contest = factory.SubFactory(ContestFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Этап {n + 1}")
    kind = StageKind.SUBMISSION
    state = StageState.SCHEDULED
    opens_at = T0
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=7))


class ParticipationFactory(Factory):
    class Meta:
        model = Participation

    contest = factory.SubFactory(ContestFactory)
    user = factory.SubFactory(UserFactory)
    division = factory.SubFactory(DivisionFactory, contest=factory.SelfAttribute("..contest"))
    institution_name = factory.LazyAttribute(lambda o: o.user.institution.name if o.user.institution else "")
    district = factory.LazyAttribute(lambda o: o.user.institution.district if o.user.institution else "")
    consent_at = T0


class StageParticipantFactory(Factory):
    class Meta:
        model = StageParticipant

    stage_id = 0
    participation_id = 0


class EntryFactory(Factory):
    class Meta:
        model = Entry

    stage = factory.SubFactory(StageFactory)
    participation = factory.SubFactory(ParticipationFactory, contest=factory.SelfAttribute("..stage.contest"))
    text = "Эссе участника"
    link = "https://example.org/blog"
    submitted_at = T0


def contest_with_organiser(user=None, **kw: object) -> tuple[Contest, object]:  # type: ignore[no-untyped-def]
    """A contest and its organiser (a new organiser unless given)."""
    from app.extensions import db

    user = user or organiser()
    contest = ContestFactory(created_by_id=user.id, **kw)
    db.session.add(ContestOrganiser(contest_id=contest.id, user_id=user.id))
    db.session.flush()
    return contest, user
