"""Community activity per institution and academic year, from the library, forums, events and
associations, in a handful of grouped queries.

Publications are the institution's materials first published in the year (Material.institution_id);
comments, forum posts (neither hidden) and attended events are its pedagogues'; events held are the
institution's events that took place (not cancelled, already over); association members are its
pedagogues active in any association now. An active teacher did any of these in the year (wrote,
commented, posted, hosted or attended an event, or joined an association); the index of network
activity is active ÷ teachers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, union_all

from app.accounts import User
from app.extensions import db
from community.associations.models import AssociationMember, MemberStatus
from community.events.models import Event, EventHost, EventRegistration, EventStatus
from community.forums.models import Post
from community.library.models import Material, MaterialComment, MaterialStatus
from monitoring.compute_common import grid, is_pedagogue, replace_rows, teachers_now, year_of
from monitoring.models import ActivitySummary

COUNTS = ("publications", "comments", "forum_posts", "events_held", "events_attended")


def _per_year(subquery: Any) -> dict[tuple[int, int], int]:
    rows = db.session.execute(
        select(subquery.c.institution_id, subquery.c.year, func.count())
        .where(subquery.c.institution_id.is_not(None))
        .group_by(subquery.c.institution_id, subquery.c.year)
    ).all()
    return {(int(i), int(y)): int(n) for i, y, n in rows}


def _by_people(user_column: Any, moment: Any, current: int, *where: Any) -> Any:
    """(user, institution, year) of a pedagogue's action, as a subquery."""
    return (
        select(
            User.id.label("user_id"),
            User.institution_id.label("institution_id"),
            year_of(moment, current).label("year"),
        )
        .select_from(user_column.table)
        .join(User, User.id == user_column)
        .where(is_pedagogue(), *where)
    )


def _sources(current: int, now: datetime) -> dict[str, Any]:
    took_place = (Event.status == EventStatus.SCHEDULED) & (Event.ends_at <= now)
    return {
        "publications": select(
            Material.institution_id.label("institution_id"),
            year_of(Material.published_at, current).label("year"),
        )
        .where(Material.status == MaterialStatus.PUBLISHED, Material.published_at.is_not(None))
        .subquery(),
        "comments": _by_people(
            MaterialComment.author_id,
            MaterialComment.created_at,
            current,
            MaterialComment.hidden_at.is_(None),
        ).subquery(),
        "forum_posts": _by_people(
            Post.author_id, Post.created_at, current, Post.hidden_at.is_(None)
        ).subquery(),
        "events_held": select(
            Event.institution_id.label("institution_id"), year_of(Event.starts_at, current).label("year")
        )
        .where(took_place)
        .subquery(),
        "events_attended": _by_people(
            EventRegistration.user_id,
            EventRegistration.attended_at,
            current,
            EventRegistration.attended_at.is_not(None),
        ).subquery(),
    }


def _active(current: int, now: datetime) -> dict[tuple[int, int], int]:
    """Distinct pedagogues with any action in the year, per institution."""
    took_place = (Event.status == EventStatus.SCHEDULED) & (Event.ends_at <= now)
    actions = union_all(
        _by_people(Material.author_id, Material.published_at, current, Material.published_at.is_not(None)),
        _by_people(
            MaterialComment.author_id,
            MaterialComment.created_at,
            current,
            MaterialComment.hidden_at.is_(None),
        ),
        _by_people(Post.author_id, Post.created_at, current, Post.hidden_at.is_(None)),
        _by_people(EventHost.user_id, Event.starts_at, current, took_place).join(
            Event, Event.id == EventHost.event_id
        ),
        _by_people(
            EventRegistration.user_id,
            EventRegistration.attended_at,
            current,
            EventRegistration.attended_at.is_not(None),
        ),
        _by_people(
            AssociationMember.user_id,
            AssociationMember.joined_at,
            current,
            AssociationMember.status == MemberStatus.ACTIVE,
        ),
    ).subquery()
    rows = db.session.execute(
        select(actions.c.institution_id, actions.c.year, func.count(func.distinct(actions.c.user_id)))
        .where(actions.c.institution_id.is_not(None))
        .group_by(actions.c.institution_id, actions.c.year)
    ).all()
    return {(int(i), int(y)): int(n) for i, y, n in rows}


def _members_now() -> dict[int, int]:
    rows = db.session.execute(
        select(User.institution_id, func.count(func.distinct(User.id)))
        .join(AssociationMember, AssociationMember.user_id == User.id)
        .where(
            AssociationMember.status == MemberStatus.ACTIVE, is_pedagogue(), User.institution_id.is_not(None)
        )
        .group_by(User.institution_id)
    ).all()
    return {int(i): int(n) for i, n in rows if i is not None}


def compute_activity(current: int, now: datetime) -> list[dict[str, int]]:
    """The table's rows: every institution for every year from the first action to `current`."""
    counts = {key: _per_year(source) for key, source in _sources(current, now).items()}
    active = _active(current, now)
    years = [y for table in (*counts.values(), active) for (_i, y) in table]
    staff, members = teachers_now(), _members_now()
    rows = []
    for inst, year in grid(years, current):
        row = {"year": year, "institution_id": inst, "teachers": staff.get(inst, 0)}
        row.update({key: counts[key].get((inst, year), 0) for key in COUNTS})
        row["association_members"] = members.get(inst, 0)
        row["active_teachers"] = active.get((inst, year), 0)
        rows.append(row)
    return rows


def refill_activity(current: int, now: datetime) -> int:
    """Replace the table's rows in the caller's transaction."""
    return replace_rows(ActivitySummary, compute_activity(current, now))
