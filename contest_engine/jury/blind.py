"""Jury room: blind review — whether a stage hides its authors from jurors, and the neutral
names an entry's files go by for them.

Why: an original file name often carries the author's name («Учителева Т.И. план урока.pdf»), so
every way a blind juror reaches a file (pages, API, downloads) names it by the entry's id, the
file's number and the extension only. Organisers and the participant keep the original names.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.i18n import _
from app.uploads import StoredFile, extension_of
from contest_engine.jury.models import JuryConfig

_SAFE_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")


def is_blind(stage_id: int) -> bool:
    """The stage's jury works blind (a stage without a jury config is not)."""
    return bool(db.session.scalar(select(JuryConfig.blind).where(JuryConfig.stage_id == stage_id)))


def neutral_file_name(entry_id: int, number: int, extension: str) -> str:
    """«Работа 17 — файл 1.pdf»: the entry's id, the file's number counted from 1 and the extension
    (dropped when it is not a plain short word, so nothing of the original name can slip through)."""
    name = _("Entry %(entry)s — file %(n)s", entry=entry_id, n=number)
    extension = extension.lower()
    return f"{name}.{extension}" if _SAFE_EXTENSION.match(extension) else name


def file_name(stored: StoredFile, *, entry_id: int, number: int, sees_names: bool) -> str:
    """The name a viewer is shown and given for an entry's file: the original one when they may see
    who wrote the entry, a neutral one otherwise."""
    if sees_names:
        return stored.original_name
    return neutral_file_name(entry_id, number, extension_of(stored.original_name))
