"""Library: moderation — the queue of versions awaiting a decision, a moderator's decision (publish or
reject with a reason, the author told in the app and by e-mail in their language), trusted authors.

The state change itself is community/library/publication.py's (a conditional UPDATE from `pending`):
of two moderators deciding at once one wins, the other gets a Conflict and nothing of theirs is
written — no second notification, no second letter. Who may decide is asked by the views
(app.permissions.library); the scope of a queue is passed in as association ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select

from app import audit
from app.accounts import Role, User
from app.domain_errors import DomainError, Forbidden
from app.extensions import db
from app.i18n import _, force_locale
from community.associations.models import Association
from community.library.messages import refusal, text
from community.library.models import Material, MaterialVersion, VersionState
from community.library.publication import publish_version, reject_version
from community.library.review_rules import check_decision, check_reviewer, waiting_days
from community.notices.delivery import tell
from community.notices.kinds import Kind
from community.rules import RuleError

# None: every material (methodists, administrators); a list: only these associations' materials.
Scope = list[int] | None
Row = TypeVarTuple("Row")


@dataclass(frozen=True)
class QueueItem:
    version_id: int
    material_id: int
    number: int
    title: str
    author_name: str
    association_name: str | None
    submitted_at: datetime | None
    republication: bool  # a new version of a material already in the catalogue
    days: int


def queue_query(
    scope: Scope, reviewer_id: int | None = None
) -> Select[int, int, int, str, str, str, datetime | None, int | None]:
    """Pending versions in the scope, oldest first (paginate with `scalars=False`, map with `queue_item`);
    without the reviewer's own materials, on which they may not decide."""
    query = (
        select(
            MaterialVersion.id,
            MaterialVersion.material_id,
            MaterialVersion.number,
            MaterialVersion.title,
            User.full_name,
            Association.name,
            MaterialVersion.submitted_at,
            Material.published_version_id,
        )
        .join(Material, Material.id == MaterialVersion.material_id)
        .join(User, User.id == Material.author_id)
        .outerjoin(Association, Association.id == Material.association_id)
        .where(MaterialVersion.state == VersionState.PENDING)
        .order_by(MaterialVersion.submitted_at, MaterialVersion.id)
    )
    return _scoped(query, scope, reviewer_id)


def queue_item(row: Any, now: datetime) -> QueueItem:
    version_id, material_id, number, title, author, association, submitted_at, published_id = row
    return QueueItem(
        version_id,
        material_id,
        number,
        title,
        author,
        association,
        submitted_at,
        published_id is not None,
        waiting_days(submitted_at, now),
    )


def queue_summary(scope: Scope, reviewer_id: int | None = None) -> tuple[int, datetime | None]:
    """How many versions wait in the scope and when the oldest was sent (one query)."""
    query = _scoped(
        select(func.count(), func.min(MaterialVersion.submitted_at))
        .select_from(MaterialVersion)
        .join(Material, Material.id == MaterialVersion.material_id)
        .where(MaterialVersion.state == VersionState.PENDING),
        scope,
        reviewer_id,
    )
    count, oldest = db.session.execute(query).one()
    return int(count or 0), oldest


def pending_version(material_id: int) -> MaterialVersion | None:
    """The version of a material awaiting a decision (the newest, should there ever be two)."""
    return db.session.scalar(
        select(MaterialVersion)
        .where(MaterialVersion.material_id == material_id, MaterialVersion.state == VersionState.PENDING)
        .order_by(MaterialVersion.number.desc())
        .limit(1)
    )


def review(
    version: MaterialVersion, decision: str, reason: str, *, actor: User, now: datetime, link: str
) -> Material:
    """Publish or reject a pending version and tell its author, all in one transaction.

    `link` is the material's address, put in the notification and the letter."""
    material = db.session.get_one(Material, version.material_id)
    try:
        check_reviewer(material.author_id, actor.id)
    except RuleError as error:
        raise Forbidden(text(error)) from None
    try:
        reason = check_decision(decision, reason)
    except RuleError as error:
        raise refusal(error) from None
    try:
        if decision == "publish":
            material = publish_version(version, actor=actor, now=now)
        else:
            material = reject_version(version, reason, actor=actor, now=now)
    except DomainError:
        db.session.rollback()
        raise
    author = db.session.get_one(User, material.author_id)
    _tell_author(author, version, decision, reason, link)
    db.session.commit()
    return material


def set_trusted_author(user: User, trusted: bool, *, actor: User) -> User:
    """An administrator marks an author trusted (their submissions are published at once) or not."""
    if trusted and user.role == Role.STUDENT:
        raise refusal(RuleError("trusted_pupil", "trusted"))
    if user.trusted_author != trusted:
        user.trusted_author = trusted
        audit.record(
            "library.trusted_author_set" if trusted else "library.trusted_author_unset",
            actor=actor,
            scope_type="user",
            scope_id=user.id,
            object_type="user",
            object_id=user.id,
        )
    db.session.commit()
    return user


def trusted_authors_query() -> Select[User]:
    return select(User).where(User.trusted_author.is_(True)).order_by(User.full_name, User.id)


def _tell_author(author: User, version: MaterialVersion, decision: str, reason: str, link: str) -> None:
    with force_locale(author.locale or "ru"):
        if decision == "publish":
            note = _("Your material “%(title)s” is published.", title=version.title)
            subject = _("Your material is published")
            lines = [note, _("It is in the library now: %(url)s", url=link)]
        else:
            note = _("Your material “%(title)s” was not published.", title=version.title)
            subject = _("Your material was not published")
            lines = [
                note,
                _("The moderator's reason: %(reason)s", reason=reason),
                _("You can correct it and send it again: %(url)s", url=link),
            ]
        kind = Kind.MATERIAL_PUBLISHED if decision == "publish" else Kind.MATERIAL_REJECTED
        # The bell and the letter, each as the author chose for the kind (both by default).
        tell(author, kind, note, link, subject=subject, body="\n\n".join(lines))


def _scoped(query: Select[*Row], scope: Scope, reviewer_id: int | None) -> Select[*Row]:
    if reviewer_id is not None:
        query = query.where(Material.author_id != reviewer_id)
    return query if scope is None else query.where(Material.association_id.in_(scope))
