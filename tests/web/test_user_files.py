"""The one download path: no user file is ever active content from our origin.

Course assets, item files and submissions are served inline only when their bytes are a raster
image, a PDF or plain text and the name agrees; everything else is an attachment. Every response
carries nosniff, a sandboxing CSP and no-store, whatever the stored row says about the type.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from typing import Any

from sqlalchemy import func, select

from app import file_storage
from app.extensions import db
from app.uploads import StoredFile
from courses import items, structure, submissions
from courses.files import Upload
from courses.models import Course, CourseAsset, Submission
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import admin, teacher

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<!DOCTYPE html><script>fetch('/admin/users/1/role', {method: 'POST'})</script>"
SCRIPT = b"fetch('/admin/users/1/role', {method: 'POST', body: 'role=admin'})"


def backup(files: dict[str, tuple[str, bytes]], body: str = "") -> bytes:
    """A course backup whose page shows each file as an asset of source course 7."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, (_name, data) in files.items():
            archive.writestr(path, data)
        archive.writestr(
            "course.json",
            json.dumps(
                {
                    "format": "vmeste-course",
                    "version": 1,
                    "course": {"title": "Курс с картинками", "source_id": 7},
                    "files": [{"path": path, "name": name} for path, (name, _data) in files.items()],
                    "assets": [{"id": n, "path": path} for n, path in enumerate(files, start=1)],
                    "modules": [
                        {"title": "Модуль", "items": [{"kind": "page", "title": "Страница", "body": body}]}
                    ],
                }
            ),
        )
    return buffer.getvalue()


def _asset_urls(course: Course) -> list[str]:
    assets = db.session.scalars(
        select(CourseAsset).where(CourseAsset.course_id == course.id).order_by(CourseAsset.id)
    ).all()
    return [f"/courses/{course.id}/assets/{a.id}" for a in assets]


def _stored_the_old_way(course: Course, name: str, content_type: str, data: bytes) -> str:
    """A row as the import wrote it before this fix: the type guessed from the name, no checks."""
    key = secrets.token_hex(16)
    path = file_storage.final_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stored = StoredFile(
        original_name=name,
        storage_key=key,
        content_type=content_type,
        size=len(data),
        sha256="0" * 64,
        uploaded_by_id=None,
    )
    db.session.add(stored)
    db.session.flush()
    asset = CourseAsset(course_id=course.id, file_id=stored.id)
    db.session.add(asset)
    db.session.commit()
    return f"/courses/{course.id}/assets/{asset.id}"


def _assert_user_file_headers(response: Any) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].split(";")[0] == "sandbox"
    assert "no-store" in response.headers["Cache-Control"]


def _assert_never_active(response: Any) -> None:
    _assert_user_file_headers(response)
    assert response.headers["Content-Disposition"].startswith("attachment")
    kind = response.headers["Content-Type"]
    assert not kind.startswith(("text/html", "application/javascript", "text/javascript", "image/svg"))


def test_a_backup_with_a_page_and_a_script_imports_nothing(client) -> None:  # type: ignore[no-untyped-def]
    attacker = teacher()
    db.session.commit()
    login(client, attacker)
    data = backup(
        {"files/1": ("index.html", HTML), "files/2": ("app.js", SCRIPT)},
        body="[x](/courses/7/assets/1) [y](/courses/7/assets/2)",
    )
    response = client.post(
        "/courses/import", data={"file": (io.BytesIO(data), "course.zip")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "html" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_an_imported_png_shows_inline_and_a_disguised_page_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    db.session.commit()
    login(client, author)
    disguised = backup({"files/1": ("image.png", HTML)})
    refused = client.post(
        "/courses/import",
        data={"file": (io.BytesIO(disguised), "course.zip")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "image.png" in refused.get_data(as_text=True)
    data = backup({"files/1": ("схема урока.png", PNG)}, body="![схема](/courses/7/assets/1)")
    imported = client.post(
        "/courses/import", data={"file": (io.BytesIO(data), "course.zip")}, content_type="multipart/form-data"
    )
    assert imported.status_code == 302
    course = db.session.scalar(select(Course))
    [url] = _asset_urls(course)
    assert url in structure.load_structure(course.id)[0].items[0].body
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "filename*=UTF-8''%D1%81%D1%85%D0%B5%D0%BC%D0%B0" in response.headers["Content-Disposition"]
    _assert_user_file_headers(response)


def test_files_stored_before_sniffing_are_never_served_as_active_content(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    page = _stored_the_old_way(course, "index.html", "text/html", HTML)
    script = _stored_the_old_way(course, "app.js", "application/javascript", SCRIPT)
    fake_image = _stored_the_old_way(course, "image.png", "image/png", HTML)
    svg = _stored_the_old_way(
        course, "logo.svg", "image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    )
    login(client, admin())  # the victim of issue 9: an administrator opening the link
    for url in (page, script, fake_image, svg):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_never_active(response)
    assert client.get(script).headers["Content-Type"] == "text/plain; charset=utf-8"


def test_item_files_and_submissions_go_through_the_same_rules(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    item = items.add_item(
        module,
        "file",
        items.ItemSettings(title="Памятка"),
        actor=cf._author(course),
        upload=_upload("Памятка.pdf", b"%PDF-1.4 memo"),
    )
    task = cf.assignment(module, "Эссе", allowed_extensions="txt,docx")
    learner = cf.enrolled(course)
    login(client, learner)
    memo = client.get(f"/courses/items/{item.id}/file")
    assert memo.status_code == 200 and memo.headers["Content-Type"] == "application/pdf"
    assert memo.headers["Content-Disposition"].startswith("inline")
    _assert_user_file_headers(memo)
    sent = client.post(
        f"/courses/items/{task.id}",
        data={"files": [(io.BytesIO("Моё эссе".encode()), "эссе.txt"), (io.BytesIO(HTML), "эссе.docx")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    submission = submissions.load_submission(db.session.scalar(select(Submission.id)))
    urls = [f"/courses/submissions/{submission.id}/files/{f.file_id}" for f in submission.files]
    text, disguised = (client.get(url) for url in urls)
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert text.headers["Content-Disposition"].startswith("inline")
    _assert_never_active(disguised)
    assert disguised.headers["Content-Type"] == "application/octet-stream"


def _upload(name: str, data: bytes) -> Upload:
    return Upload(name, io.BytesIO(data))
