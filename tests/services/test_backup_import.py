"""Course backup import refuses what would hurt: zip bombs, too many members, lying headers, files the
upload rules refuse, and prerequisites that lock an item forever. A refusal writes nothing."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import force_locale
from app.uploads import StoredFile, read_bytes
from community.forums import places as forum_places
from community.forums.models import ForumScope
from courses import backup, backup_archive
from courses.files import Upload
from courses.items import ItemSettings, add_asset, add_item
from courses.models import Course, Item
from courses.quiz import quizzes
from courses.quiz.models import Question, QuestionBank, Quiz, QuizSlot
from tests.factories import courses as cf
from tests.factories.accounts import teacher

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _document(files: list[dict[str, str]], items: list[dict[str, Any]] | None = None) -> str:
    items = (
        items
        if items is not None
        else [{"kind": "file", "title": f"Файл {n}", "file": f["path"]} for n, f in enumerate(files)]
    )
    return json.dumps(
        {
            "format": "vmeste-course",
            "version": 1,
            "course": {"title": "Курс"},
            "files": files,
            "modules": [{"title": "Модуль", "items": items}],
        }
    )


def _zeros_backup(sizes: list[int]) -> bytes:
    """File items holding zeros, written in 1 MB steps (the archive stays small, the content does not)."""
    buffer = io.BytesIO()
    files = [{"path": f"files/{n}", "name": f"материал {n}.docx"} for n in range(len(sizes))]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, size in zip(files, sizes, strict=True):
            with archive.open(entry["path"], "w", force_zip64=True) as member:
                for _step in range(size // MB):
                    member.write(bytes(MB))
                member.write(bytes(size % MB))
        archive.writestr("course.json", _document(files))
    return buffer.getvalue()


def _refused(data: bytes) -> str:
    author = teacher()
    db.session.commit()
    with pytest.raises(Invalid) as refused, force_locale("en"):
        backup.import_course(data, actor=author)
    return str(refused.value.fields["file"])


def _nothing_written(app: Any) -> None:
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    root = Path(app.config["UPLOAD_DIR"])
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_a_zip_bomb_member_is_refused_without_unpacking_it(app) -> None:  # type: ignore[no-untyped-def]
    data = _zeros_backup([100 * MB])
    assert len(data) < 1 * MB  # 100 MB of zeros compress to about 100 KB
    message = _refused(data)
    assert "larger than 10.0 MB" in message and "Nothing was imported" in message
    _nothing_written(app)


def test_the_total_unpacked_size_is_capped(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(backup_archive, "MAX_UNCOMPRESSED_BYTES", 8 * MB)  # 1 GB by default
    message = _refused(_zeros_backup([5 * MB, 5 * MB]))
    assert "more than 8 MB" in message
    _nothing_written(app)


def test_too_many_members_are_refused_before_reading_any(app) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.json", _document([]))
        for n in range(5000):
            archive.writestr(f"junk/{n}", b"")
    message = _refused(buffer.getvalue())
    assert "5001" in message and "5000" in message
    _nothing_written(app)


def test_a_member_whose_header_lies_about_its_size_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("files/0", bytes(MB))
        archive.writestr("course.json", _document([{"path": "files/0", "name": "a.docx"}]))
    data = bytearray(buffer.getvalue())
    declared = 1000
    # Both headers of files/0 claim 1000 bytes: the local one (size at 22), the central one (at 24).
    struct.pack_into("<I", data, 22, declared)
    central = data.index(b"PK\x01\x02")
    assert data[central + 46 : central + 53] == b"files/0"
    struct.pack_into("<I", data, central + 24, declared)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("files/0").file_size == declared
    message = _refused(bytes(data))
    assert "damaged" in message and "files/0" in message
    _nothing_written(app)


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("index.html", b"<html><script>alert(1)</script></html>", "html"),
        ("app.js", b"alert(1)", "js"),
        ("photo.png", b"<svg onload=alert(1)>", "photo.png"),
    ],
)
def test_files_pass_the_upload_rules(app, name, data, fragment) -> None:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("files/1", data)
        archive.writestr("course.json", _document([{"path": "files/1", "name": name}]))
    assert fragment in _refused(buffer.getvalue())
    _nothing_written(app)


@pytest.mark.parametrize(
    ("links", "fragment"),
    [
        ([0, None], "“Item 0” requires itself"),
        ([1, 2, 0], "requires itself"),
        ([None, 2, 1], "“Item 1” requires itself"),
        ([None, 7], "prerequisite is malformed"),
        ([True, None], "prerequisite is malformed"),
    ],
)
def test_a_prerequisite_cannot_lock_an_item_forever(app, links, fragment) -> None:  # type: ignore[no-untyped-def]
    items = [{"kind": "page", "title": f"Item {n}", "prerequisite": link} for n, link in enumerate(links)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.json", _document([], items))
    assert fragment in _refused(buffer.getvalue())
    _nothing_written(app)


def test_a_course_with_an_image_and_a_file_survives_export_and_import(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    author = cf._author(course)
    asset = add_asset(course, Upload("схема.png", io.BytesIO(PNG)), actor=author)
    add_item(
        module,
        "file",
        ItemSettings(title="Памятка"),
        actor=author,
        upload=Upload("Памятка.pdf", io.BytesIO(b"%PDF-1.4 memo")),
    )
    cf.page(
        module, "Страница", body=f"![схема](/courses/{course.id}/assets/{asset.id})", prerequisite_id=None
    )
    copy = backup.import_course(backup.export_course(course), actor=author)
    items = db.session.scalars(select(Item).where(Item.course_id == copy.id).order_by(Item.position)).all()
    memo = db.session.get(StoredFile, items[0].file_id)
    assert memo.original_name == "Памятка.pdf" and memo.content_type == "application/pdf"
    assert read_bytes(memo) == b"%PDF-1.4 memo"
    assert f"/courses/{copy.id}/assets/" in items[1].body


def _module_with(item: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Модуль", "items": [{"title": "Элемент", **item}]}


@pytest.mark.parametrize(
    "change",
    [
        {"files": "files/1"},
        {"files": [{"path": ["files/1"], "name": "a.pdf"}]},
        {"assets": {"path": "files/1"}},
        {"modules": [_module_with({"kind": ["page"]})]},
        {"modules": [_module_with({"kind": "page", "completion": {"x": 1}})]},
        {"modules": [_module_with({"kind": "page", "url": 5})]},
        {"modules": [_module_with({"kind": "page", "weight": "1e30"})]},
        {"modules": [_module_with({"kind": "file", "file": ["files/1"]})]},
        {"modules": [_module_with({"kind": "assignment", "assignment": {"max_file_mb": "ten"}})]},
        {"modules": [_module_with({"kind": "assignment", "assignment": {"max_files": 1000}})]},
        {"modules": [_module_with({"kind": "assignment", "assignment": {"rubric": "lots"}})]},
        {"modules": [_module_with({"kind": "quiz", "quiz": {"time_limit_minutes": "abc"}})]},
        {"modules": [_module_with({"kind": "quiz", "quiz": {"attempts_allowed": 0}})]},
        {"modules": [_module_with({"kind": "quiz", "quiz": {"grading_method": "loudest"}})]},
    ],
)
def test_malformed_values_are_refused_with_a_message(app, change) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(_document([]))
    document.update(change)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.json", json.dumps(document))
    assert "Nothing was imported" in _refused(buffer.getvalue())
    _nothing_written(app)


def _quiz_backup() -> bytes:
    """A file item and two quizzes over a two-question bank."""
    items = [
        {"kind": "file", "title": "Памятка", "file": "files/0"},
        {"kind": "quiz", "title": "Тест 1", "quiz": {"questions": ["A"]}},
        {"kind": "quiz", "title": "Тест 2", "quiz": {"questions": ["B", "A"]}},
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("files/0", b"%PDF-1.4 memo")
        archive.writestr("questions.gift", "::A::2+2? {=4 ~5}\n\n::B::3+3? {=6 ~7}\n")
        archive.writestr("course.json", _document([{"path": "files/0", "name": "Памятка.pdf"}], items))
    return buffer.getvalue()


def test_a_step_failing_after_the_quiz_bank_leaves_nothing(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The bank and the first quiz are written, then the second quiz is refused: nothing is kept."""
    calls: list[int] = []
    real = quizzes._bank_question_rows

    def second_refused(bank, question_ids):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise Invalid("Refused late.", {"question_ids": "Refused late."})
        return real(bank, question_ids)

    monkeypatch.setattr(quizzes, "_bank_question_rows", second_refused)
    author = teacher()
    db.session.commit()
    with pytest.raises(Invalid) as refused, force_locale("en"):
        backup.import_course(_quiz_backup(), actor=author)
    db.session.rollback()  # as the end of the request would
    assert len(calls) == 2
    for model in (Course, QuestionBank, Question, Quiz, QuizSlot, Item):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    _nothing_written(app)
    message = str(refused.value.fields["file"])
    assert "Refused late." in message and "Nothing was imported" in message


