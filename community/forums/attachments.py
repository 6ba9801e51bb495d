"""Forums: the files a post carries — every one checked before anything is written (so a refused post
stores nothing), then stored through the one upload path once the post's row exists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select

from app import file_types
from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import _
from app.uploads import CheckedUpload, UploadError, UploadRules, check_upload, store_checked
from community.forums import posting_rules as rules
from community.forums.messages import refusal
from community.forums.models import PostAttachment

UPLOAD_RULES = UploadRules(
    allowed_extensions=rules.ATTACHMENT_EXTENSIONS, max_bytes=rules.ATTACHMENT_MAX_BYTES
)


def present(files: Iterable[Any] | None) -> list[Any]:
    """The files really sent (a form's empty file input comes as a nameless part)."""
    return [file for file in files or () if file is not None and bool(getattr(file, "filename", None))]


def check_files(files: Sequence[Any]) -> list[CheckedUpload]:
    """Read and check every file; refuse all at the first bad one, by the field `files`."""
    try:
        rules.check_attachment_count(len(files))
    except rules.RuleError as error:
        raise refusal(error) from None
    checked = []
    for file in files:
        try:
            upload = check_upload(file, UPLOAD_RULES)
        except UploadError as error:
            raise Invalid(str(error), {"files": str(error)}) from None
        if upload.content_type == file_types.HTML:  # a page with scripts under a .txt or .csv name
            message = _("The file “%(name)s” holds a web page; it cannot be attached.", name=upload.name)
            raise Invalid(message, {"files": message})
        checked.append(upload)
    return checked


def attach(post_id: int, checked: Sequence[CheckedUpload], uploaded_by_id: int) -> None:
    """Store the checked files (on disk once the transaction commits) and link them to the post."""
    for upload in checked:
        stored = store_checked(upload, uploaded_by_id)
        db.session.flush()
        db.session.add(PostAttachment(post_id=post_id, stored_file_id=stored.id))


def attachments_of(post_ids: Sequence[int]) -> dict[int, list[PostAttachment]]:
    """{post id: its attachments} for a page of posts, in one query."""
    if not post_ids:
        return {}
    found: dict[int, list[PostAttachment]] = {}
    rows = db.session.scalars(
        select(PostAttachment).where(PostAttachment.post_id.in_(post_ids)).order_by(PostAttachment.id)
    )
    for row in rows:
        found.setdefault(row.post_id, []).append(row)
    return found
