"""Jury room: certificates of jury work — issuing one per juror who submitted scores on a stage,
and listing a stage's or a juror's. Writes certificates (through `app.certificates`) only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app import audit
from app.accounts import User
from app.certificates import Certificate, CertificateKind, find, issue
from app.domain_errors import Conflict
from app.extensions import db
from app.i18n import _
from contest_engine.jury.models import ScoreSheet, SheetState
from contest_engine.models import Contest, Stage

SOURCE = "jury_stage"


def issue_jury_certificates(stage: Stage, *, actor: User, now: datetime) -> list[Certificate]:
    """One certificate of jury work per juror who submitted scores on the stage (re-issuing keeps codes)."""
    contest = db.session.get(Contest, stage.contest_id)
    assert contest is not None
    rows = db.session.execute(
        select(User, func.count(ScoreSheet.id))
        .join(ScoreSheet, ScoreSheet.juror_id == User.id)
        .where(ScoreSheet.stage_id == stage.id, ScoreSheet.state == SheetState.SUBMITTED)
        .group_by(User.id)
        .order_by(User.full_name)
    ).all()
    if not rows:
        raise Conflict(_("No juror has submitted scores on this stage yet."))
    issued = []
    for user, count in rows:
        issued.append(
            issue(
                kind=CertificateKind.JURY,
                user_id=user.id,
                holder=user.full_name,
                title=f"{contest.title}: {stage.title}",
                source_type=SOURCE,
                source_id=stage.id,
                details=_("Member of the jury; entries scored: %(n)d", n=count),
                now=now,
            )
        )
    audit.record(
        "jury.certificates_issued",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        object_type="stage",
        object_id=stage.id,
        details={"count": len(issued)},
    )
    db.session.commit()
    return issued


def jury_certificates(stage_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(
                Certificate.source_type == SOURCE,
                Certificate.source_id == stage_id,
                Certificate.kind == CertificateKind.JURY,
            )
            .order_by(Certificate.holder)
        )
    )


def juror_certificates(user_id: int) -> list[Certificate]:
    """A juror's own certificates of jury work, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(
                Certificate.user_id == user_id,
                Certificate.kind == CertificateKind.JURY,
                Certificate.revoked_at.is_(None),
            )
            .order_by(Certificate.issued_at.desc())
            .limit(50)
        )
    )


def jury_certificate(code: str) -> Certificate | None:
    """A valid certificate of jury work by its code (None for a revoked one or another kind)."""
    certificate = find(code)
    if certificate is None or certificate.kind != CertificateKind.JURY or certificate.source_type != SOURCE:
        return None
    return certificate
