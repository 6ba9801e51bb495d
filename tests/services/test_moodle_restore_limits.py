"""Moodle course restore refuses what would hurt or what it cannot read — archive bombs, too many
members, names climbing out of the archive, links, damaged archives and XML, single-activity
backups — and a refusal, even half-way through, leaves no course, no row and no file."""

from __future__ import annotations

import gzip
import io
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import force_locale
from app.uploads import StoredFile
from courses import backup, backup_archive
from courses.models import Course, Item
from courses.moodle_restore import restore_course
from courses.quiz.models import Question
from tests.factories.accounts import teacher
from tests.fixtures.moodle_mbz import Mbz, pack
from tests.fixtures.moodle_sample import sample

MB = 1024 * 1024


def _refused(data: bytes) -> str:
    author = teacher()
    db.session.commit()
    with pytest.raises(Invalid) as refused, force_locale("en"):
        restore_course(data, actor=author)
    message = str(refused.value.fields["file"])
    assert "Nothing was imported" in message
    return message


def _nothing_written(app: Any) -> None:
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    root = Path(app.config["UPLOAD_DIR"])
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def _with_member(info: tarfile.TarInfo, content: bytes = b"") -> bytes:
    """The sample course as a tar with one more member (a link, a climbing name…)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in sample().members().items():
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return gzip.compress(buffer.getvalue())


def test_an_archive_bomb_is_refused_without_unpacking_it_all(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(backup_archive, "MAX_UNCOMPRESSED_BYTES", 4 * MB)
    mbz = sample()
    mbz.extra["files/00/zeros"] = bytes(20 * MB)  # compresses to about 20 KB
    data = mbz.build()
    assert len(data) < MB
    assert "more than 4 MB" in _refused(data)
    _nothing_written(app)


@pytest.mark.parametrize("packing", ["tgz", "zip"])
def test_too_many_members_are_refused(app, monkeypatch, packing: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(backup_archive, "MAX_MEMBERS", 60)
    mbz = sample()
    mbz.extra.update({f"junk/{n}": b"" for n in range(40)})
    message = _refused(mbz.build(packing))
    assert "at most 60" in message
    _nothing_written(app)


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/evil", "/etc/passwd", "course/../../x.xml", "C:/boot.ini"]
)
def test_a_member_name_climbing_out_of_the_archive_is_refused(app, name: str) -> None:  # type: ignore[no-untyped-def]
    assert name in _refused(_with_member(tarfile.TarInfo(name), b"x"))
    members = sample().members()
    members[name] = b"x"
    assert "outside its folder" in _refused(pack(members, "zip"))
    _nothing_written(app)


def test_a_link_in_the_archive_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    link = tarfile.TarInfo("files/ab/link")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    assert "a link or a device (files/ab/link)" in _refused(_with_member(link))
    _nothing_written(app)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "damaged"),
        (gzip.compress(b"not a tar at all" * 100), "damaged"),
        (b"%PDF-1.4 just a document", "neither a course backup of ours"),
        (pack({"readme.txt": b"hello"}), "neither a course backup of ours"),
    ],
)
def test_what_is_not_a_backup_is_refused(app, data: bytes, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert fragment in _refused(data)
    _nothing_written(app)


def test_a_backup_of_one_activity_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    members = sample().members()
    members["moodle_backup.xml"] = members["moodle_backup.xml"].replace(
        b"<type>course</type>", b"<type>activity</type>"
    )
    assert "one activity or section" in _refused(pack(members))
    _nothing_written(app)


def test_damaged_xml_late_in_the_course_rolls_everything_back(app) -> None:  # type: ignore[no-untyped-def]
    """The lesson comes last: pages, files, questions and the quiz are written before it fails."""
    members = sample().members()
    lesson = next(name for name in members if name.endswith("/lesson.xml"))
    members[lesson] = b"<activity><lesson><name>broken"
    assert f"{lesson} cannot be read" in _refused(pack(members))
    _nothing_written(app)


def test_xml_with_entities_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    members = sample().members()
    members["course/course.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<course><fullname>&b;</fullname></course>"
    )
    assert "course/course.xml cannot be read" in _refused(pack(members))
    _nothing_written(app)


def test_a_missing_section_document_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    members = sample().members()
    section = next(name for name in members if name.endswith("section.xml"))
    del members[section]
    assert f"{section} is missing" in _refused(pack(members))
    _nothing_written(app)


def test_a_file_over_the_upload_limit_is_reported_not_stored(app) -> None:  # type: ignore[no-untyped-def]
    mbz = Mbz()
    section = mbz.section("Тема")
    resource = mbz.activity(section, "resource", {"name": "Большой файл"})
    mbz.add_file(
        int(str(resource["context"])), "mod_resource", "content", "big.pdf", b"%PDF-1.4\n" + bytes(11 * MB)
    )
    author = teacher()
    db.session.commit()
    with force_locale("en"):
        result = restore_course(mbz.build(), actor=author)
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(select(Item).where(Item.course_id == result.course.id)) is None
    assert any(r["item"] == "Большой файл" and "larger than 10.0 MB" in r["message"] for r in result.report)


def test_our_own_backup_still_restores_through_the_same_door(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    db.session.commit()
    mbz_course = restore_course(sample().build(), actor=author).course
    result = restore_course(backup.export_course(mbz_course), actor=author)
    assert result.report == [] and result.course.id != mbz_course.id
    assert result.course.title == "Основы алгебры"
    titles = {i.title for i in db.session.scalars(select(Item).where(Item.course_id == result.course.id))}
    assert {"Теория", "Конспект", "Домашняя работа", "Проверочная"} <= titles


@pytest.mark.parametrize("garbage", ["x", "-1", "1e999", "", "²", "NaN", "99999999999999999999"])
def test_garbage_numbers_and_ids_never_break_the_restore(app, garbage: str) -> None:  # type: ignore[no-untyped-def]
    """Every number and id attribute of every XML document replaced: restored or refused, never a 500."""
    members = {
        name: re.sub(
            rb'id="\d+"', f'id="{garbage}"'.encode(), re.sub(rb">-?[\d.]+<", f">{garbage}<".encode(), data)
        )
        if name.endswith(".xml")
        else data
        for name, data in sample().members().items()
    }
    author = teacher()
    db.session.commit()
    try:
        restore_course(pack(members), actor=author)
    except Invalid as refused:
        assert "Nothing was imported" in refused.message
