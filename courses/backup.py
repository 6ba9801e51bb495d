"""Course backup: one zip file (course.json, the question bank as GIFT, page images and files)
that imports as a new course on any installation (the import lives in `courses.backup_import`)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.uploads import read_bytes
from courses.backup_document import FORMAT, VERSION
from courses.backup_import import MAX_BACKUP_BYTES, import_course
from courses.models import Course, CourseAsset
from courses.quiz import bank_gift
from courses.quiz.models import Question, QuestionBank, Quiz, QuizSlot
from courses.structure import load_structure

__all__ = ["MAX_BACKUP_BYTES", "export_course", "import_course"]


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def export_course(course: Course) -> bytes:
    """The course's structure, settings, pages, files and question bank (quizzes by question name)."""
    modules = load_structure(course.id)
    assets = list(db.session.scalars(select(CourseAsset).where(CourseAsset.course_id == course.id)))
    items = [item for module in modules for item in module.items]
    index_of = {item.id: n for n, item in enumerate(items)}
    quiz_ids = [i.quiz_id for i in items if i.quiz_id]
    quizzes = (
        {q.id: q for q in db.session.scalars(select(Quiz).where(Quiz.id.in_(quiz_ids)))} if quiz_ids else {}
    )
    slot_names: dict[int, list[str]] = {}
    if quiz_ids:
        for quiz_id, name in db.session.execute(
            select(QuizSlot.quiz_id, Question.name)
            .join(Question, Question.id == QuizSlot.question_id)
            .where(QuizSlot.quiz_id.in_(quiz_ids))
            .order_by(QuizSlot.quiz_id, QuizSlot.position)
        ):
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
                    "kind": str(item.kind),
                    "title": item.title,
                    "body": item.body,
                    "url": item.url,
                    "hidden": item.hidden,
                    "visible_from": _iso(item.visible_from),
                    "completion": str(item.completion),
                    "completion_points": None
                    if item.completion_points is None
                    else str(item.completion_points),
                    "prerequisite": index_of.get(item.prerequisite_id) if item.prerequisite_id else None,
                    "weight": str(item.weight),
                }
                if item.file is not None:
                    entry["file"] = add_file(item.file)
                if item.assignment is not None:
                    a = item.assignment
                    entry["assignment"] = {
                        "description": a.description,
                        "due_at": _iso(a.due_at),
                        "cutoff_at": _iso(a.cutoff_at),
                        "max_points": str(a.max_points),
                        "rubric": a.rubric,
                        "allow_text": a.allow_text,
                        "allow_files": a.allow_files,
                        "allowed_extensions": a.allowed_extensions,
                        "max_file_mb": a.max_file_mb,
                        "max_files": a.max_files,
                        "resubmission": a.resubmission,
                    }
                if item.quiz_id and item.quiz_id in quizzes:
                    q = quizzes[item.quiz_id]
                    entry["quiz"] = {
                        "questions": slot_names.get(q.id, []),
                        "time_limit_minutes": q.time_limit_minutes,
                        "attempts_allowed": q.attempts_allowed,
                        "grading_method": str(q.grading_method),
                        "max_grade": str(q.max_grade),
                        "opens_at": _iso(q.opens_at),
                        "closes_at": _iso(q.closes_at),
                        "shuffle_questions": q.shuffle_questions,
                        "shuffle_answers": q.shuffle_answers,
                    }
                item_data.append(entry)
            module_data.append(
                {
                    "title": module.title,
                    "hidden": module.hidden,
                    "visible_from": _iso(module.visible_from),
                    "items": item_data,
                }
            )
        bank = db.session.get(QuestionBank, course.bank_id) if course.bank_id else None
        document = {
            "format": FORMAT,
            "version": VERSION,
            "course": {
                "title": course.title,
                "summary": course.summary,
                "hours": course.hours,
                "starts_on": _iso(course.starts_on),
                "ends_on": _iso(course.ends_on),
                "enrolment_mode": str(course.enrolment_mode),
                "missing_grades": str(course.missing_grades),
                "source_id": course.id,
            },
            "assets": [{"id": aid, "path": path} for aid, path in asset_paths.items()],
            "files": files,
            "modules": module_data,
        }
        archive.writestr("course.json", json.dumps(document, ensure_ascii=False, indent=1))
        archive.writestr("questions.gift", bank_gift.export_gift(bank) if bank is not None else "")
    return buffer.getvalue()
