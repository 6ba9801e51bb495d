"""Tables of subscriptions and of the digest's progress per person."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base, str_enum
from app.timeutil import utcnow


class SubscriptionTarget(enum.StrEnum):
    FORUM = "forum"
    TOPIC = "topic"
    ASSOCIATION = "association"  # every forum of the association


class DeliveryMode(enum.StrEnum):
    OFF = "off"
    EACH = "each"  # a letter per post
    DIGEST = "digest"  # one letter a day with the full texts


class Subscription(Base):
    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    target: Mapped[SubscriptionTarget] = mapped_column(str_enum(SubscriptionTarget))
    target_id: Mapped[int] = mapped_column(Integer)
    mode: Mapped[DeliveryMode] = mapped_column(str_enum(DeliveryMode), default=DeliveryMode.EACH)
    # A news forum's subscription: the person may choose each or digest, never off.
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "target", "target_id"),
        Index("ix_subscription_target_mode", "target", "target_id", "mode"),
    )


class DigestState(Base):
    """Up to when a person's digests have covered posts: the job moves it forward with a conditional
    update in the transaction that queues the letter, so running the job twice sends it once."""

    __tablename__ = "digest_state"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    covered_until: Mapped[datetime] = mapped_column(default=utcnow)
