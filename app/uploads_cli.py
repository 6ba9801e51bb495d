"""`flask uploads orphans [--delete]`: files on disk that no stored_file row names.

Since files reach their place only after their transaction commits, orphans come from before that
rule, from a crash between a commit and the move, or from files copied in by hand. Staged files
are left alone while young (their transaction may still be running); an old one whose row exists
is a move a crash interrupted, and `--delete` finishes it instead of deleting it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import click
from sqlalchemy import select

from app import file_storage
from app.extensions import db
from app.uploads import StoredFile


@dataclass(frozen=True)
class Leftovers:
    orphans: list[Path]  # in place, no row
    stale_staged: list[Path]  # staged long ago, no row
    interrupted: list[Path]  # staged long ago, row committed: the move never happened


def find_leftovers(root: Path, known_keys: set[str], *, now: float, stale_after_seconds: float) -> Leftovers:
    """Walk the upload directory once; `known_keys` are the storage keys the database holds."""
    orphans: list[Path] = []
    stale: list[Path] = []
    interrupted: list[Path] = []
    if not root.is_dir():
        return Leftovers(orphans, stale, interrupted)
    for folder in sorted(root.iterdir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            if folder.name != file_storage.STAGING:
                if path.name not in known_keys:
                    orphans.append(path)
            elif now - path.stat().st_mtime > stale_after_seconds:
                (interrupted if path.name in known_keys else stale).append(path)
    return Leftovers(orphans, stale, interrupted)


@click.group("uploads")
def uploads_group() -> None:
    """Uploaded files on disk."""


@uploads_group.command("orphans")
@click.option("--delete", is_flag=True, help="Remove the orphans and finish interrupted moves.")
@click.option(
    "--stale-minutes",
    default=60,
    show_default=True,
    help="Staged files younger than this belong to a transaction that may still be running.",
)
def orphans(delete: bool, stale_minutes: int) -> None:
    """List files without a database row (and staged files left behind); --delete removes them."""
    root = file_storage.upload_root()
    keys = set(db.session.scalars(select(StoredFile.storage_key)))
    found = find_leftovers(root, keys, now=time.time(), stale_after_seconds=stale_minutes * 60)
    for path in found.orphans:
        click.echo(f"orphan\t{path}")
    for path in found.stale_staged:
        click.echo(f"staged\t{path}")
    for path in found.interrupted:
        click.echo(f"unmoved\t{path}")
    total = len(found.orphans) + len(found.stale_staged) + len(found.interrupted)
    if not delete:
        click.echo(f"{total} found" + (" (run with --delete to clean up)" if total else ""))
        return
    for path in found.orphans + found.stale_staged:
        path.unlink(missing_ok=True)
    for path in found.interrupted:
        file_storage.promote(path, file_storage.final_path(path.name, root))
    click.echo(
        f"{len(found.orphans) + len(found.stale_staged)} removed, {len(found.interrupted)} moved into place"
    )
