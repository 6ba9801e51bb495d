"""Who may do what in the network's calendar.

Events are for the network's adults (pupils are minors and take no part). Methodists and the
administrator run the whole calendar; association leaders put events in their associations; an
organiser and a teacher the administrator trusted with `hosts_events` put events in the calendar too.
An event's hosts manage it; its video link is shown only to the registered, its speakers and those who
manage it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts import Role
from app.extensions import db
from app.permissions import COLLEAGUE_ROLES, _signed_in, has_role
from app.permissions.library import leads_association, led_association_ids
from community.associations.models import AssociationMember, MemberStatus
from community.events.models import (
    Event,
    EventAudience,
    EventHost,
    EventInvite,
    EventRegistration,
    HostRole,
    RegistrationStatus,
)


def can_see_calendar(user: Any) -> bool:
    """The calendar, its events and feeds: every signed-in adult of the network."""
    return has_role(user, *COLLEAGUE_ROLES)


def runs_calendar(user: Any) -> bool:
    """Methodists and the administrator manage every event of the network."""
    return has_role(user, Role.ADMIN, Role.METHODIST)


def can_create_events(user: Any) -> bool:
    if runs_calendar(user) or has_role(user, Role.ORGANISER):
        return True
    if not has_role(user, *COLLEAGUE_ROLES):
        return False
    return bool(getattr(user, "hosts_events", False)) or bool(led_association_ids(user))


def can_host_for_association(user: Any, association_id: int | None) -> bool:
    """An event filed under an association: its leaders, methodists and the administrator."""
    return association_id is not None and (runs_calendar(user) or leads_association(user, association_id))


def hosts_event(user: Any, event: Event) -> bool:
    if not _signed_in(user):
        return False
    query = select(EventHost.id).where(
        EventHost.event_id == event.id, EventHost.user_id == user.id, EventHost.role == HostRole.HOST
    )
    return db.session.scalar(query) is not None


def can_manage_event(user: Any, event: Event) -> bool:
    """Edit, cancel, mark attendance, show the check-in code, see feedback and the registrations."""
    if runs_calendar(user):
        return True
    if not has_role(user, *COLLEAGUE_ROLES):
        return False
    return hosts_event(user, event) or leads_association(user, event.association_id)


def may_join_audience(user: Any, event: Event) -> bool:
    """Whether the event's audience includes this person (deadlines and capacity are the service's)."""
    if not can_see_calendar(user):
        return False
    if event.audience == EventAudience.NETWORK:
        return True
    if event.audience == EventAudience.ASSOCIATION:
        query = select(AssociationMember.id).where(
            AssociationMember.association_id == event.association_id,
            AssociationMember.user_id == user.id,
            AssociationMember.status == MemberStatus.ACTIVE,
        )
        return db.session.scalar(query) is not None
    invited = select(EventInvite.user_id).where(
        EventInvite.event_id == event.id, EventInvite.user_id == user.id
    )
    return db.session.scalar(invited) is not None


def can_see_event(user: Any, event: Event) -> bool:
    """An event's page, its .ics and registrations: an invitation-only event exists only for its
    invitees, the people registered or conducting it and those who manage it (as in the calendar)."""
    if not can_see_calendar(user):
        return False
    if event.audience != EventAudience.INVITED or runs_calendar(user):
        return True
    return (
        may_join_audience(user, event)
        or is_registered(user, event)
        or conducts_event(user, event)
        or can_manage_event(user, event)
    )


def is_registered(user: Any, event: Event) -> bool:
    if not _signed_in(user):
        return False
    query = select(EventRegistration.id).where(
        EventRegistration.event_id == event.id,
        EventRegistration.user_id == user.id,
        EventRegistration.status == RegistrationStatus.REGISTERED,
    )
    return db.session.scalar(query) is not None


def can_see_link(user: Any, event: Event) -> bool:
    """The video-conference link: the registered (not the waiting list), those who manage it, and its
    speakers (they give the talk or the open lesson, and their personal feed already holds the event)."""
    if not can_see_calendar(user):
        return False
    return is_registered(user, event) or conducts_event(user, event) or can_manage_event(user, event)


# ATTEND: attendance, certificates, feedback, the recording.


def conducts_event(user: Any, event: Event) -> bool:
    """A host or a speaker: gets a certificate of conducting the event."""
    if not _signed_in(user):
        return False
    query = select(EventHost.id).where(EventHost.event_id == event.id, EventHost.user_id == user.id)
    return db.session.scalar(query) is not None


def can_open_attendee_page(user: Any, event: Event) -> bool:
    """The attendee's page (check in, certificate, feedback, recording): the registered and those
    who conduct or manage the event, the same people as see its link."""
    return can_see_link(user, event)
