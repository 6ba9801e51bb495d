"""Restoring a course from a backup file as a new course: our own backup (`courses.backup_import`)
or a Moodle course backup (`.mbz`, Moodle 2.x–4.x), told apart by content, all or nothing.

A Moodle backup becomes a course whose modules are its sections, with pages, labels, links, files,
assignments and quizzes over its question bank; what cannot be carried over (other activity types,
forums, question types we lack, users and their work, access restrictions) is listed in the report
returned with the course. The archive is read within the backup limits (`courses.moodle_archive`),
every file passes the upload rules, and the one commit happens at the end: a refusal leaves no
course, no row and no file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import DomainError, Invalid
from app.extensions import db
from app.i18n import _
from app.timeutil import DEFAULT_TIMEZONE
from community.forums import places as forum_places
from community.forums.models import ForumScope
from courses import backup_import
from courses.backup_archive import BackupProblem
from courses.cache_keys import course_key
from courses.catalogue import CourseSettings, attach_bank, check_settings
from courses.models import Course, CourseMember, CourseRole, Module
from courses.moodle_archive import MoodleArchive, is_gzip, is_zip
from courses.moodle_backup_read import (
    ActivityRef,
    Manifest,
    MoodleReadError,
    read_activity,
    read_course,
    read_files,
    read_manifest,
    read_module,
    read_section,
)
from courses.moodle_files import MoodleFiles
from courses.moodle_items import Place, add_items
from courses.moodle_questions_read import read_questions
from courses.moodle_quizzes import BankRestore, moment
from courses.quiz.models import QuestionBank


@dataclass
class Restored:
    """The new course and what could not be carried over: [{"item", "message"}]."""

    course: Course
    report: list[dict[str, str]] = field(default_factory=list)

    def note(self, item: str, message: str) -> None:
        line = {"item": item, "message": message}
        if line not in self.report:
            self.report.append(line)


def restore_course(data: bytes, *, actor: User) -> Restored:
    """A new course (the restorer is its author) from our backup or a Moodle `.mbz`; all or nothing."""
    if is_zip(data) and not _moodle_zip(data):
        return Restored(backup_import.import_course(data, actor=actor))
    try:
        if len(data) > backup_import.MAX_BACKUP_BYTES:
            raise BackupProblem(_("The file is too large."))
        if not (is_gzip(data) or is_zip(data)):
            raise BackupProblem(not_a_backup())
        return _restore(MoodleArchive(data), actor)
    except (BackupProblem, DomainError, MoodleReadError) as bad:
        db.session.rollback()
        if isinstance(bad, MoodleReadError):
            problem = _("%(path)s cannot be read (damaged XML).", path=bad.path)
        else:
            problem = bad.message if isinstance(bad, DomainError) else str(bad)
        message = _("The backup cannot be restored: %(problem)s Nothing was imported.", problem=problem)
        raise Invalid(message, {"file": message}) from None


def _moodle_zip(data: bytes) -> bool:
    """A zip is a Moodle backup (as Moodle wrote them before 2.6) when it holds moodle_backup.xml."""
    try:
        return "moodle_backup.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def not_a_backup() -> str:
    return _("This is neither a course backup of ours (.zip) nor a Moodle course backup (.mbz).")


def _document(archive: MoodleArchive, name: str, required: bool = True) -> bytes | None:
    found = archive.document(name)
    if found is None and required:
        raise BackupProblem(_("The file %(path)s is missing from the archive.", path=name))
    return found


def _day(seconds: int) -> date | None:
    when = moment(str(seconds))
    return when.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date() if when else None


def _restore(archive: MoodleArchive, actor: User) -> Restored:
    manifest_data = archive.document("moodle_backup.xml")
    if manifest_data is None:
        raise BackupProblem(not_a_backup())
    manifest = read_manifest(manifest_data)
    if manifest.backup_type != "course":
        raise BackupProblem(_("This Moodle backup holds one activity or section, not a whole course."))
    info = read_course(_document(archive, "course/course.xml") or b"")
    sections = sorted(
        (
            read_section(_document(archive, f"{folder}/section.xml") or b"", f"{folder}/section.xml")
            for _id, folder in manifest.sections
        ),
        key=lambda s: s.number,
    )
    files = MoodleFiles(read_files(_document(archive, "files.xml", required=False) or b"<files/>"))
    questions_data = _document(archive, "questions.xml", required=False)
    moodle_bank = read_questions(questions_data) if questions_data else None
    settings = CourseSettings(
        title=(info.fullname.strip() or info.shortname.strip() or manifest.course_title or "Moodle")[:255],
        starts_on=_day(info.start),
        ends_on=_day(info.end),
    )
    if settings.starts_on and settings.ends_on and settings.ends_on < settings.starts_on:
        settings.ends_on = None
    check_settings(settings)
    files.fetch(archive)

    # Everything read: write (files are staged, and kept only if the commit happens).
    course = Course(
        title=settings.title, starts_on=settings.starts_on, ends_on=settings.ends_on, created_by_id=actor.id
    )
    db.session.add(course)
    db.session.flush()
    result = Restored(course)
    db.session.add(CourseMember(course_id=course.id, user_id=actor.id, role=CourseRole.AUTHOR))
    attach_bank(course)
    forum_places.add_default_forums(ForumScope.COURSE, course.id, actor_id=actor.id)  # news + general
    course.summary = files.relink(
        info.summary,
        course,
        (info.context_id, "course", "summary", None),
        actor.id,
        _("Course summary"),
        result.note,
    )
    _report_backup_wide(manifest, archive.names, result)
    bank = None
    if moodle_bank is not None:
        row = db.session.get(QuestionBank, course.bank_id)
        assert row is not None
        bank = BankRestore(row, moodle_bank)
        bank.add_questions(files, course, actor.id, result.note)
    refs = {a.module_id: a for a in manifest.activities}
    placed: set[int] = set()
    items = position = 0
    for section in sections:
        in_order = [m for m in section.sequence if m in refs] + [
            a.module_id
            for a in manifest.activities
            if a.section_id == section.id and a.module_id not in section.sequence
        ]
        title = section.name or (
            _("General") if section.number == 0 else _("Section %(n)s", n=section.number)
        )
        module = Module(course_id=course.id, position=position, title=title[:255], hidden=not section.visible)
        db.session.add(module)
        db.session.flush()
        place = Place(course, module, actor, files, bank, result.note)
        summary = files.relink(
            section.summary,
            course,
            (info.context_id, "course", "section", section.id),
            actor.id,
            title,
            result.note,
        )
        count = _fill_module(archive, place, summary, [refs[m] for m in in_order if m not in placed])
        placed.update(in_order)
        if section.number == 0 and count == 0:  # Moodle's "General" holding nothing we carry
            db.session.delete(module)
            db.session.flush()
            continue
        if section.restricted:
            result.note(
                title,
                _("Its access restrictions are not carried over: the module is open to everyone enrolled."),
            )
        position += 1
        items += count
    audit.record(
        "course.imported",
        actor=actor,
        scope_type="course",
        scope_id=course.id,
        object_type="course",
        object_id=course.id,
        details={
            "items": items,
            "format": "moodle",
            "moodle": manifest.release,
            "not_carried": len(result.report),
        },
    )
    bump(course_key(course.id))
    db.session.commit()
    return result


def _fill_module(archive: MoodleArchive, place: Place, summary: str, refs: list[ActivityRef]) -> int:
    """The module's items: the section's summary as a first page, then each activity carried over."""
    count = 0
    if summary.strip():
        place.module_page(_("About this module"), summary)
        count = 1
    for ref in refs:
        if ref.modname == "subsection":  # Moodle 4.5 sub-sections come over as modules of their own
            continue
        info_path = f"{ref.directory}/module.xml"
        module_info = read_module(_document(archive, info_path) or b"", info_path)
        path = f"{ref.directory}/{ref.modname}.xml"
        activity_data = _document(archive, path, required=False)
        if activity_data is None:
            place.report(ref.title or ref.modname, _("The backup holds no data for it; left out."))
            continue
        for item in add_items(
            place, ref, module_info, read_activity(activity_data, path, ref.modname), count
        ):
            db.session.add(item)
            count += 1
    return count


def _report_backup_wide(manifest: Manifest, names: frozenset[str], result: Restored) -> None:
    """What a Moodle backup may hold that never comes over: users and their work, side blocks."""
    if (
        manifest.settings.get("users") == "1"
        or "users.xml" in names
        and manifest.settings.get("users") != "0"
    ):
        result.note(
            _("Participants"), _("Users, their submissions, attempts and grades are not carried over.")
        )
    if any(name.endswith("/block.xml") for name in names):
        result.note(_("Blocks"), _("Moodle's side blocks are not carried over."))
