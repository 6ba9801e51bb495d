"""Importing a course backup as a new course: all or nothing.

The whole document is checked before anything is written; every file in the archive then passes
the same upload rules as a file chosen in the editor (type, size, content sniffing) and is staged
until the one commit, so a refused backup leaves no course, no row and no file behind. The archive
itself is read within bounds (`courses.backup_archive`): a zip bomb is refused, not unpacked.
The question bank and the quizzes are added through the quiz engine's non-committing cores
(`add_gift_questions`, `add_quiz`), so the import commits exactly once, at its end; any refusal
on the way rolls everything back.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import DomainError, Invalid
from app.extensions import db
from app.i18n import _
from app.uploads import StoredFile, UploadError, UploadRules, check_data, store_checked
from community.forums import places as forum_places
from community.forums.models import ForumScope
from courses import backup_document as doc
from courses.assignments import apply_assignment
from courses.backup_archive import BackupProblem, BoundedArchive
from courses.cache_keys import course_key
from courses.catalogue import CourseSettings, attach_bank, check_settings
from courses.files import ASSET_RULES, ITEM_FILE_RULES
from courses.models import (
    Assignment,
    CompletionRule,
    Course,
    CourseAsset,
    CourseMember,
    CourseRole,
    Item,
    ItemKind,
    Module,
)
from courses.quiz import bank_gift, gift_read
from courses.quiz import messages as quiz_messages
from courses.quiz import quizzes as quiz_quizzes
from courses.quiz.models import QuestionBank

MAX_BACKUP_BYTES = 200 * 1024 * 1024
ASSET_URL = re.compile(r"/courses/(\d+)/assets/(\d+)")


def import_course(data: bytes, *, actor: User) -> Course:
    """Create a new course (the importer is its author) from a backup; all or nothing."""
    try:
        return _import(data, actor)
    except (BackupProblem, DomainError) as bad:
        db.session.rollback()
        problem = bad.message if isinstance(bad, DomainError) else str(bad)
        message = _("The backup cannot be imported: %(problem)s Nothing was imported.", problem=problem)
        raise Invalid(message, {"file": message}) from None


def _store_files(
    archive: BoundedArchive, files: dict[Any, Any], asset_paths: set[str], actor: User
) -> dict[str, StoredFile]:
    """Each file the course uses, through the upload rules of its place (page images, file items)."""
    stored: dict[str, StoredFile] = {}
    for path, name in files.items():
        upload_rules: UploadRules = ASSET_RULES if path in asset_paths else ITEM_FILE_RULES
        display = str(name or "file")
        try:
            checked = check_data(display, archive.read(path, upload_rules.max_bytes + 1), upload_rules)
        except UploadError as error:
            raise BackupProblem(_("%(path)s: %(problem)s", path=path, problem=str(error))) from None
        stored[path] = store_checked(checked, actor.id)
    return stored


def _import(data: bytes, actor: User) -> Course:
    doc.need(len(data) <= MAX_BACKUP_BYTES, _("The file is too large."))
    document, gift_text, archive = doc.read_backup(data)
    info = document.get("course")
    doc.need(isinstance(info, dict), _("The course section is missing."))
    settings = CourseSettings(
        title=doc.text(info, "title", 255),
        summary=doc.text(info, "summary"),
        hours=int(doc.number(info.get("hours"), "0") or 0),
        starts_on=doc.day(info.get("starts_on")),
        ends_on=doc.day(info.get("ends_on")),
        enrolment_mode="invitation",
        missing_grades=str(info.get("missing_grades", "zero")),
    )
    doc.need(settings.title.strip() != "", _("The course has no title."))
    modules = document.get("modules")
    doc.need(isinstance(modules, list), _("The modules section is missing."))
    files = doc.file_list(document)
    for path in files:
        doc.need(path in archive.names, _("The file %(path)s is missing from the archive.", path=path))
    parsed_gift = gift_read.parse_gift(gift_text) if gift_text.strip() else None
    if parsed_gift is not None and parsed_gift.errors:
        first = parsed_gift.errors[0]
        raise BackupProblem(
            _(
                "questions.gift, line %(line)s: %(message)s",
                line=first.line,
                message=quiz_messages.gift_text(first),
            )
        )
    question_names = {q.name for q, _line in parsed_gift.questions} if parsed_gift else set()
    flat = doc.check_items(modules, files, question_names)
    try:
        check_settings(settings)
    except Invalid as error:
        raise BackupProblem(error.message) from None
    assets = doc.asset_list(document, files)

    # Everything checked: write (files are staged, and kept only if the commit happens).
    course = Course(
        title=settings.title,
        summary=settings.summary,
        hours=settings.hours,
        starts_on=settings.starts_on,
        ends_on=settings.ends_on,
        missing_grades=settings.missing_grades,
        created_by_id=actor.id,
    )
    db.session.add(course)
    db.session.flush()
    db.session.add(CourseMember(course_id=course.id, user_id=actor.id, role=CourseRole.AUTHOR))
    attach_bank(course)
    forum_places.add_default_forums(ForumScope.COURSE, course.id, actor_id=actor.id)  # news + general
    used = {a["path"] for a in assets} | {i.get("file") for i in flat if i["kind"] == ItemKind.FILE}
    stored_paths = _store_files(
        archive, {p: n for p, n in files.items() if p in used}, {a["path"] for a in assets}, actor
    )
    db.session.flush()
    asset_map: dict[str, str] = {}
    source_id = info.get("source_id")
    for asset in assets:
        new = CourseAsset(course_id=course.id, file_id=stored_paths[asset["path"]].id)
        db.session.add(new)
        db.session.flush()
        asset_map[str(asset.get("id"))] = f"/courses/{course.id}/assets/{new.id}"

    def relink(body: str) -> str:
        return ASSET_URL.sub(
            lambda m: asset_map.get(m.group(2), m.group(0)) if str(source_id) == m.group(1) else m.group(0),
            body,
        )

    created: list[Item] = []
    quiz_specs: list[tuple[Item, dict[str, Any]]] = []
    for position, module_data in enumerate(modules):
        module = Module(
            course_id=course.id,
            position=position,
            title=doc.text(module_data, "title", 255) or "—",
            hidden=bool(module_data.get("hidden")),
            visible_from=doc.moment(module_data.get("visible_from")),
        )
        db.session.add(module)
        db.session.flush()
        for item_position, data_item in enumerate(module_data.get("items", [])):
            item = _new_item(course, module, item_position, data_item, relink)
            if item.kind == ItemKind.FILE:
                item.file_id = stored_paths[data_item["file"]].id
            db.session.add(item)
            created.append(item)
            if item.kind == ItemKind.QUIZ:
                quiz_specs.append((item, data_item["quiz"]))
    db.session.flush()
    for item, data_item in zip(created, flat, strict=True):
        if data_item.get("prerequisite") is not None:
            item.prerequisite_id = created[data_item["prerequisite"]].id
    if quiz_specs or gift_text.strip():
        _import_quizzes(course, gift_text, quiz_specs)
    audit.record(
        "course.imported",
        actor=actor,
        scope_type="course",
        scope_id=course.id,
        object_type="course",
        object_id=course.id,
        details={"items": len(created)},
    )
    bump(course_key(course.id))
    db.session.commit()
    return course


def _new_item(course: Course, module: Module, position: int, data_item: dict[str, Any], relink: Any) -> Item:
    item = Item(
        course_id=course.id,
        module_id=module.id,
        position=position,
        kind=ItemKind(data_item["kind"]),
        title=data_item["title"] or "—",
        body=relink(doc.text(data_item, "body")),
        url=doc.text(data_item, "url", 1000),
        hidden=bool(data_item.get("hidden")),
        visible_from=doc.moment(data_item.get("visible_from")),
        completion=CompletionRule(data_item.get("completion", "none")),
        completion_points=doc.number(data_item.get("completion_points")),
        weight=doc.number(data_item.get("weight"), "1") or Decimal(1),
    )
    if item.kind == ItemKind.ASSIGNMENT:
        assignment = Assignment(course_id=course.id)
        apply_assignment(assignment, doc.assignment_settings(data_item["assignment"]))
        db.session.add(assignment)
        db.session.flush()
        item.assignment_id = assignment.id
    return item


def _import_quizzes(course: Course, gift_text: str, specs: list[tuple[Any, dict[str, Any]]]) -> None:
    """The question bank, then each quiz by question name (added to the import's one transaction)."""
    bank = db.session.get(QuestionBank, course.bank_id)
    assert bank is not None
    report = bank_gift.add_gift_questions(bank, gift_text) if gift_text.strip() else None
    by_name: dict[str, int] = {}
    for question in report.imported if report else []:
        by_name.setdefault(question.name, question.id)
    for item, spec in specs:
        settings = doc.quiz_settings(spec, set(by_name))  # first: it checks every name is in the bank
        quiz = quiz_quizzes.add_quiz(
            bank,
            title=item.title,
            question_ids=[by_name[n] for n in spec.get("questions", [])],
            **settings,
        )
        item.quiz_id = quiz.id
