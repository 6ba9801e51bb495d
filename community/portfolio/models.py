"""The teacher's choice of what their portfolio shows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base
from app.timeutil import utcnow


class PortfolioSettings(Base):
    """One row per teacher who has opened their portfolio; no row means nothing is shown."""

    __tablename__ = "portfolio_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    # Off: only the teacher sees the page. On: anyone with the link (an attestation commission).
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    show_publications: Mapped[bool] = mapped_column(Boolean, default=True)
    show_courses: Mapped[bool] = mapped_column(Boolean, default=True)
    show_diplomas: Mapped[bool] = mapped_column(Boolean, default=True)
    show_jury: Mapped[bool] = mapped_column(Boolean, default=True)
    show_events: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