def test_a_successful_import_commits_once(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    db.session.commit()
    data = _quiz_backup()
    commits: list[int] = []

    def count(session: Any) -> None:
        if not session.in_nested_transaction():  # a savepoint released (forums' insert-once) is no commit
            commits.append(1)

    event.listen(db.session, "after_commit", count)
    try:
        copy = backup.import_course(data, actor=author)
    finally:
        event.remove(db.session, "after_commit", count)
    assert len(commits) == 1
    assert [f.slot for f in forum_places.place_forums(ForumScope.COURSE, copy.id)] == ["news", "general"]
    items = db.session.scalars(select(Item).where(Item.course_id == copy.id).order_by(Item.position)).all()
    assert read_bytes(db.session.get(StoredFile, items[0].file_id)) == b"%PDF-1.4 memo"
    slots = [quizzes.quiz_slots(db.session.get(Quiz, item.quiz_id)) for item in items[1:]]
    names = [[db.session.get(Question, s.question_id).name for s in quiz] for quiz in slots]
    assert names == [["A"], ["B", "A"]]


def test_a_quiz_naming_a_question_longer_than_its_column_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    """A question name is stored cut to 255 characters, so a quiz naming the whole name finds no such
    question: a message, not a KeyError (a 500 before)."""
    long_name = "Вопрос " + "о" * 300
    items = [{"kind": "quiz", "title": "Тест", "quiz": {"questions": [long_name]}}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("questions.gift", f"::{long_name}::2+2? {{=4 ~5}}\n")
        archive.writestr("course.json", _document([], items))
    assert "missing from questions.gift" in _refused(buffer.getvalue())
    db.session.rollback()
    _nothing_written(app)
