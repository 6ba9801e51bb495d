"""Contest room: entries — a participant hands in (or replaces) their entry while the stage is
open; earlier versions are kept. Files arrive as `Upload`s (a name and a stream), never as the
web's file objects."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from app.uploads import StoredFile, UploadError, UploadRules, check_data, read_bounded, store_checked
from contest_engine.clock import run_clock
from contest_engine.jury.resubmission import follow_new_version
from contest_engine.jury.standing import refresh_standing
from contest_engine.models import Entry, EntryFile, Participation, Stage
from contest_engine.queries import is_admitted
from contest_engine.rules.stages import StageKind, StageState

LINK_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MAX_TEXT = 100_000


@dataclass(frozen=True)
class Upload:
    """A file as the participant sent it: the name they gave it and its bytes, read only up to
    the stage's limit."""

    name: str
    stream: BinaryIO

    @classmethod
    def all_of(cls, files: Sequence[Any]) -> list[Upload]:
        """The non-empty files of a form's or request's file list (anything with `filename` and `stream`)."""
        return [cls(f.filename, f.stream) for f in files if f is not None and f.filename]


def submit_entry(
    stage: Stage,
    participation: Participation,
    *,
    text: str = "",
    link: str = "",
    files: Sequence[Upload] = (),
    actor: User,
    now: datetime,
) -> Entry:
    """Hand in (or replace) a participant's entry while the stage is open; the earlier version is kept
    and stops being current, and the jury's assignments and sheets follow the new one
    (`jury.resubmission`). Refused (409) after the close and for those who did not advance."""
    if stage.kind not in (StageKind.SUBMISSION, StageKind.JURY):
        raise Conflict(_("This stage does not take entries."))
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    if stage.state != StageState.OPEN or now >= stage.closes_at:
        if now < stage.opens_at:
            raise Conflict(_("The stage is not open yet."))
        raise Conflict(_("The stage is closed: entries are no longer accepted."))
    if participation.contest_id != stage.contest_id:
        raise Conflict(_("You are not a participant of this contest."))
    if not is_admitted(stage, participation):
        raise Conflict(_("You did not advance to this stage, so you cannot submit an entry."))
    text, link = (text or "").strip(), (link or "").strip()
    files = [f for f in files if f.name]
    fields: dict[str, str] = {}
    if text and not stage.accepts_text:
        fields["text"] = _("This stage does not take text.")
    if len(text) > MAX_TEXT:
        fields["text"] = _("Too long (at most %(n)s characters).", n=MAX_TEXT)
    if link and not stage.accepts_link:
        fields["link"] = _("This stage does not take links.")
    elif link and (len(link) > 1000 or not LINK_PATTERN.match(link)):
        fields["link"] = _("Enter a web address starting with http:// or https://.")
    if files and not stage.accepts_files:
        fields["files"] = _("This stage does not take files.")
    elif len(files) > stage.max_files:
        fields["files"] = _("At most %(n)s files.", n=stage.max_files)
    if not (text or link or files):
        fields["text"] = _("The entry is empty: add text, a link or a file.")
    if fields:
        raise Invalid(_("The entry cannot be saved: check the marked fields."), fields)
    rules = UploadRules(allowed_extensions=stage.extensions, max_bytes=stage.max_file_mb * 1024 * 1024)
    stored = []
    for file in files:
        try:
            stored.append(
                store_checked(
                    check_data(file.name, read_bounded(file.stream, rules.max_bytes + 1), rules), actor.id
                )
            )
        except UploadError as error:
            db.session.rollback()
            raise Invalid(str(error), {"files": str(error)}) from None
    latest = (
        db.session.scalar(
            select(func.max(Entry.version)).where(
                Entry.stage_id == stage.id, Entry.participation_id == participation.id
            )
        )
        or 0
    )
    previous_id = db.session.scalar(
        select(Entry.id).where(
            Entry.stage_id == stage.id, Entry.participation_id == participation.id, Entry.is_current.is_(True)
        )
    )
    db.session.execute(
        update(Entry)
        .where(
            Entry.stage_id == stage.id, Entry.participation_id == participation.id, Entry.is_current.is_(True)
        )
        .values(is_current=False)
        .execution_options(synchronize_session=False)
    )
    entry = Entry(
        stage_id=stage.id,
        participation_id=participation.id,
        version=latest + 1,
        is_current=True,
        text=text,
        link=link,
        submitted_at=now,
        submitted_by_id=actor.id,
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Another version was saved at the same moment; reload and try again.")) from None
    for position, stored_file in enumerate(stored):
        db.session.add(EntryFile(entry_id=entry.id, file_id=stored_file.id, position=position))
    if previous_id is not None:
        follow_new_version(stage, previous_id, entry, actor=actor)
    audit.record(
        "entry.submitted",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="entry",
        object_id=entry.id,
        details={"stage_id": stage.id, "participation_id": participation.id, "version": entry.version},
    )
    if stage.has_jury or stage.kind == StageKind.JURY:
        refresh_standing(stage)  # the new entry (or version) joins the jury's overview
    db.session.commit()
    return entry


def entry_files(entry_id: int) -> list[StoredFile]:
    return list(
        db.session.scalars(
            select(StoredFile)
            .join(EntryFile, EntryFile.file_id == StoredFile.id)
            .where(EntryFile.entry_id == entry_id)
            .order_by(EntryFile.position)
        )
    )


def entry_versions(stage_id: int, participation_id: int) -> list[Entry]:
    return list(
        db.session.scalars(
            select(Entry)
            .where(Entry.stage_id == stage_id, Entry.participation_id == participation_id)
            .order_by(Entry.version.desc())
        )
    )


def files_by_entry(entry_ids: list[int]) -> dict[int, list[StoredFile]]:
    """Each entry's files in their order, in one query (the stage page lists every version)."""
    grouped: dict[int, list[StoredFile]] = {}
    if not entry_ids:
        return grouped
    for entry_id, stored in db.session.execute(
        select(EntryFile.entry_id, StoredFile)
        .join(StoredFile, StoredFile.id == EntryFile.file_id)
        .where(EntryFile.entry_id.in_(entry_ids))
        .order_by(EntryFile.position)
    ).all():
        grouped.setdefault(entry_id, []).append(stored)
    return grouped
