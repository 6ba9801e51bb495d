"""Uploaded files: the one upload path and the one download path for every user-supplied file.

Upload: size and type rules, the type sniffed from the content (a `.png` must be a PNG), stored
under a generated key with the original name kept in the database, and written to its final
place only after the transaction commits (`app.file_storage`). Download: served only after the
caller's own permission check, never as active content from our origin (`send_stored`).

`secure_filename("Сочинение Иванова.docx")` gives "docx", so the original name is kept in the
database for display and downloads and never used as a path.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from flask import Flask, Response, send_file
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from app import file_storage, file_types
from app.extensions import Base, db
from app.timeutil import utcnow

DEFAULT_ALLOWED_EXTENSIONS = frozenset(
    {
        "pdf",
        "doc",
        "docx",
        "odt",
        "rtf",
        "txt",
        "ppt",
        "pptx",
        "odp",
        "xls",
        "xlsx",
        "ods",
        "csv",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "zip",
        "mp3",
        "mp4",
    }
)
# Set on every user-file response: the browser may not guess a type, run scripts, or keep a copy.
USER_FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class StoredFile(Base):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    original_name: Mapped[str] = mapped_column(String(255))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(127))  # sniffed from the content at upload
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


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the rules: its clean name, its bytes and the type its content shows."""

    name: str
    data: bytes
    content_type: str


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_name(name: str) -> str:
    """The last path part without NULs, at most 255 characters: kept for display, never a path."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return name[:255] or "file"


def read_bounded(stream: IO[bytes], limit: int) -> bytes:
    """At most `limit` bytes, read in chunks (a declared size is never trusted)."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = stream.read(min(64 * 1024, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def check_upload(file: FileStorage, rules: UploadRules) -> CheckedUpload:
    """Read and check one upload; raise UploadError with a user-facing message."""
    name = clean_name(file.filename or "")
    _check_extension(name, rules)
    return check_data(name, read_bounded(file.stream, rules.max_bytes + 1), rules)


def check_data(name: str, data: bytes, rules: UploadRules) -> CheckedUpload:
    """The rules for bytes from anywhere (a form, the API, a backup's member): extension, size,
    emptiness, and content that is what the name says for images and PDF."""
    name = clean_name(name)
    extension = _check_extension(name, rules)
    if len(data) > rules.max_bytes:
        raise UploadError(
            _(
                "The file “%(name)s” is larger than %(limit)s MB.",
                name=name,
                limit=round(rules.max_bytes / (1024 * 1024), 1),
            )
        )
    if not data:
        raise UploadError(_("The file “%(name)s” is empty.", name=name))
    sniffed = file_types.sniff(data[: file_types.HEAD_BYTES])
    if not file_types.content_matches_extension(extension, sniffed):
        raise UploadError(
            _("The file “%(name)s” is not a real %(ext)s file.", name=name, ext=extension.upper())
        )
    return CheckedUpload(name, data, sniffed)


def _check_extension(name: str, rules: UploadRules) -> str:
    extension = extension_of(name)
    if extension not in rules.allowed_extensions:
        raise UploadError(
            _(
                "Files of type “%(ext)s” are not allowed. Allowed: %(allowed)s.",
                ext=extension or "?",
                allowed=", ".join(sorted(rules.allowed_extensions)),
            )
        )
    return extension


def store_upload(file: FileStorage, rules: UploadRules, uploaded_by_id: int | None) -> StoredFile:
    """Check one upload and add it to the current transaction (on disk once that commits)."""
    return store_checked(check_upload(file, rules), uploaded_by_id)


def store_checked(checked: CheckedUpload, uploaded_by_id: int | None) -> StoredFile:
    """Add a checked file's row to the current transaction and stage its bytes under a random key."""
    key = secrets.token_hex(16)
    stored = StoredFile(
        original_name=checked.name,
        storage_key=key,
        content_type=checked.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(stored)
    file_storage.stage(key, checked.data)
    return stored


def read_bytes(stored: StoredFile) -> bytes:
    return file_storage.final_path(stored.storage_key).read_bytes()


def send_stored(stored: StoredFile, *, download_name: str | None = None) -> Response:
    """Serve a user's file; the caller has already checked permission.

    The type is sniffed again from the stored bytes (rows stored before sniffing may say
    `text/html`): inline only for raster images, PDF and plain text whose name agrees, else an
    attachment. `download_name` replaces the original name (blind stages)."""
    path = file_storage.final_path(stored.storage_key)
    try:
        with path.open("rb") as handle:
            head = handle.read(file_types.HEAD_BYTES)
    except FileNotFoundError:  # a row whose file was lost: `flask uploads orphans` lists staged leftovers
        raise NotFound() from None
    content_type, inline = file_types.disposition(stored.extension, file_types.sniff(head))
    response = send_file(
        path,
        mimetype=content_type,
        as_attachment=not inline,
        download_name=download_name or stored.original_name,
        max_age=0,
    )
    response.headers["Content-Type"] = content_type  # send_file would append a second charset to text/plain
    response.headers.update(USER_FILE_HEADERS)
    return response


def init_app(app: Flask) -> None:
    """Files reach their final place only when their transaction commits."""
    file_storage.init_app(app)
