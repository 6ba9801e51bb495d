"""What the layout's header shows about the signed-in person on every page: the unread
notifications (the bell), the unread direct messages and whether they sit on any stage's jury (the
«Жюри» link); and whether they take part in any contest, which spares the dashboard's contest and
jury panels their queries for the many who do not. They used to cost two statements a page after
the one that loads the user; now the user loader asks for them in its own statement
(app/sessions.py) and keeps them for the request.

The counts are read when the request starts: a page that marks something read in a POST redirects,
so the next page's header is already right. Outside the loader (a login in this very request, the
API) `facts_for` runs the same four subqueries in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from sqlalchemy import BindParameter, ColumnElement, bindparam, exists, select

from app.extensions import db
from community.notices.inbox import unread_subqueries
from contest_engine.jury.models import StageJuror
from contest_engine.models import Participation

USER_ID: BindParameter[int] = bindparam("header_user_id")
_KEY = "_header_facts"


@dataclass(frozen=True)
class HeaderFacts:
    user_id: int
    notifications: int
    messages: int
    jury_seat: bool
    takes_part: bool


def columns(user_id: BindParameter[Any] = USER_ID) -> tuple[ColumnElement[Any], ...]:
    """The inbox's two unread counts (notifications by person, conversations by either member) and
    two EXISTS (jurors by person, participations by person), to add to the user's own SELECT."""
    notes, messages = unread_subqueries(user_id)
    seat = exists().where(StageJuror.user_id == user_id)
    takes_part = exists().where(Participation.user_id == user_id)
    return notes, messages, seat, takes_part


_ALONE = select(*columns())


def keep(user_id: int, notifications: Any, messages: Any, jury_seat: Any, takes_part: Any) -> HeaderFacts:
    """Remember the facts loaded with the user for the rest of this request."""
    facts = HeaderFacts(
        user_id, int(notifications or 0), int(messages or 0), bool(jury_seat), bool(takes_part)
    )
    if has_request_context():
        setattr(g, _KEY, facts)
    return facts


def facts_for(user_id: int) -> HeaderFacts:
    """This request's facts for `user_id`: those loaded with the user, else one statement."""
    facts = getattr(g, _KEY, None) if has_request_context() else None
    if isinstance(facts, HeaderFacts) and facts.user_id == user_id:
        return facts
    row = db.session.execute(_ALONE, {"header_user_id": user_id}).one()
    return keep(user_id, *row)


def forget() -> None:
    """Drop the kept facts (a view that changed them and renders in the same request)."""
    if has_request_context():
        g.pop(_KEY, None)


def discount(*, notifications: int = 0, messages: int = 0) -> None:
    """The page marks these read once it is made (app/after_response.py): show its header as after."""
    facts = getattr(g, _KEY, None) if has_request_context() else None
    if isinstance(facts, HeaderFacts):
        setattr(
            g,
            _KEY,
            HeaderFacts(
                facts.user_id,
                max(facts.notifications - notifications, 0),
                max(facts.messages - messages, 0),
                facts.jury_seat,
                facts.takes_part,
            ),
        )
