"""Courses room: the files a course keeps (page images, file items, hand-ins) and how they are checked.

The domain never sees the web's file objects: views hand it an `Upload` (a name and a stream).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from app.uploads import (
    CheckedUpload,
    StoredFile,
    UploadError,
    UploadRules,
    check_data,
    read_bounded,
    store_checked,
)
from courses.messages import invalid

IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
# The rules a page image and a file item pass, from the editor or from a backup alike.
ASSET_RULES = UploadRules(allowed_extensions=IMAGE_EXTENSIONS, max_bytes=5 * 1024 * 1024)
ITEM_FILE_RULES = UploadRules()


@dataclass(frozen=True)
class Upload:
    """A file as a user sent it: the name they gave it and its bytes, read only up to the limit."""

    name: str
    stream: BinaryIO

    @classmethod
    def of(cls, file: Any) -> Upload | None:
        """From a form's or request's file (anything with `filename` and `stream`); None when empty."""
        if file is None or not getattr(file, "filename", ""):
            return None
        return cls(file.filename, file.stream)


def uploads_of(files: Sequence[Any]) -> list[Upload]:
    """The non-empty files of a multiple-file field or request list."""
    return [upload for upload in (Upload.of(f) for f in files) if upload is not None]


def store_all(
    uploads: Sequence[Upload], upload_rules: UploadRules, user_id: int | None, field_name: str
) -> list[StoredFile]:
    """Check every file before storing any: one bad file refuses them all, nothing is kept."""
    checked: list[CheckedUpload] = []
    for upload in uploads:
        try:
            checked.append(
                check_data(upload.name, read_bounded(upload.stream, upload_rules.max_bytes + 1), upload_rules)
            )
        except UploadError as error:
            raise invalid({field_name: str(error)}) from None
    return [store_checked(file, user_id) for file in checked]
