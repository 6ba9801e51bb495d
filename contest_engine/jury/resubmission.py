"""Jury room: a new version of an entry under jury review — the jury's work follows the
participant's entry.

The rule (issue 9, item 7): assignments and score sheets belong to the participant's current
entry, so a new version takes them over from the one it replaces. Before any juror has scored,
the jurors simply see the new version. Once scoring has begun, the entry goes back to its jurors:
their sheets move to the new version as drafts (points kept as a starting point, the weighted total
cleared), each of them is told, and the audit log records it. A draft counts as a missing score,
so advancement stays blocked until they have looked at the new version and submitted again.
"""

from __future__ import annotations

from sqlalchemy import select, update

from app import audit
from app.accounts import User
from app.extensions import db
from app.i18n import _
from app.notifications import notify
from contest_engine.jury.models import JuryAssignment, ScoreSheet, SheetState
from contest_engine.models import Entry, Stage


def follow_new_version(stage: Stage, old_entry_id: int, new_entry: Entry, *, actor: User) -> list[int]:
    """Move the old version's assignments and sheets to `new_entry` (flushes; the caller commits).

    Returns the jurors whose submitted scores went back to draft (they were notified)."""
    sent_back = list(
        db.session.scalars(
            select(ScoreSheet.juror_id).where(
                ScoreSheet.entry_id == old_entry_id, ScoreSheet.state == SheetState.SUBMITTED
            )
        )
    )
    db.session.execute(
        update(JuryAssignment)
        .where(JuryAssignment.entry_id == old_entry_id)
        .values(entry_id=new_entry.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(ScoreSheet)
        .where(ScoreSheet.entry_id == old_entry_id)
        .values(entry_id=new_entry.id, state=SheetState.DRAFT, weighted_total=None)
        .execution_options(synchronize_session=False)
    )
    for juror_id in sent_back:
        notify(
            juror_id,
            _(
                "A participant of “%(stage)s” handed in a new version of entry #%(old)s (now #%(new)s): "
                "your scores went back to draft, please review and submit them again.",
                stage=stage.title,
                old=old_entry_id,
                new=new_entry.id,
            ),
            f"/jury/entries/{new_entry.id}",
        )
    if sent_back:
        audit.record(
            "jury.entry_sent_back",
            actor=actor,
            scope_type="contest",
            scope_id=stage.contest_id,
            object_type="entry",
            object_id=new_entry.id,
            details={"previous_entry_id": old_entry_id, "jurors": sorted(sent_back)},
        )
    return sorted(sent_back)
