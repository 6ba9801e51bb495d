"""Uploaded files: checked for size and type, stored under generated names outside static/,
served only after the caller's own permission check.

`secure_filename("Сочинение Иванова.docx")` gives "docx", so the original name is kept in the
database for display and downloads and never used as a path.
"""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Response, current_app, send_file
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from app.extensions import Base, db
from app.timeutil import utcnow

DEFAULT_ALLOWED_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "odt", "rtf", "txt", "ppt", "pptx", "odp", "xls", "xlsx", "ods", "csv",
     "png", "jpg", "jpeg", "gif", "webp", "zip", "mp3", "mp4"}
)


class StoredFile(Base):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def extension(self) -> str:
        return extension_of(self.original_name)


class UploadError(ValueError):
    """A file refused for its size or type; the message is shown next to the field."""


@dataclass(frozen=True)
class UploadRules:
    allowed_extensions: frozenset[str] = DEFAULT_ALLOWED_EXTENSIONS
    max_bytes: int = 10 * 1024 * 1024


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _clean_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return name[:255] or "file"


def check_upload(file: FileStorage, rules: UploadRules) -> tuple[bytes, str]:
    """Read and check one upload; raise UploadError with a user-facing message."""
    name = _clean_name(file.filename or "")
    extension = extension_of(name)
    if extension not in rules.allowed_extensions:
        raise UploadError(
            _("Files of type “%(ext)s” are not allowed. Allowed: %(allowed)s.",
              ext=extension or "?", allowed=", ".join(sorted(rules.allowed_extensions)))
        )
    data = file.stream.read(rules.max_bytes + 1)
    if len(data) > rules.max_bytes:
        raise UploadError(
            _("The file “%(name)s” is larger than %(limit)s MB.", name=name,
              limit=round(rules.max_bytes / (1024 * 1024), 1))
        )
    if not data:
        raise UploadError(_("The file “%(name)s” is empty.", name=name))
    return data, name


def store_upload(file: FileStorage, rules: UploadRules, uploaded_by_id: int | None) -> StoredFile:
    """Check, write to disk under a random key and add the row to the current transaction."""
    data, name = check_upload(file, rules)
    key = secrets.token_hex(16)
    path = _path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    stored = StoredFile(
        original_name=name,
        storage_key=key,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(stored)
    return stored


def store_bytes(name: str, data: bytes, uploaded_by_id: int | None) -> StoredFile:
    """Store data we produced or imported ourselves (course backups), skipping the upload rules."""
    key = secrets.token_hex(16)
    path = _path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stored = StoredFile(
        original_name=_clean_name(name),
        storage_key=key,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(stored)
    return stored


def read_bytes(stored: StoredFile) -> bytes:
    return _path_for(stored.storage_key).read_bytes()


def send_stored(stored: StoredFile, *, inline: bool = False, download_name: str | None = None) -> Response:
    """Serve a file; the caller has already checked permission (`download_name` replaces the
    original name, e.g. a neutral one for a blind juror)."""
    return send_file(
        _path_for(stored.storage_key),
        mimetype=stored.content_type,
        as_attachment=not inline,
        download_name=download_name or stored.original_name,
        max_age=0,
    )


def _path_for(key: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / key[:2] / key
