"""Who may do what in contests: create, organise, take part, read an entry, see results.

Predicates take the user and plain ids or rows and return bool; each runs at most one small query.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, select

from app.accounts import Role
from app.extensions import db
from app.permissions import _signed_in, has_role, is_admin
from contest_engine.jury.access import may_score
from contest_engine.models import Contest, ContestOrganiser


def can_create_contest(user: Any) -> bool:
    """Organisers (and admins) set up contests."""
    return has_role(user, Role.ADMIN, Role.ORGANISER)


def can_organise_contest(user: Any, contest_id: int) -> bool:
    """Admins, and the organisers named on this contest."""
    if not _signed_in(user):
        return False
    if is_admin(user):
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(ContestOrganiser.contest_id == contest_id, ContestOrganiser.user_id == user.id)
            )
        )
    )


def can_view_contest(user: Any, contest: Any) -> bool:
    """Public contests are readable by anyone; a hidden one by its organisers only."""
    return bool(contest.is_public) or can_organise_contest(user, contest.id)


def visible_contests(user: Any) -> Select[Any]:
    """The contests `can_view_contest` admits, as a query for lists: public ones and those `user`
    organises (every one for admins)."""
    query = select(Contest)
    if is_admin(user):
        return query
    if not _signed_in(user):
        return query.where(Contest.is_public.is_(True))
    return query.where(
        Contest.is_public.is_(True)
        | Contest.id.in_(select(ContestOrganiser.contest_id).where(ContestOrganiser.user_id == user.id))
    )


def can_register(user: Any) -> bool:
    """Any signed-in person may register (teachers in teacher contests, pupils in olympiads)."""
    return _signed_in(user)


def can_read_entry(user: Any, entry: Any) -> bool:
    """An entry is read by its participant, the contest's organisers and a juror assigned to it."""
    if not _signed_in(user):
        return False
    participation = entry.participation
    if participation.user_id == user.id:
        return True
    if can_organise_contest(user, participation.contest_id):
        return True
    return may_score(user.id, entry)  # the jury package's rule, as `permissions.jury.can_score_entry`


def can_see_full_results(user: Any, stage: Any) -> bool:
    """Before publication only organisers see the ranking; afterwards, everyone who may see the contest."""
    if stage.results_published_at is not None:
        return True
    return can_organise_contest(user, stage.contest_id)


def can_see_pupil_names(user: Any) -> bool:
    """Pupils are minors: their names in a published ranking are for the network's signed-in members;
    a visitor sees a number in their place (adults keep their names)."""
    return _signed_in(user)
