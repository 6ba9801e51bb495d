"""Reading a course backup's zip without trusting it: a zip bomb is refused before it fills memory
or disk.

The member count is capped, every member is read in bounded chunks (the sizes a zip's headers
declare are never believed), and the bytes actually unpacked are counted against one total for
the whole archive. A damaged or lying archive is refused with a message, never a server error.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from app.i18n import _
from app.uploads import read_bounded

MAX_MEMBERS = 5000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    NotImplementedError,
    OSError,
    ValueError,
)


class BackupProblem(Exception):
    """Why a backup cannot be imported (a translated message); nothing has been kept."""


class BoundedArchive:
    """A zip opened for reading member by member, within MAX_MEMBERS and MAX_UNCOMPRESSED_BYTES."""

    def __init__(self, data: bytes) -> None:
        self.max_members = MAX_MEMBERS
        self.limit = self.budget = MAX_UNCOMPRESSED_BYTES
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            members = self.archive.infolist()
        except _READ_ERRORS:
            raise BackupProblem(_("This is not a course backup (a zip file with course.json).")) from None
        if len(members) > self.max_members:
            raise BackupProblem(
                _(
                    "The archive has %(count)s files; at most %(limit)s are allowed.",
                    count=len(members),
                    limit=self.max_members,
                )
            )
        self.names = frozenset(m.filename for m in members)

    def read(self, name: str, limit: int) -> bytes:
        """At most `limit` bytes of one member (a caller that gets `limit` bytes knows it is too big).

        Counts what was really unpacked against the archive's total; a member whose data does
        not match its header (size or checksum) is refused as damaged."""
        try:
            with self.archive.open(name) as member:
                # Reading to the end makes zipfile check the CRC against what was unpacked.
                data = read_bounded(member, min(limit, self.budget + 1))
        except KeyError:
            raise BackupProblem(_("The file %(path)s is missing from the archive.", path=name)) from None
        except _READ_ERRORS:
            raise BackupProblem(
                _("The archive is damaged (%(path)s cannot be unpacked).", path=name)
            ) from None
        self.budget -= len(data)
        if self.budget < 0:
            raise BackupProblem(
                _(
                    "The archive unpacks to more than %(limit)s MB.",
                    limit=max(1, round(self.limit / (1024 * 1024))),
                )
            )
        return data
