"""Jury room: the scoring period of a stage — whether it is closed, closing it once, reopening it
before publication with a reason. Writes the jury config's `scoring_closed_at` only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.jury.models import JuryConfig
from contest_engine.jury.setup import jury_config
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Stage


def scoring_closed(stage: Stage, config: JuryConfig | None = None) -> bool:
    """Closed by the organiser, or the results are published (changes then go through appeals)."""
    config = config or jury_config(stage)
    return config.scoring_closed_at is not None or stage.results_published_at is not None


def close_scoring(stage: Stage, *, actor: User, now: datetime) -> None:
    """Close scoring once (a conditional update: two clicks close it once)."""
    if db.session.get(JuryConfig, stage.id) is None:
        db.session.add(JuryConfig(stage_id=stage.id))
        db.session.flush()
    result = db.session.execute(
        update(JuryConfig)
        .where(JuryConfig.stage_id == stage.id, JuryConfig.scoring_closed_at.is_(None))
        .values(scoring_closed_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Conflict(_("Scoring of this stage is already closed."))
    audit.record(
        "jury.scoring_closed",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
    )
    refresh_standing(stage)  # the final standing of the stage's scoring
    db.session.commit()


def reopen_scoring(stage: Stage, *, actor: User, reason: str) -> None:
    """Reopen before publication (e.g. a juror fell ill); the reason goes to the audit log."""
    if stage.results_published_at is not None:
        raise Conflict(_("Results are published: scores change only through appeals."))
    if not reason.strip():
        message = _("Give a reason.")
        raise Invalid(message, {"reason": message})
    db.session.execute(
        update(JuryConfig).where(JuryConfig.stage_id == stage.id).values(scoring_closed_at=None)
    )
    audit.record(
        "jury.scoring_reopened",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        reason=reason.strip(),
    )
    db.session.commit()
