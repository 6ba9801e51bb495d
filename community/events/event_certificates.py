"""Certificates of a calendar event: a participation certificate with the academic hours to each
attendee, and a certificate of conducting it to its hosts and speakers.

Both are app.certificates rows (source ("event", id)), so /verify, the API's check and the portfolio
read them like any other document. An attendee's is issued when their attendance is recorded (and
revoked if the host takes the mark back); a host's or speaker's once the event has begun, by the
host's marking or by the clock (community.events.certificate_issuing). Asking for one only reads:
a certificate earned but not issued yet (the minute before the clock's next tick) is a 409 saying
it is being prepared. The paper is always Russian and dated in the event's own zone (the issuer's).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from app.accounts import Institution, User
from app.certificates import Certificate, CertificateKind, issue
from app.documents.paper import Paper, Signature, issuer_zone
from app.domain_errors import Conflict, Forbidden
from app.extensions import db
from app.i18n import _, force_locale, lazy_, ngettext
from app.pdf import russian_date
from app.timeutil import DEFAULT_TIMEZONE, to_zone
from community.associations.models import Association, AssociationMember, MemberRole
from community.events.messages import text
from community.events.models import (
    Event,
    EventHost,
    EventKind,
    EventRegistration,
    EventStatus,
    HostRole,
    RegistrationStatus,
)
from community.rules import RuleError

SOURCE = "event"
SITE_ZONE = DEFAULT_TIMEZONE

TOOK_PART = {
    EventKind.WEBINAR: lazy_("took part in the webinar"),
    EventKind.OPEN_LESSON: lazy_("attended the open lesson"),
    EventKind.SEMINAR: lazy_("took part in the seminar"),
    EventKind.MASTER_CLASS: lazy_("took part in the master class"),
    EventKind.CONFERENCE: lazy_("took part in the conference"),
    EventKind.ROUND_TABLE: lazy_("took part in the round table"),
}
CONDUCTED = {
    EventKind.WEBINAR: lazy_("conducted the webinar"),
    EventKind.OPEN_LESSON: lazy_("gave the open lesson"),
    EventKind.SEMINAR: lazy_("conducted the seminar"),
    EventKind.MASTER_CLASS: lazy_("conducted the master class"),
    EventKind.CONFERENCE: lazy_("spoke at the conference"),
    EventKind.ROUND_TABLE: lazy_("led the round table"),
}


def event_date(event: Event) -> str:
    """The event's day as its own calendar shows it (the issuer's zone, like the certificate's date)."""
    return russian_date(to_zone(event.starts_at, issuer_zone(event.timezone)).date())


def certificate_details(event: Event) -> str:
    """What the portfolio prints under the title: the date and the hours, in Russian."""
    with force_locale("ru"):
        return _("%(date)s, %(hours)s academic hours", date=event_date(event), hours=event.hours)


def _issue(event: Event, user: User, kind: CertificateKind, *, now: datetime) -> Certificate:
    """The certificate row of either kind for this person and event (app.certificates keeps one)."""
    return issue(
        kind=kind,
        user_id=user.id,
        holder=user.full_name,
        title=event.title,
        source_type=SOURCE,
        source_id=event.id,
        details=certificate_details(event),
        now=now,
    )


def issue_attendance(event: Event, user: User, *, now: datetime) -> Certificate:
    """The attendee's certificate (flushes; the calling service commits). Issued again after a
    revocation (the host marked the person present once more): the same row becomes valid."""
    certificate = _issue(event, user, CertificateKind.EVENT_ATTENDANCE, now=now)
    certificate.revoked_at, certificate.revoked_reason = None, ""
    db.session.flush()
    return certificate


def revoke_attendance(event: Event, user_id: int, *, now: datetime, reason: str) -> None:
    """The host took back a mark: the certificate stops verifying (flushes; the caller commits)."""
    db.session.execute(
        update(Certificate)
        .where(
            Certificate.source_type == SOURCE,
            Certificate.source_id == event.id,
            Certificate.kind == CertificateKind.EVENT_ATTENDANCE,
            Certificate.user_id == user_id,
            Certificate.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_reason=reason)
    )


def held_certificate(event: Event, user: User, kind: CertificateKind) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.source_type == SOURCE,
            Certificate.source_id == event.id,
            Certificate.kind == kind,
            Certificate.user_id == user.id,
        )
    )


