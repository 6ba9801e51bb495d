"""Uploads: type and size rules, the type sniffed from the content, original names kept for display,
files stored under random keys and written to their place only when the transaction commits."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from app import file_storage
from app.extensions import db
from app.uploads import StoredFile, UploadError, UploadRules, read_bytes, send_stored, store_upload


def _file(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_cyrillic_name_is_kept_and_the_file_stored_under_a_random_key(app) -> None:  # type: ignore[no-untyped-def]
    stored = store_upload(_file("Сочинение Иванова.docx", b"content"), UploadRules(), None)
    db.session.commit()
    assert stored.original_name == "Сочинение Иванова.docx" and stored.extension == "docx"
    assert stored.storage_key != stored.original_name and len(stored.storage_key) == 32
    assert read_bytes(stored) == b"content" and stored.size == 7
    with app.test_request_context():
        response = send_stored(stored)
        assert "attachment" in response.headers["Content-Disposition"]
        assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
        response.close()


def test_a_row_whose_file_is_missing_answers_404(app) -> None:  # type: ignore[no-untyped-def]
    stored = store_upload(_file("lost.txt", b"lost"), UploadRules(), None)
    db.session.commit()
    file_storage.final_path(stored.storage_key).unlink()
    with app.test_request_context(), pytest.raises(NotFound):
        send_stored(stored)


def test_path_in_the_name_is_dropped(app) -> None:  # type: ignore[no-untyped-def]
    stored = store_upload(_file("..\\..\\etc/passwd.txt", b"x"), UploadRules(), None)
    assert stored.original_name == "passwd.txt"


@pytest.mark.parametrize(
    ("name", "data", "rules", "fragment"),
    [
        ("virus.exe", b"MZ", UploadRules(), "exe"),
        ("noextension", b"x", UploadRules(), "?"),
        ("big.pdf", b"x" * 2048, UploadRules(max_bytes=1024), "big.pdf"),
        ("empty.pdf", b"", UploadRules(), "empty.pdf"),
    ],
)
def test_refused_uploads_say_why(app, name, data, rules, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UploadError) as refused:
        store_upload(_file(name, data), rules, None)
    assert fragment in str(refused.value)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _files_on_disk(app) -> list[Path]:  # type: ignore[no-untyped-def]
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_stored_type_is_sniffed_from_the_content(app) -> None:  # type: ignore[no-untyped-def]
    text = store_upload(_file("notes.txt", "Конспект".encode()), UploadRules(), None)
    image = store_upload(_file("photo.PNG", PNG), UploadRules(), None)
    office = store_upload(_file("plan.docx", b"PK\x03\x04rest"), UploadRules(), None)
    assert (text.content_type, image.content_type, office.content_type) == (
        "text/plain",
        "image/png",
        "application/zip",
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("image.png", b"<html><script>alert(1)</script></html>"),
        ("scan.pdf", b"<svg onload=alert(1)>"),
        ("photo.jpg", b"%PDF-1.4"),
    ],
)
def test_an_image_or_pdf_name_must_hold_that_content(app, name, data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UploadError) as refused:
        store_upload(_file(name, data), UploadRules(), None)
    assert name in str(refused.value)


def test_a_file_reaches_its_place_only_when_the_transaction_commits(app) -> None:  # type: ignore[no-untyped-def]
    stored = store_upload(_file("a.txt", b"first"), UploadRules(), None)
    final = file_storage.final_path(stored.storage_key)
    assert not final.exists()
    db.session.commit()
    assert final.read_bytes() == b"first"
    assert _files_on_disk(app) == [final]


def test_a_rolled_back_upload_leaves_no_file(app) -> None:  # type: ignore[no-untyped-def]
    store_upload(_file("a.txt", b"first"), UploadRules(), None)
    store_upload(_file("b.txt", b"second"), UploadRules(), None)
    db.session.rollback()
    assert _files_on_disk(app) == []
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_a_session_closed_without_commit_leaves_no_file(app) -> None:  # type: ignore[no-untyped-def]
    store_upload(_file("a.txt", b"first"), UploadRules(), None)
    db.session.remove()  # the end of a request that never committed
    assert _files_on_disk(app) == []


def test_a_rolled_back_savepoint_drops_only_its_own_files(app) -> None:  # type: ignore[no-untyped-def]
    kept = store_upload(_file("kept.txt", b"kept"), UploadRules(), None)
    savepoint = db.session.begin_nested()
    store_upload(_file("dropped.txt", b"dropped"), UploadRules(), None)
    savepoint.rollback()
    db.session.commit()
    assert _files_on_disk(app) == [file_storage.final_path(kept.storage_key)]


def test_a_released_savepoint_keeps_its_files_staged_until_the_commit(app) -> None:  # type: ignore[no-untyped-def]
    with db.session.begin_nested():
        stored = store_upload(_file("inner.txt", b"inner"), UploadRules(), None)
    assert not file_storage.final_path(stored.storage_key).exists()
    db.session.rollback()
    assert _files_on_disk(app) == []


def test_cli_lists_and_removes_orphans_and_finishes_interrupted_moves(app) -> None:  # type: ignore[no-untyped-def]
    kept = store_upload(_file("kept.txt", b"kept"), UploadRules(), None)
    db.session.commit()
    root = Path(app.config["UPLOAD_DIR"])
    orphan = root / "ab" / ("ab" + "0" * 30)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left behind")
    stale = root / file_storage.STAGING / ("cd" + "0" * 30)
    young = root / file_storage.STAGING / ("ef" + "0" * 30)
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"old staging")
    young.write_bytes(b"a transaction still running")
    # A crash between a commit and the move: the row exists, the file is still staged.
    unmoved = store_upload(_file("unmoved.txt", b"unmoved"), UploadRules(), None)
    db.session.flush()
    unmoved_key = unmoved.storage_key
    staged = file_storage.staging_path(unmoved_key)
    db.session.info.pop("vmeste_staged_files")  # as if the process died before after_commit ran
    db.session.commit()
    hour_ago = time.time() - 3600 - 5
    for path in (stale, staged):
        os.utime(path, (hour_ago, hour_ago))

    listed = app.test_cli_runner().invoke(args=["uploads", "orphans"])
    assert listed.exit_code == 0, listed.output
    assert str(orphan) in listed.output and str(stale) in listed.output and str(staged) in listed.output
    assert str(young) not in listed.output and kept.storage_key not in listed.output
    assert orphan.exists() and stale.exists()

    cleaned = app.test_cli_runner().invoke(args=["uploads", "orphans", "--delete"])
    assert cleaned.exit_code == 0, cleaned.output
    assert "2 removed, 1 moved into place" in cleaned.output
    assert not orphan.exists() and not stale.exists() and young.exists()
    assert file_storage.final_path(unmoved_key).read_bytes() == b"unmoved"
    assert file_storage.final_path(kept.storage_key).read_bytes() == b"kept"
