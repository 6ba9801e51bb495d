"""Subscriptions: a person subscribes to a forum, a topic or an association (every forum of it) —
every post by letter, a daily digest, or off — and turns one off from a letter's signed link.

One row per (person, target) (a unique key): choosing a mode is an UPDATE, or an INSERT in a
savepoint when there is no row yet, and an insert that loses a race to a twin request updates the
winner's row instead, so two clicks at once leave one row with the last mode. A course's news is
forced: everyone in the course gets it (derived from membership when a post is delivered, so people
enrolled later get it too, with no row); a row with `forced` keeps the mode a member chose (each or
digest), and off is refused (409). A topic's row overrides its forum's, which overrides its
association's: "off" on a topic silences it inside a subscribed forum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update

from app import audit
from app.accounts import User
from app.domain_errors import NotFound
from app.extensions import added, db, rows_changed
from app.i18n import _
from app.notifications import NotificationPreference
from community.associations.models import Association
from community.forums.models import Forum, ForumKind, ForumScope, Topic
from community.subscriptions import rules
from community.subscriptions.access import DIGEST_SCOPE, Scope, place_access
from community.subscriptions.messages import refusal
from community.subscriptions.models import DeliveryMode, Subscription, SubscriptionTarget


@dataclass(frozen=True)
class Target:
    """A subscribable thing as the person may see it: its forum (for a topic, the topic's; for an
    association, its general forum, unsaved when not made yet) decides who may read it."""

    kind: str
    id: int
    forum: Forum
    forced: bool  # a news forum (or a topic of one) of a place the person belongs to


def check_choice(target: object, mode: object) -> tuple[str, str]:
    """(target, mode) named by a request, or a 422 naming the bad field (before any lookup)."""
    try:
        return rules.target(target), rules.mode(mode)
    except rules.RuleError as error:
        raise refusal(error) from None


def find_target(user: User, target: object, target_id: int) -> Target:
    """The target, or NotFound for one that is not there or that the person may not read."""
    try:
        kind = rules.target(target)
    except rules.RuleError as error:
        raise refusal(error) from None
    forum: Forum | None = None
    if kind == "forum":
        forum = db.session.get(Forum, target_id)
    elif kind == "topic":
        topic = db.session.get(Topic, target_id)
        if topic is not None and topic.hidden_at is None:
            forum = db.session.get(Forum, topic.forum_id)
    elif db.session.get(Association, target_id) is not None:
        forum = Forum(
            scope=ForumScope.ASSOCIATION, scope_id=target_id, slot="general", kind=ForumKind.DISCUSSION
        )
    access = place_access()
    if forum is None or user.id not in access.readers_among(forum, [user.id]):
        raise NotFound(_("There is nothing to subscribe to here."))
    forced = kind != "association" and forum.kind == ForumKind.NEWS and is_member(forum, user.id)
    return Target(kind, target_id, forum, forced)


def subscribe(actor: User, target: Target, mode: object, *, now: datetime) -> Subscription:
    """Set the person's mode for the target (409 for off on a forced one, 422 for a bad mode)."""
    try:
        chosen = rules.chosen_mode(mode, forced=target.forced)
    except rules.RuleError as error:
        raise refusal(error) from None
    _upsert(actor.id, target.kind, target.id, chosen, target.forced, now)
    audit.record(
        "forum.subscription_set",
        actor=actor,
        scope_type="forum",
        scope_id=target.forum.id,
        object_type=f"subscription_{target.kind}",
        object_id=target.id,
        details={"mode": chosen, "forced": target.forced},
    )
    db.session.commit()
    return current(actor.id, target.kind, target.id)  # type: ignore[return-value]


def current(user_id: int, target: str, target_id: int) -> Subscription | None:
    return db.session.scalar(
        select(Subscription).where(
            Subscription.user_id == user_id,
            Subscription.target == SubscriptionTarget(target),
            Subscription.target_id == target_id,
        )
    )


def unsubscribe(scope: Scope, *, now: datetime) -> str:
    """What a letter's unsubscribe link does: "off" (done), "digest" (forced course news moves to
    the daily digest: it cannot stop), "news_each" (the digest stopped, and the course news it
    carried comes post by post), or "gone" (the person or the target is not there any more)."""
    user = db.session.get(User, scope.user_id)
    if user is None:
        return "gone"
    if scope.target == DIGEST_SCOPE:
        rows_changed(
            update(Subscription)
            .where(
                Subscription.user_id == user.id,
                Subscription.mode == DeliveryMode.DIGEST,
                Subscription.forced.is_(False),
            )
            .values(mode=DeliveryMode.OFF)
            .execution_options(synchronize_session=False)
        )
        news = rows_changed(  # course news cannot stop: it comes post by post instead of in the digest
            update(Subscription)
            .where(
                Subscription.user_id == user.id,
                Subscription.mode == DeliveryMode.DIGEST,
                Subscription.forced.is_(True),
            )
            .values(mode=DeliveryMode.EACH)
            .execution_options(synchronize_session=False)
        )
        rows_changed(  # the notifications the person wanted in the digest stop too
            update(NotificationPreference)
            .where(NotificationPreference.user_id == user.id, NotificationPreference.in_digest.is_(True))
            .values(in_digest=False)
            .execution_options(synchronize_session=False)
        )
        _record(user, "digest", 0, rules.OFF)
        db.session.commit()
        return "news_each" if news else rules.OFF
    try:
        target = find_target(user, scope.target, scope.target_id)
    except NotFound:
        return "gone"
    outcome = rules.DIGEST if target.forced else rules.OFF
    _upsert(user.id, target.kind, target.id, outcome, target.forced, now)
    _record(user, target.kind, target.id, outcome)
    db.session.commit()
    return outcome


def is_member(forum: Forum, user_id: int) -> bool:
    """Whether the person belongs to the forum's place (a news forum's forced subscriber)."""
    members = place_access().members(forum).subquery()
    return bool(db.session.scalar(select(exists().where(list(members.c)[0] == user_id))))


def _upsert(user_id: int, target: str, target_id: int, mode: str, forced: bool, now: datetime) -> None:
    where = (
        Subscription.user_id == user_id,
        Subscription.target == SubscriptionTarget(target),
        Subscription.target_id == target_id,
    )
    change = (
        update(Subscription)
        .where(*where)
        .values(mode=DeliveryMode(mode), forced=forced)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(change):
        return
    row = Subscription(
        user_id=user_id,
        target=SubscriptionTarget(target),
        target_id=target_id,
        mode=DeliveryMode(mode),
        forced=forced,
        created_at=now,
    )
    if not added(row):  # a twin request inserted it first: ours is the later choice
        rows_changed(change)


def _record(user: User, target: str, target_id: int, mode: str) -> None:
    audit.record(
        "forum.unsubscribed",
        actor=user,
        scope_type="user",
        scope_id=user.id,
        object_type=f"subscription_{target}",
        object_id=target_id,
        details={"mode": mode},
    )
