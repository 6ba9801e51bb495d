"""Notifications: each person's per-kind choice (in the app, by e-mail, in the daily digest), read in
one query for one person or for many recipients at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select, update

from app import audit
from app.accounts import User
from app.extensions import added, db, rows_changed
from app.notifications import NotificationPreference
from community.notices.kinds import Choice, Kind, effective


def choices_of(user_id: int) -> dict[Kind, Choice]:
    """Every kind's effective choice for one person (one query)."""
    stored = stored_choices([user_id]).get(user_id, {})
    return {kind: effective(kind, stored.get(kind)) for kind in Kind}


def choice_for(user_id: int, kind: str) -> Choice:
    return effective(kind, stored_choices([user_id], kind).get(user_id, {}).get(kind))


def choices_for(user_ids: Iterable[int], kind: Kind) -> dict[int, Choice]:
    """{user id: effective choice for the kind} for many recipients (one query)."""
    ids = list(user_ids)
    stored = stored_choices(ids, kind.value)
    return {user_id: effective(kind, stored.get(user_id, {}).get(kind.value)) for user_id in ids}


def stored_choices(user_ids: Iterable[int], kind: str | None = None) -> dict[int, dict[str, Choice]]:
    """{user id: {kind: stored choice}} for the people who chose (one query)."""
    ids = list(user_ids)
    if not ids:
        return {}
    query = select(NotificationPreference).where(NotificationPreference.user_id.in_(ids))
    if kind is not None:
        query = query.where(NotificationPreference.kind == kind)
    found: dict[int, dict[str, Choice]] = {}
    for row in db.session.scalars(query):
        found.setdefault(row.user_id, {})[row.kind] = Choice(row.in_app, row.by_email, row.in_digest)
    return found


def save_choices(actor: User, choices: Mapping[Kind, Choice]) -> dict[Kind, Choice]:
    """Store the person's choices for the kinds given (others keep theirs); a row per kind chosen, so a
    later change of a default does not override what the person said. Two saves at once (two tabs)
    both succeed, the later write winning: an UPDATE, else an INSERT whose lost race becomes the
    UPDATE."""
    for kind, choice in choices.items():
        values = {"in_app": choice.in_app, "by_email": choice.by_email, "in_digest": choice.in_digest}
        if _update(actor.id, kind, values):
            continue
        if not added(NotificationPreference(user_id=actor.id, kind=kind.value, **values)):
            _update(actor.id, kind, values)
    audit.record(
        "notifications.preferences_saved",
        actor=actor,
        scope_type="user",
        scope_id=actor.id,
        details={kind.value: [c.in_app, c.by_email, c.in_digest] for kind, c in choices.items()},
    )
    db.session.commit()
    return choices_of(actor.id)


def _update(user_id: int, kind: Kind, values: dict[str, bool]) -> int:
    return rows_changed(
        update(NotificationPreference)
        .where(NotificationPreference.user_id == user_id, NotificationPreference.kind == kind.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
