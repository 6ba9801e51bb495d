"""Uploads: type and size rules, original names kept for display, files stored under random keys."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.uploads import UploadError, UploadRules, read_bytes, send_stored, store_upload


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


def test_path_in_the_name_is_dropped(app) -> None:  # type: ignore[no-untyped-def]
    stored = store_upload(_file("..\\..\\etc/passwd.txt", b"x"), UploadRules(), None)
    assert stored.original_name == "passwd.txt"


@pytest.mark.parametrize(("name", "data", "rules", "fragment"), [
    ("virus.exe", b"MZ", UploadRules(), "exe"),
    ("noextension", b"x", UploadRules(), "?"),
    ("big.pdf", b"x" * 2048, UploadRules(max_bytes=1024), "big.pdf"),
    ("empty.pdf", b"", UploadRules(), "empty.pdf"),
])
def test_refused_uploads_say_why(app, name, data, rules, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UploadError) as refused:
        store_upload(_file(name, data), rules, None)
    assert fragment in str(refused.value)
