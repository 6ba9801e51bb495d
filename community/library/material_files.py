"""Library: the files of a material's version — checked all before any is stored, shared between
versions by reference (a new version points at the same stored file, never a copy)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import delete, func, select

from app import file_types
from app.extensions import db
from app.uploads import CheckedUpload, StoredFile, clean_name, read_bounded, store_checked
from community.library import file_text
from community.library.material_rules import check_file, check_file_count, extension_of, size_limit
from community.library.messages import refusal
from community.library.models import MaterialFile, MaterialVersion
from community.rules import RuleError


@dataclass(frozen=True)
class IncomingFile:
    """A file as its author sent it (a form's or a request's): the name they gave it and its bytes."""

    name: str
    stream: BinaryIO

    @classmethod
    def all_of(cls, files: Iterable[Any]) -> list[IncomingFile]:
        """The non-empty files of a multiple-file field or `request.files.getlist(...)`."""
        return [cls(f.filename, f.stream) for f in files if f is not None and f.filename]


def check_incoming(files: Sequence[IncomingFile], already: int) -> list[CheckedUpload]:
    """Read and check every new file (with `already` files kept on the version); refuse all at the
    first bad one, so a failed save stores nothing."""
    try:
        check_file_count(already + len(files))
        return [_checked(file) for file in files]
    except RuleError as error:
        raise refusal(error) from None


def attach(version: MaterialVersion, checked: Sequence[CheckedUpload], uploaded_by_id: int) -> None:
    """Store the checked files (on disk once the transaction commits) and add them to the version."""
    last = db.session.scalar(
        select(func.coalesce(func.max(MaterialFile.position), -1)).where(
            MaterialFile.version_id == version.id
        )
    )
    for offset, upload in enumerate(checked, start=1):
        stored = store_checked(upload, uploaded_by_id)
        db.session.flush()
        db.session.add(
            MaterialFile(
                version_id=version.id,
                stored_file_id=stored.id,
                position=int(last if last is not None else -1) + offset,
                text_content=file_text.extract_text(upload.data, upload.content_type),
            )
        )


def copy_files(source: MaterialVersion, target: MaterialVersion, dropped: Iterable[int] = ()) -> None:
    """Give `target` the files of `source` (same stored files), except those in `dropped`."""
    skip = set(dropped)
    rows = db.session.scalars(
        select(MaterialFile).where(MaterialFile.version_id == source.id).order_by(MaterialFile.position)
    )
    for row in rows:
        if row.stored_file_id not in skip:
            db.session.add(
                MaterialFile(
                    version_id=target.id,
                    stored_file_id=row.stored_file_id,
                    position=row.position,
                    text_content=row.text_content,
                )
            )


def drop_files(version: MaterialVersion, stored_file_ids: Iterable[int]) -> None:
    """Take files off a draft version; a stored file no other version uses goes with it (its bytes
    stay on disk until `flask uploads orphans` is run). Ids that are not this version's are ignored."""
    wanted = set(stored_file_ids)
    if not wanted:
        return
    ids = set(
        db.session.scalars(
            select(MaterialFile.stored_file_id).where(
                MaterialFile.version_id == version.id, MaterialFile.stored_file_id.in_(wanted)
            )
        )
    )
    if not ids:
        return
    db.session.execute(
        delete(MaterialFile).where(
            MaterialFile.version_id == version.id, MaterialFile.stored_file_id.in_(ids)
        )
    )
    still_used = set(
        db.session.scalars(select(MaterialFile.stored_file_id).where(MaterialFile.stored_file_id.in_(ids)))
    )
    unused = ids - still_used
    if unused:
        db.session.execute(delete(StoredFile).where(StoredFile.id.in_(unused)))


def file_count(version: MaterialVersion, only: set[int] | None = None) -> int:
    """The version's files (or those of them whose stored file is in `only`)."""
    query = select(func.count()).where(MaterialFile.version_id == version.id)
    if only is not None:
        if not only:
            return 0
        query = query.where(MaterialFile.stored_file_id.in_(only))
    return int(db.session.scalar(query) or 0)


def _checked(file: IncomingFile) -> CheckedUpload:
    name = clean_name(file.name)
    limit = size_limit(extension_of(name))
    data = read_bounded(file.stream, limit + 1) if limit else b""
    head = data[: file_types.HEAD_BYTES]
    sniffed = file_types.sniff(head)
    check_file(name, len(data), sniffed, head)
    return CheckedUpload(name, data, sniffed)