def certificate_for(event: Event, user: User, *, now: datetime) -> Certificate:
    """The document this person has for the event (reads only): the participation certificate if
    they attended, otherwise the certificate of conducting if they host or speak. Refused (403) to
    anyone else; (409) for a cancelled event, before the start (conducting), and while an earned
    certificate waits for the clock to issue it."""
    if event.status == EventStatus.CANCELLED:
        raise Conflict(text(RuleError("event_cancelled")))
    attended = db.session.scalar(
        select(EventRegistration.attended_at).where(
            EventRegistration.event_id == event.id,
            EventRegistration.user_id == user.id,
            EventRegistration.status == RegistrationStatus.REGISTERED,
        )
    )
    if attended is not None:
        found = held_certificate(event, user, CertificateKind.EVENT_ATTENDANCE)
        if found is None or found.revoked_at is not None:
            raise Conflict(text(RuleError("certificate_preparing")))
        return found
    role = db.session.scalar(
        select(EventHost.role).where(EventHost.event_id == event.id, EventHost.user_id == user.id)
    )
    if role is None:
        raise Forbidden(text(RuleError("no_certificate")))
    if now < event.starts_at:
        raise Conflict(text(RuleError("not_started")))
    found = held_certificate(event, user, CertificateKind.EVENT_CONDUCTING)
    if found is None:
        raise Conflict(text(RuleError("certificate_preparing")))
    return found


def certificate_state(event: Event, user: User, *, now: datetime) -> tuple[Certificate | None, str]:
    """For a page: the person's certificate, or why there is none to download yet ("" when they get
    none at all, e.g. a methodist managing an event they neither attended nor conducted)."""
    try:
        return certificate_for(event, user, now=now), ""
    except Forbidden:
        return None, ""
    except Conflict as error:
        return None, error.message


def organiser_name(event: Event) -> str:
    """Who held the event, as printed: the association, else the institution (one query each)."""
    if event.association_id is not None:
        association = db.session.get(Association, event.association_id)
        if association is not None:
            return association.name
    if event.institution_id is not None:
        institution = db.session.get(Institution, event.institution_id)
        if institution is not None:
            return institution.name
    return ""


def event_paper(event: Event, certificate: Certificate) -> Paper:
    """The certificate as printed and as /verify describes it: what the person did at the event, its
    date and hours in the event's own zone, the association or institution that held it (else its
    host), signed by the association's leader, else by the event's first host."""
    conducting = certificate.kind == CertificateKind.EVENT_CONDUCTING
    verb = (CONDUCTED if conducting else TOOK_PART)[event.kind]
    signer = _signer(event)
    with force_locale("ru"):
        hours = ngettext(
            "in the amount of %(num)d academic hour", "in the amount of %(num)d academic hours", event.hours
        )
        statement = (
            str(verb),
            f"«{certificate.title}»",
            _("held on %(date)s", date=event_date(event)),
            hours,
        )
        return Paper(
            kind_label=_("Certificate of conducting an event")
            if conducting
            else _("Certificate of participation in an event"),
            heading=_("TESTIMONIAL (heading)") if conducting else _("CERTIFICATE (heading)"),
            subheading=_("of conducting an event") if conducting else _("of a participant of an event"),
            preamble=_("this is to certify that"),
            holder=certificate.holder,
            statement=statement,
            certifies=f"{verb} «{certificate.title}»",
            hours=event.hours,
            organiser=organiser_name(event) or (signer.name if signer else ""),
            signatures=(signer,) if signer else (),
            issued_at=certificate.issued_at,
            zone=issuer_zone(event.timezone),
            code=certificate.code,
        )


def event_certificate_paper(certificate: Certificate) -> Paper | None:
    """The Paper of an event certificate's row, or None when its event is gone."""
    event = db.session.get(Event, certificate.source_id)
    return event_paper(event, certificate) if event is not None else None


def _signer(event: Event) -> Signature | None:
    """The association's leader, else the event's first host (call inside `force_locale("ru")`)."""
    if event.association_id is not None:
        leader = db.session.scalar(
            select(User)
            .join(AssociationMember, AssociationMember.user_id == User.id)
            .where(
                AssociationMember.association_id == event.association_id,
                AssociationMember.role == MemberRole.LEADER,
            )
            .order_by(AssociationMember.id)
            .limit(1)
        )
        if leader is not None:
            with force_locale("ru"):
                return Signature(_("Head of the methodical association"), leader.full_name)
    host = db.session.scalar(
        select(User)
        .join(EventHost, EventHost.user_id == User.id)
        .where(EventHost.event_id == event.id, EventHost.role == HostRole.HOST)
        .order_by(EventHost.id)
        .limit(1)
    )
    if host is None:
        return None
    with force_locale("ru"):
        return Signature(_("Host of the event"), host.full_name)
