"""Associations room: creating a methodical association, naming its leaders, joining (at once or on
request), approving requests and leaving. Writes Association and AssociationMember only.

Who may call which verb is asked by the views (app.permissions.library); these services keep the
rules two requests could break: one row per person (the unique key), a request approved once (a
conditional UPDATE), the last leader kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, NotFound
from app.extensions import added, db, rows_changed
from app.i18n import _, force_locale
from app.notifications import notify
from community.associations.models import (
    Association,
    AssociationMember,
    JoinPolicy,
    MemberRole,
    MemberStatus,
)
from community.associations.rules import check_association, check_leaving, check_may_belong, check_member_role
from community.forums import places as forum_places
from community.forums.models import ForumScope
from community.library.messages import refusal
from community.library.messages import text as rule_text
from community.rules import RuleError
from community.subjects import Subject


def create_association(
    *,
    name: str,
    subject_id: int | None,
    description: str = "",
    district: str = "",
    join_policy: str = "open",
    actor: User,
    now: datetime,
) -> Association:
    """A methodist or administrator opens an association; leaders are named afterwards."""
    name, description, district = name.strip(), description.strip(), district.strip()
    try:
        check_association(name, description, district, join_policy)
        if subject_id is not None and db.session.get(Subject, subject_id) is None:
            raise RuleError("association_unknown_subject", "subject")
    except RuleError as error:
        raise refusal(error) from None
    association = Association(
        name=name,
        subject_id=subject_id,
        description=description,
        district=district,
        join_policy=JoinPolicy(join_policy),
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(association)
    db.session.flush()
    _record("association.created", association, actor, details={"name": name})
    forum_places.add_default_forums(ForumScope.ASSOCIATION, association.id, actor_id=actor.id)
    db.session.commit()
    return association


def join(association: Association, user: User, *, now: datetime, link: str = "") -> AssociationMember:
    """A teacher joins an open association at once, or asks to join one on request (its leaders are
    told); a second join is a Conflict."""
    _check_may_belong(user)
    pending = association.join_policy == JoinPolicy.REQUEST
    status = MemberStatus.PENDING if pending else MemberStatus.ACTIVE
    member = _insert(association, user, MemberRole.MEMBER, status, now)
    if pending:
        for leader_id, locale in _leaders(association.id):
            with force_locale(locale or "ru"):
                asks = _(
                    "%(name)s asks to join “%(association)s”.",
                    name=user.full_name,
                    association=association.name,
                )
            notify(leader_id, asks, link)
    _record("association.joined", association, user, user.id, {"status": str(status)})
    db.session.commit()
    return member


def add_member(
    association: Association, user: User, role: str, *, actor: User, now: datetime, link: str = ""
) -> AssociationMember:
    """A leader or methodist adds a person with a role, approves their request, or changes their role
    (naming a leader). The person is told in their language."""
    try:
        check_member_role(role)
    except RuleError as error:
        raise refusal(error) from None
    _check_may_belong(user)
    existing = _membership(association.id, user.id)
    if existing is None:
        member = _insert(association, user, MemberRole(role), MemberStatus.ACTIVE, now)
    else:
        if existing.role == MemberRole.LEADER and role != MemberRole.LEADER:
            _keep_a_leader(association.id, existing)
        changed = rows_changed(
            update(AssociationMember)
            .where(
                AssociationMember.id == existing.id,
                AssociationMember.role == existing.role,
                AssociationMember.status == existing.status,
            )
            .values(role=MemberRole(role), status=MemberStatus.ACTIVE)
            .execution_options(synchronize_session=False)
        )
        if not changed:
            db.session.rollback()
            raise Conflict(_("Someone changed this membership at the same time; reload the page."))
        db.session.refresh(existing)
        member = existing
    with force_locale(user.locale or "ru"):
        message = (
            _("You are a leader of “%(association)s”.", association=association.name)
            if role == MemberRole.LEADER
            else _("You are a member of “%(association)s”.", association=association.name)
        )
    notify(user.id, message, link)
    _record("association.member_added", association, actor, user.id, {"role": role})
    db.session.commit()
    return member


def leave(association: Association, user: User, *, actor: User) -> None:
    """A person leaves (or withdraws a request); a leader or methodist removes a member or declines a
    request. The last active leader stays."""
    member = _membership(association.id, user.id)
    if member is None:
        raise NotFound(_("This person is not in the association."))
    if member.role == MemberRole.LEADER and member.status == MemberStatus.ACTIVE:
        _keep_a_leader(association.id, member)
    if not rows_changed(delete(AssociationMember).where(AssociationMember.id == member.id)):
        db.session.rollback()
        raise Conflict(_("This membership has already ended."))
    action = "association.left" if actor.id == user.id else "association.member_removed"
    _record(action, association, actor, user.id, {"status": str(member.status)})
    db.session.commit()


def approve(association: Association, user: User, *, actor: User, link: str = "") -> AssociationMember:
    """A leader approves a pending request: one UPDATE from `pending`, so two leaders approving at once
    approve it once."""
    member = _membership(association.id, user.id)
    changed = member is not None and rows_changed(
        update(AssociationMember)
        .where(AssociationMember.id == member.id, AssociationMember.status == MemberStatus.PENDING)
        .values(status=MemberStatus.ACTIVE)
        .execution_options(synchronize_session=False)
    )
    if member is None or not changed:
        db.session.rollback()
        raise Conflict(_("There is no request to approve."))
    db.session.refresh(member)
    with force_locale(user.locale or "ru"):
        notify(
            user.id,
            _("Your request to join “%(association)s” is approved.", association=association.name),
            link,
        )
    _record("association.request_approved", association, actor, user.id)
    db.session.commit()
    return member


def membership(association_id: int, user_id: int) -> AssociationMember | None:
    return _membership(association_id, user_id)


def filing_association_ids(user_id: int) -> list[int]:
    """The associations a person may file materials under: those they are an active member of."""
    query = select(AssociationMember.association_id).where(
        AssociationMember.user_id == user_id, AssociationMember.status == MemberStatus.ACTIVE
    )
    return list(db.session.scalars(query))


def _check_may_belong(user: User) -> None:
    try:
        check_may_belong(str(user.role), user.active)
    except RuleError as error:
        raise refusal(error) from None


def _keep_a_leader(association_id: int, member: AssociationMember) -> None:
    """Two leaders leaving at once must not both see the other stay: the association's row is locked
    first (PostgreSQL; SQLite's write transactions are serial already)."""
    db.session.execute(select(Association.id).where(Association.id == association_id).with_for_update())
    others = db.session.scalar(
        select(func.count())
        .select_from(AssociationMember)
        .where(
            AssociationMember.association_id == association_id,
            AssociationMember.role == MemberRole.LEADER,
            AssociationMember.status == MemberStatus.ACTIVE,
            AssociationMember.id != member.id,
        )
    )
    try:
        check_leaving(str(member.role), others or 0)
    except RuleError as error:
        message = rule_text(error)
        raise Conflict(message, {error.field: message}) from None


def _insert(
    association: Association, user: User, role: MemberRole, status: MemberStatus, now: datetime
) -> AssociationMember:
    member = AssociationMember(
        association_id=association.id, user_id=user.id, role=role, status=status, joined_at=now
    )
    if not added(member):
        db.session.rollback()
        raise Conflict(_("This person is already in the association or has asked to join.")) from None
    return member


def _membership(association_id: int, user_id: int) -> AssociationMember | None:
    return db.session.scalar(
        select(AssociationMember).where(
            AssociationMember.association_id == association_id, AssociationMember.user_id == user_id
        )
    )


def _leaders(association_id: int) -> list[tuple[int, str]]:
    """(id, locale) of the active leaders: each is told in their own language."""
    query = (
        select(User.id, User.locale)
        .join(AssociationMember, AssociationMember.user_id == User.id)
        .where(
            AssociationMember.association_id == association_id,
            AssociationMember.role == MemberRole.LEADER,
            AssociationMember.status == MemberStatus.ACTIVE,
        )
    )
    return [(row.id, row.locale) for row in db.session.execute(query)]


def _record(
    action: str,
    association: Association,
    actor: User,
    user_id: int | None = None,
    details: dict[str, str] | None = None,
) -> None:
    audit.record(
        action,
        actor=actor,
        scope_type="association",
        scope_id=association.id,
        object_type="user" if user_id is not None else "association",
        object_id=user_id if user_id is not None else association.id,
        details=details,
    )
