"""The contest audit log's reads: one page of entries (the contest's own and its stages' jury
scores) and every name they mention, loaded in a fixed number of queries whatever the page holds."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, literal, or_, select, union_all

from app.accounts import District, Institution, Role, User
from app.audit import AuditEntry
from app.audit_grammar import Kind, References, references
from app.extensions import db
from app.pagination import Page, paginate
from contest_engine.jury.models import Appeal, DemoSlot, StageJuror
from contest_engine.models import ContestOrganiser, Division, Entry, Participation, Stage
from contest_engine.rules.stages import StageKind


class ActorRole(enum.StrEnum):
    """What a person is to this contest, as the log's sentences call them."""

    ORGANISER = "organiser"
    JUROR = "juror"
    PARTICIPANT = "participant"
    NONE = "none"


@dataclass(frozen=True)
class Person:
    name: str
    role: Role | None


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    stage_id: int
    participation_id: int | None


@dataclass
class Names:
    """Everything a page of entries names, by id (a missing id is a deleted row)."""

    stages: dict[int, tuple[str, StageKind]] = field(default_factory=dict)
    entry_stage: dict[int, int] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    participants: dict[int, Person] = field(default_factory=dict)
    slots: dict[int, Slot] = field(default_factory=dict)
    appeal_entry: dict[int, int] = field(default_factory=dict)
    divisions: dict[int, str] = field(default_factory=dict)
    institutions: dict[int, str] = field(default_factory=dict)
    districts: dict[int, str] = field(default_factory=dict)
    roles: dict[int, ActorRole] = field(default_factory=dict)


def contest_audit_page(contest_id: int, *, page: int, per_page: int) -> Page[AuditEntry]:
    """The contest's log, newest first, with the jurors' score entries (kept under their stage)."""
    stage_ids = select(Stage.id).where(Stage.contest_id == contest_id).scalar_subquery()
    query = (
        select(AuditEntry)
        .where(
            or_(
                and_(AuditEntry.scope_type == "contest", AuditEntry.scope_id == contest_id),
                and_(AuditEntry.scope_type == "stage", AuditEntry.scope_id.in_(stage_ids)),
            )
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return paginate(query, page, per_page)


def load_names(entries: Sequence[AuditEntry], contest_id: int) -> Names:
    """At most ten queries, each only when some entry needs it."""
    refs = references((e.action, e.object_type, e.object_id, e.details or {}) for e in entries)
    for entry in entries:
        if entry.scope_type == "stage" and entry.scope_id is not None:
            refs.add(Kind.STAGE, entry.scope_id)
    names = Names()
    _load_links(refs, names)
    _load_rows(refs, names)
    actors = {e.actor_id for e in entries if e.actor_id is not None}
    names.roles = _roles(contest_id, actors)
    return names


def _load_links(refs: References, names: Names) -> None:
    """Appeals and slots point at entries and participants; entries at stages: loaded first so the
    rows they point at join the later queries."""
    if ids := refs.of(Kind.APPEAL):
        for appeal_id, entry_id in db.session.execute(
            select(Appeal.id, Appeal.entry_id).where(Appeal.id.in_(ids))
        ):
            names.appeal_entry[appeal_id] = entry_id
            refs.add(Kind.ENTRY, entry_id)
    if ids := refs.of(Kind.SLOT):
        rows = db.session.execute(
            select(DemoSlot.id, DemoSlot.starts_at, DemoSlot.stage_id, DemoSlot.participation_id).where(
                DemoSlot.id.in_(ids)
            )
        )
        for slot_id, starts_at, stage_id, participation_id in rows:
            names.slots[slot_id] = Slot(starts_at, stage_id, participation_id)
            refs.add(Kind.STAGE, stage_id)
            refs.add(Kind.PARTICIPATION, participation_id)
    if ids := refs.of(Kind.ENTRY):
        for entry_id, stage_id in db.session.execute(
            select(Entry.id, Entry.stage_id).where(Entry.id.in_(ids))
        ):
            names.entry_stage[entry_id] = stage_id
            refs.add(Kind.STAGE, stage_id)


def _load_rows(refs: References, names: Names) -> None:
    if ids := refs.of(Kind.STAGE):
        stages = db.session.execute(select(Stage.id, Stage.title, Stage.kind).where(Stage.id.in_(ids)))
        names.stages = {stage_id: (title, kind) for stage_id, title, kind in stages}
    if ids := refs.of(Kind.USER):
        users = db.session.execute(select(User.id, User.full_name, User.role).where(User.id.in_(ids)))
        names.people = {user_id: Person(name, role) for user_id, name, role in users}
    if ids := refs.of(Kind.PARTICIPATION):
        participants = db.session.execute(
            select(Participation.id, User.full_name, User.role)
            .join(User, User.id == Participation.user_id)
            .where(Participation.id.in_(ids))
        )
        names.participants = {pid: Person(name, role) for pid, name, role in participants}
    for kind, column_id, column_name, target in (
        (Kind.DIVISION, Division.id, Division.name, names.divisions),
        (Kind.INSTITUTION, Institution.id, Institution.name, names.institutions),
        (Kind.DISTRICT, District.id, District.name, names.districts),
    ):
        if ids := refs.of(kind):
            rows = db.session.execute(select(column_id, column_name).where(column_id.in_(ids)))
            target.update({row_id: name for row_id, name in rows})


def _roles(contest_id: int, actor_ids: set[int]) -> dict[int, ActorRole]:
    """Each actor's part in this contest in one query (an organiser who also judges is named an
    organiser; a juror who also takes part, a juror)."""
    if not actor_ids:
        return {}
    query = union_all(
        select(literal(0).label("rank"), ContestOrganiser.user_id).where(
            ContestOrganiser.contest_id == contest_id, ContestOrganiser.user_id.in_(actor_ids)
        ),
        select(literal(1).label("rank"), StageJuror.user_id)
        .join(Stage, Stage.id == StageJuror.stage_id)
        .where(Stage.contest_id == contest_id, StageJuror.user_id.in_(actor_ids)),
        select(literal(2).label("rank"), Participation.user_id).where(
            Participation.contest_id == contest_id, Participation.user_id.in_(actor_ids)
        ),
    )
    order = (ActorRole.ORGANISER, ActorRole.JUROR, ActorRole.PARTICIPANT)
    roles: dict[int, ActorRole] = {}
    for rank, user_id in sorted((rank, user_id) for rank, user_id in db.session.execute(query)):
        roles.setdefault(user_id, order[rank])
    return roles
