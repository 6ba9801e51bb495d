"""Tables of the events calendar.

An event is one sitting at one moment; a weekly series is a row of events sharing `series_id`, each
registered for on its own. Times are stored in UTC and shown in the viewer's zone; `timezone` is the
host's zone, the one the event was planned in (a series keeps its wall-clock time across a change
of daylight saving). `registered_count` is kept by the registration service with conditional
UPDATEs, so that fifty people at once never take more than `capacity` seats.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts import Institution, User
from app.extensions import Base, str_enum
from app.timeutil import utcnow


class EventKind(enum.StrEnum):
    WEBINAR = "webinar"
    OPEN_LESSON = "open_lesson"
    SEMINAR = "seminar"
    MASTER_CLASS = "master_class"
    CONFERENCE = "conference"
    ROUND_TABLE = "round_table"


class EventFormat(enum.StrEnum):
    ONLINE = "online"  # a video-conference link, shown only to the registered and the hosts
    OFFLINE = "offline"  # in person, at an address
    HYBRID = "hybrid"  # both


class EventAudience(enum.StrEnum):
    NETWORK = "network"  # every adult of the network may register
    ASSOCIATION = "association"  # the members of `association_id`
    INVITED = "invited"  # the people in event_invite


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"  # kept for the record; registrations are told


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"  # in the queue, by id; promoted in order when a seat frees
    CANCELLED = "cancelled"


class HostRole(enum.StrEnum):
    HOST = "host"  # runs the event: edits it, marks attendance, sees feedback
    SPEAKER = "speaker"  # speaks at it: a certificate of conducting, no editing


class CheckIn(enum.StrEnum):
    MARKED = "marked"  # the host marked the person present
    CODE = "code"  # the attendee typed the code shown during the event


class EventSeries(Base):
    """Events created at once by one "repeat weekly until" (a webinar every Thursday of the term)."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    weekly_until: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_series.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.SCHEDULED)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised when saved
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()  # starts_at + duration, stored for range queries
    duration_minutes: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    format: Mapped[EventFormat] = mapped_column(str_enum(EventFormat), default=EventFormat.ONLINE)
    link: Mapped[str] = mapped_column(String(1000), default="")  # never shown to the unregistered
    address: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    audience: Mapped[EventAudience] = mapped_column(str_enum(EventAudience), default=EventAudience.NETWORK)
    registration_closes_at: Mapped[datetime | None] = mapped_column(default=None)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    association_id: Mapped[int | None] = mapped_column(
        ForeignKey("association.id", ondelete="SET NULL"), index=True
    )
    # Grades the event is meant for, e.g. [5, 6, 7]; empty: any.
    grades: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Optional questions on the registration form: [{"id": "q1", "text": ..., "required": bool}].
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Shown by the host during the event; attendees type it to check in.
    checkin_code: Mapped[str] = mapped_column(String(16), default="")
    # Academic hours on the attendance certificate (a 45-minute hour); set from the duration.
    hours: Mapped[int] = mapped_column(SmallInteger, default=1)
    recording_url: Mapped[str] = mapped_column(String(1000), default="")
    # Set for an open demo lesson: the contest final's slot it shows to colleagues (one event per slot).
    demo_slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("jury_demo_slot.id", ondelete="CASCADE"), unique=True
    )
    registered_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    waiting_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    institution: Mapped[Institution | None] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "capacity IS NULL OR registered_count <= capacity", name="registered_within_capacity"
        ),
        CheckConstraint("registered_count >= 0 AND waiting_count >= 0", name="counts_not_negative"),
        Index("ix_event_starts_at", "starts_at"),
        Index("ix_event_kind_starts_at", "kind", "starts_at"),
    )


class EventSubject(Base):
    __tablename__ = "event_subject"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_event_subject_subject", "subject_id", "event_id"),)


class EventHost(Base):
    """A host or speaker of an event; the creator is its first host."""

    __tablename__ = "event_host"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[HostRole] = mapped_column(str_enum(HostRole), default=HostRole.HOST)

    user: Mapped[User] = relationship(lazy="raise_on_sql")

    __table_args__ = (UniqueConstraint("event_id", "user_id"),)


class EventInvite(Base):
    """Who may register for an event whose audience is `invited`."""

    __tablename__ = "event_invite"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EventRegistration(Base):
    """One person's place at an event: registered, waiting (ordered by id) or cancelled, with their
    answers to the form's questions, the reminders already sent and whether they came."""

    __tablename__ = "event_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus))
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(default=None)  # moved from the waiting list
    # Each reminder is claimed by a conditional UPDATE before its letter is queued: sent once.
    reminded_day_at: Mapped[datetime | None] = mapped_column(default=None)
    reminded_hour_at: Mapped[datetime | None] = mapped_column(default=None)
    attended_at: Mapped[datetime | None] = mapped_column(default=None)
    check_in: Mapped[CheckIn | None] = mapped_column(str_enum(CheckIn), default=None)

    user: Mapped[User] = relationship(lazy="raise_on_sql")
    event: Mapped[Event] = relationship(lazy="raise_on_sql")

    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_event_registration_event_status", "event_id", "status", "id"),
    )


class EventFeedback(Base):
    """An attendee's answer after the event: 1–5 and a comment; one per person."""

    __tablename__ = "event_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )


class EventMaterial(Base):
    """A library material the host attached after the event (slides, the lesson plan)."""

    __tablename__ = "event_material"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CalendarToken(Base):
    """The secret of a person's iCal feed (/calendar/<token>.ics); resetting it replaces the row's
    token, so every calendar subscribed to the old address stops receiving."""

    __tablename__ = "calendar_token"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
