"""Course backup: one zip file (course.json, the question bank as GIFT, page images and files)
that imports as a new course on any installation. The whole file is checked before anything is
written, so a malformed file imports nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from app import audit
from app.accounts import User
from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import _
from app.uploads import read_bytes, store_bytes
from courses import rules, services
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
from courses.quiz import gift
from courses.quiz import services as quiz_services
from courses.quiz.models import Question, QuestionBank, Quiz, QuizSlot

FORMAT = "vmeste-course"
VERSION = 1
MAX_BACKUP_BYTES = 200 * 1024 * 1024
ASSET_URL = re.compile(r"/courses/(\d+)/assets/(\d+)")


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def export_course(course: Course) -> bytes:
    """The course's structure, settings, pages, files and question bank (quizzes by question name)."""
    modules = services.load_structure(course.id)
    assets = list(db.session.scalars(select(CourseAsset).where(CourseAsset.course_id == course.id)))
    items = [item for module in modules for item in module.items]
    index_of = {item.id: n for n, item in enumerate(items)}
    quiz_ids = [i.quiz_id for i in items if i.quiz_id]
    quizzes = {q.id: q for q in db.session.scalars(select(Quiz).where(Quiz.id.in_(quiz_ids)))} if quiz_ids else {}
    slot_names: dict[int, list[str]] = {}
    if quiz_ids:
        for quiz_id, name in db.session.execute(
                select(QuizSlot.quiz_id, Question.name).join(Question, Question.id == QuizSlot.question_id)
                .where(QuizSlot.quiz_id.in_(quiz_ids)).order_by(QuizSlot.quiz_id, QuizSlot.position)):
            slot_names.setdefault(quiz_id, []).append(name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        files: list[dict[str, Any]] = []

        def add_file(stored: Any) -> str:
            path = f"files/{len(files) + 1}"
            archive.writestr(path, read_bytes(stored))
            files.append({"path": path, "name": stored.original_name})
            return path

        asset_paths = {a.id: add_file(a.file) for a in assets}
        module_data = []
        for module in modules:
            item_data = []
            for item in module.items:
                entry: dict[str, Any] = {
                    "kind": str(item.kind), "title": item.title, "body": item.body, "url": item.url,
                    "hidden": item.hidden, "visible_from": _iso(item.visible_from),
                    "completion": str(item.completion),
                    "completion_points": None if item.completion_points is None else str(item.completion_points),
                    "prerequisite": index_of.get(item.prerequisite_id) if item.prerequisite_id else None,
                    "weight": str(item.weight),
                }
                if item.file is not None:
                    entry["file"] = add_file(item.file)
                if item.assignment is not None:
                    a = item.assignment
                    entry["assignment"] = {
                        "description": a.description, "due_at": _iso(a.due_at), "cutoff_at": _iso(a.cutoff_at),
                        "max_points": str(a.max_points), "rubric": a.rubric, "allow_text": a.allow_text,
                        "allow_files": a.allow_files, "allowed_extensions": a.allowed_extensions,
                        "max_file_mb": a.max_file_mb, "max_files": a.max_files, "resubmission": a.resubmission}
                if item.quiz_id and item.quiz_id in quizzes:
                    q = quizzes[item.quiz_id]
                    entry["quiz"] = {
                        "questions": slot_names.get(q.id, []), "time_limit_minutes": q.time_limit_minutes,
                        "attempts_allowed": q.attempts_allowed, "grading_method": str(q.grading_method),
                        "max_grade": str(q.max_grade), "opens_at": _iso(q.opens_at), "closes_at": _iso(q.closes_at),
                        "shuffle_questions": q.shuffle_questions, "shuffle_answers": q.shuffle_answers}
                item_data.append(entry)
            module_data.append({"title": module.title, "hidden": module.hidden,
                                "visible_from": _iso(module.visible_from), "items": item_data})
        bank = db.session.get(QuestionBank, course.bank_id) if course.bank_id else None
        document = {
            "format": FORMAT, "version": VERSION,
            "course": {"title": course.title, "summary": course.summary, "hours": course.hours,
                       "starts_on": _iso(course.starts_on), "ends_on": _iso(course.ends_on),
                       "enrolment_mode": str(course.enrolment_mode), "missing_grades": str(course.missing_grades),
                       "source_id": course.id},
            "assets": [{"id": aid, "path": path} for aid, path in asset_paths.items()],
            "files": files,
            "modules": module_data,
        }
        archive.writestr("course.json", json.dumps(document, ensure_ascii=False, indent=1))
        archive.writestr("questions.gift", quiz_services.export_gift(bank) if bank is not None else "")
    return buffer.getvalue()


class _Bad(Exception):
    pass


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise _Bad(message)


def _text(data: dict[str, Any], key: str, limit: int = 200_000, default: str = "") -> str:
    value = data.get(key, default)
    _need(isinstance(value, str) and len(value) <= limit, _("“%(key)s” must be text.", key=key))
    return str(value)


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise _Bad(_("“%(value)s” is not a date and time.", value=value)) from None
    _need(parsed.tzinfo is not None, _("“%(value)s” has no time zone offset.", value=value))
    return parsed


def _day(value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Bad(_("“%(value)s” is not a date.", value=value)) from None


def _number(value: Any, default: str | None = None) -> Decimal | None:
    if value is None:
        return Decimal(default) if default is not None else None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _Bad(_("“%(value)s” is not a number.", value=value)) from None
    _need(number.is_finite() and number >= 0, _("“%(value)s” is not a number.", value=value))
    return number


def _read(data: bytes) -> tuple[dict[str, Any], str, zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        document = json.loads(archive.read("course.json").decode("utf-8"))
        gift_text = archive.read("questions.gift").decode("utf-8") if "questions.gift" in archive.namelist() else ""
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError):
        raise _Bad(_("This is not a course backup (a zip file with course.json).")) from None
    _need(isinstance(document, dict) and document.get("format") == FORMAT,
          _("This is not a course backup (a zip file with course.json)."))
    _need(document.get("version") == VERSION, _("Unsupported backup version."))
    return document, gift_text, archive


def import_course(data: bytes, *, actor: User) -> Course:
    """Create a new course (the importer is its author) from a backup; all or nothing."""
    try:
        return _import(data, actor)
    except _Bad as bad:
        db.session.rollback()
        message = _("The backup cannot be imported: %(problem)s Nothing was imported.", problem=str(bad))
        raise Invalid(message, {"file": message}) from None


def _import(data: bytes, actor: User) -> Course:  # noqa: C901 - one linear check of the whole file
    _need(len(data) <= MAX_BACKUP_BYTES, _("The file is too large."))
    document, gift_text, archive = _read(data)
    names = set(archive.namelist())
    info = document.get("course")
    _need(isinstance(info, dict), _("The course section is missing."))
    settings = services.CourseSettings(
        title=_text(info, "title", 255), summary=_text(info, "summary"),
        hours=int(_number(info.get("hours"), "0") or 0), starts_on=_day(info.get("starts_on")),
        ends_on=_day(info.get("ends_on")), enrolment_mode="invitation",
        missing_grades=str(info.get("missing_grades", "zero")))
    _need(settings.title.strip() != "", _("The course has no title."))
    modules = document.get("modules")
    _need(isinstance(modules, list), _("The modules section is missing."))
    files = {f.get("path"): f.get("name") for f in document.get("files", []) if isinstance(f, dict)}
    for path in files:
        _need(path in names, _("The file %(path)s is missing from the archive.", path=path))
    parsed_gift = gift.parse_gift(gift_text) if gift_text.strip() else None
    if parsed_gift is not None and parsed_gift.errors:
        first = parsed_gift.errors[0]
        raise _Bad(_("questions.gift, line %(line)s: %(message)s", line=first.line,
                     message=quiz_services.translate_pure(first.message)))
    question_names = {q.name for q, _line in parsed_gift.questions} if parsed_gift else set()
    flat: list[dict[str, Any]] = []
    for module in modules:
        _need(isinstance(module, dict) and isinstance(module.get("items", []), list),
              _("A module is malformed."))
        _text(module, "title", 255)
        _moment(module.get("visible_from"))
        for item in module.get("items", []):
            _need(isinstance(item, dict), _("An item is malformed."))
            _need(item.get("kind") in {k.value for k in ItemKind}, _("Unknown item kind “%(kind)s”.",
                                                                     kind=item.get("kind")))
            _need(item.get("completion", "none") in {c.value for c in CompletionRule},
                  _("Unknown completion condition."))
            _text(item, "title", 255)
            _text(item, "body")
            _moment(item.get("visible_from"))
            _number(item.get("weight"), "1")
            _number(item.get("completion_points"))
            if item["kind"] == ItemKind.FILE:
                _need(item.get("file") in files, _("A file item has no file."))
            if item["kind"] == ItemKind.ASSIGNMENT:
                _need(isinstance(item.get("assignment"), dict), _("An assignment has no settings."))
                a = item["assignment"]
                _moment(a.get("due_at"))
                _moment(a.get("cutoff_at"))
                _number(a.get("max_points"), "10")
                try:
                    rules.check_rubric(a.get("rubric", []))
                except rules.RubricError as error:
                    raise _Bad(str(error)) from None
            if item["kind"] == ItemKind.QUIZ:
                _need(isinstance(item.get("quiz"), dict), _("A quiz has no settings."))
                wanted = item["quiz"].get("questions", [])
                _need(isinstance(wanted, list) and all(n in question_names for n in wanted),
                      _("A quiz uses questions missing from questions.gift."))
            prerequisite = item.get("prerequisite")
            _need(prerequisite is None or (isinstance(prerequisite, int) and prerequisite >= 0),
                  _("A prerequisite is malformed."))
            flat.append(item)
    for item in flat:
        _need(item.get("prerequisite") is None or item["prerequisite"] < len(flat), _("A prerequisite is malformed."))
    try:
        services._check_settings(settings)
    except Invalid as error:
        raise _Bad(error.message) from None

    # Everything checked: write.
    course = Course(title=settings.title, summary=settings.summary, hours=settings.hours,
                    starts_on=settings.starts_on, ends_on=settings.ends_on, missing_grades=settings.missing_grades,
                    created_by_id=actor.id)
    db.session.add(course)
    db.session.flush()
    db.session.add(CourseMember(course_id=course.id, user_id=actor.id, role=CourseRole.AUTHOR))
    services._attach_bank(course)
    stored_paths = {path: store_bytes(str(name or "file"), archive.read(path), actor.id) for path, name in files.items()}
    db.session.flush()
    asset_map: dict[str, str] = {}
    source_id = info.get("source_id")
    for asset in document.get("assets", []):
        if isinstance(asset, dict) and asset.get("path") in stored_paths:
            new = CourseAsset(course_id=course.id, file_id=stored_paths[asset["path"]].id)
            db.session.add(new)
            db.session.flush()
            asset_map[str(asset.get("id"))] = f"/courses/{course.id}/assets/{new.id}"

    def relink(body: str) -> str:
        return ASSET_URL.sub(lambda m: asset_map.get(m.group(2), m.group(0)) if str(source_id) == m.group(1)
                             else m.group(0), body)

    created: list[Item] = []
    quiz_specs: list[tuple[Item, dict[str, Any]]] = []
    for position, module_data in enumerate(modules):
        module = Module(course_id=course.id, position=position, title=_text(module_data, "title", 255) or "—",
                        hidden=bool(module_data.get("hidden")), visible_from=_moment(module_data.get("visible_from")))
        db.session.add(module)
        db.session.flush()
        for item_position, data_item in enumerate(module_data.get("items", [])):
            item = Item(course_id=course.id, module_id=module.id, position=item_position,
                        kind=ItemKind(data_item["kind"]), title=data_item["title"] or "—",
                        body=relink(data_item.get("body", "")), url=str(data_item.get("url", ""))[:1000],
                        hidden=bool(data_item.get("hidden")), visible_from=_moment(data_item.get("visible_from")),
                        completion=CompletionRule(data_item.get("completion", "none")),
                        completion_points=_number(data_item.get("completion_points")),
                        weight=_number(data_item.get("weight"), "1") or Decimal(1))
            if data_item.get("file") in stored_paths:
                item.file_id = stored_paths[data_item["file"]].id
            if item.kind == ItemKind.ASSIGNMENT:
                a = data_item["assignment"]
                assignment = Assignment(
                    course_id=course.id, description=str(a.get("description", "")), due_at=_moment(a.get("due_at")),
                    cutoff_at=_moment(a.get("cutoff_at")), max_points=_number(a.get("max_points"), "10"),
                    rubric=rules.check_rubric(a.get("rubric", [])), allow_text=bool(a.get("allow_text", True)),
                    allow_files=bool(a.get("allow_files", True)),
                    allowed_extensions=str(a.get("allowed_extensions", "pdf"))[:255],
                    max_file_mb=int(a.get("max_file_mb", 10)), max_files=int(a.get("max_files", 5)),
                    resubmission=bool(a.get("resubmission", True)))
                db.session.add(assignment)
                db.session.flush()
                item.assignment_id = assignment.id
            db.session.add(item)
            created.append(item)
            if item.kind == ItemKind.QUIZ:
                quiz_specs.append((item, data_item["quiz"]))
    db.session.flush()
    for item, data_item in zip(created, flat, strict=True):
        if data_item.get("prerequisite") is not None:
            item.prerequisite_id = created[data_item["prerequisite"]].id
    audit.record("course.imported", actor=actor, scope_type="course", scope_id=course.id, object_type="course",
                 object_id=course.id, details={"items": len(created)})
    db.session.flush()
    if not quiz_specs and not gift_text.strip():
        db.session.commit()
        return course
    _import_quizzes(course, gift_text, quiz_specs, actor)
    return course


def _import_quizzes(course: Course, gift_text: str, specs: list[tuple[Any, dict[str, Any]]], actor: User) -> None:
    """The question bank, then each quiz by question name (quizzes without a usable item are removed)."""
    bank = db.session.get(QuestionBank, course.bank_id)
    assert bank is not None
    report = quiz_services.import_gift(bank, gift_text, actor=actor) if gift_text.strip() else None
    by_name: dict[str, int] = {}
    for question in (report.imported if report else []):
        by_name.setdefault(question.name, question.id)
    for item, spec in specs:
        quiz = quiz_services.create_quiz(
            bank, title=item.title, question_ids=[by_name[n] for n in spec.get("questions", [])],
            time_limit_minutes=spec.get("time_limit_minutes"), attempts_allowed=spec.get("attempts_allowed"),
            grading_method=str(spec.get("grading_method", "highest")),
            max_grade=_number(spec.get("max_grade"), "10") or Decimal(10), opens_at=_moment(spec.get("opens_at")),
            closes_at=_moment(spec.get("closes_at")), shuffle_questions=bool(spec.get("shuffle_questions")),
            shuffle_answers=bool(spec.get("shuffle_answers")), actor=actor)
        item.quiz_id = quiz.id
    db.session.commit()
