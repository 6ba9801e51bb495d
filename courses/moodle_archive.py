"""Opening a Moodle course backup (`.mbz`) without trusting it: a gzip'd tar (Moodle 2.6 and later)
or a zip (older backups), read within the same limits as our own backups (`courses.backup_archive`).

The member count and the bytes really unpacked are capped, a member name that climbs out of the
archive (`../`, an absolute path) or a link refuses the whole file, and nothing is ever written to
disk: members are read into memory in bounded chunks. A tar is a stream, so it is read twice: once
for the XML documents (kept), once more for just the files the course uses.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zlib
from collections.abc import Callable, Iterable

from app.i18n import _
from app.uploads import read_bounded
from courses import backup_archive
from courses.backup_archive import BackupProblem, BoundedArchive
from courses.moodle_backup_read import unsafe_name

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # one XML document of the backup
_TAR_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error, ValueError)


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _refuse_unsafe(names: Iterable[str]) -> None:
    for name in names:
        if unsafe_name(name):
            raise BackupProblem(_("The archive holds a file outside its folder (%(path)s).", path=name))


def _too_big() -> BackupProblem:
    limit = max(1, round(backup_archive.MAX_UNCOMPRESSED_BYTES / (1024 * 1024)))
    return BackupProblem(_("The archive unpacks to more than %(limit)s MB.", limit=limit))


def _too_many(count: int) -> BackupProblem:
    return BackupProblem(
        _(
            "The archive has %(count)s files; at most %(limit)s are allowed.",
            count=count,
            limit=backup_archive.MAX_MEMBERS,
        )
    )


class _CountingStream(io.RawIOBase):
    """The decompressed stream, refusing to give out more than the archive's budget."""

    def __init__(self, data: bytes) -> None:
        self.inner = gzip.GzipFile(fileobj=io.BytesIO(data))
        self.left = backup_archive.MAX_UNCOMPRESSED_BYTES + 1024 * 1024  # tar headers and padding

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.inner.read(size if size >= 0 else 64 * 1024)
        self.left -= len(chunk)
        if self.left < 0:
            raise _too_big()
        return chunk


class MoodleArchive:
    """The members of an `.mbz`: `names`, `document(name)` for XML, `files(names, limit)` for content."""

    def __init__(self, data: bytes) -> None:
        self.documents: dict[str, bytes] = {}
        self.data = data
        self.zip: BoundedArchive | None = None
        if is_zip(data):
            self.zip = BoundedArchive(data)
            _refuse_unsafe(self.zip.names)
            self.names = frozenset(self.zip.names)
            return
        names: set[str] = set()
        for name, member in self._walk(lambda name: not name.startswith("files/"), MAX_DOCUMENT_BYTES + 1):
            names.add(name)
            if member is not None:
                self.documents[name] = member
        self.names = frozenset(names)

    def _walk(self, wanted: Callable[[str], bool], limit: int) -> Iterable[tuple[str, bytes | None]]:
        """Every regular member's name, with its bytes (at most `limit`) when `wanted(name)`."""
        count = 0
        try:
            with tarfile.open(fileobj=_CountingStream(self.data), mode="r|") as tar:
                for member in tar:
                    count += 1
                    if count > backup_archive.MAX_MEMBERS:
                        raise _too_many(count)
                    name = member.name.removeprefix("./")
                    _refuse_unsafe([name])
                    if member.isdir():
                        continue
                    if not member.isfile():
                        raise BackupProblem(_("The archive holds a link or a device (%(path)s).", path=name))
                    content = None
                    if wanted(name):
                        stream = tar.extractfile(member)
                        content = read_bounded(stream, limit) if stream is not None else b""
                    yield name, content
        except _TAR_ERRORS:
            raise BackupProblem(_("The archive is damaged or is not a course backup.")) from None

    def document(self, name: str) -> bytes | None:
        """An XML document of the backup (None when absent); one too large is refused."""
        if name not in self.names:
            return None
        if self.zip is not None:
            data = self.zip.read(name, MAX_DOCUMENT_BYTES + 1)
        else:
            data = self.documents.get(name, b"")
        if len(data) > MAX_DOCUMENT_BYTES:
            raise BackupProblem(
                _(
                    "%(name)s is larger than %(limit)s MB.",
                    name=name,
                    limit=MAX_DOCUMENT_BYTES // (1024 * 1024),
                )
            )
        return data

    def files(self, names: set[str], limit: int) -> dict[str, bytes]:
        """The wanted members' bytes, each at most `limit` (getting `limit` bytes means too big)."""
        if self.zip is not None:
            return {name: self.zip.read(name, limit) for name in sorted(names) if name in self.names}
        if not names:
            return {}
        found: dict[str, bytes] = {}
        for name, content in self._walk(lambda name: name in names, limit):
            if content is not None:
                found[name] = content
        return found
