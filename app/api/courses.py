"""API endpoints of the courses room (see shared/API.md, "Courses"), plus public certificate checks."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from flask import Response, request
from pydantic import AwareDatetime, Field
from sqlalchemy import select

from app import certificates
from app.accounts import User
from app.api.core import ApiError, Id, Strict, api_user, endpoint, not_found, page_params, require_api
from app.extensions import db
from app.i18n import _
from app.permissions.courses import can_author_course, can_create_course, can_teach_course, course_role
from app.timeutil import utcnow
from courses import rules
from courses.assignments import AssignmentSettings
from courses.assignments import create_assignment as add_assignment
from courses.catalogue import CourseSettings
from courses.catalogue import create_course as add_course
from courses.enrolment import enrol
from courses.files import uploads_of
from courses.gradebook import gradebook
from courses.items import ItemSettings
from courses.models import Assignment, Course, Item, Module
from courses.progress import item_access
from courses.quiz import bank_gift
from courses.quiz.models import QuestionBank
from courses.quiz_items import add_quiz_item
from courses.structure import add_module
from courses.submissions import submit


class CourseIn(Strict):
    title: str = Field(min_length=1, max_length=255)
    summary: str = Field(default="", max_length=100_000)
    hours: int = Field(default=0, ge=0, le=10_000)
    starts_on: date | None = None
    ends_on: date | None = None
    enrolment_mode: Literal["open", "key", "invitation"] = "invitation"
    enrolment_key: str = Field(default="", max_length=64)
    missing_grades: Literal["zero", "exclude"] = "zero"


class ModuleIn(Strict):
    title: str = Field(min_length=1, max_length=255)
    position: int | None = Field(default=None, ge=0)
    hidden: bool = False
    visible_from: AwareDatetime | None = None


class EnrolmentIn(Strict):
    user_id: Id
    role: Literal["student", "tutor"] = "student"


CompletionName = Literal["none", "viewed", "submitted", "graded"]


class QuizIn(Strict):
    title: str = Field(min_length=1, max_length=255)
    question_ids: list[Id] = Field(min_length=1)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=10_000)
    attempts_allowed: int | None = Field(default=1, ge=1, le=1000)
    grading_method: Literal["highest", "average", "first", "last"] = "highest"
    max_grade: Decimal = Field(default=Decimal("10"), gt=0, le=100_000)
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None
    shuffle_questions: bool = False
    shuffle_answers: bool = False
    completion: CompletionName = "none"
    completion_points: Decimal | None = Field(default=None, ge=0)
    weight: Decimal = Field(default=Decimal("1"), ge=0, le=1000)


class RubricLevel(Strict):
    label: str = Field(default="", max_length=255)
    points: Decimal = Field(ge=0, le=10_000)


class RubricCriterion(Strict):
    name: str = Field(min_length=1, max_length=255)
    levels: list[RubricLevel] = Field(min_length=1)


class AssignmentIn(Strict):
    title: str = Field(min_length=1, max_length=255)
    description: str = Field(default="", max_length=100_000)
    due_at: AwareDatetime | None = None
    cutoff_at: AwareDatetime | None = None
    max_points: Decimal = Field(default=Decimal("10"), gt=0, le=10_000)
    rubric: list[RubricCriterion] = Field(default_factory=list)
    allow_text: bool = True
    allow_files: bool = True
    allowed_extensions: str = Field(default="pdf,doc,docx,odt,txt,jpg,jpeg,png", max_length=255)
    max_file_mb: int = Field(default=10, ge=1, le=64)
    max_files: int = Field(default=5, ge=1, le=20)
    resubmission: bool = True
    completion: CompletionName = "none"
    completion_points: Decimal | None = Field(default=None, ge=0)
    weight: Decimal = Field(default=Decimal("1"), ge=0, le=1000)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def course_json(course: Course) -> dict[str, Any]:
    return {
        "id": course.id, "title": course.title, "summary": course.summary, "hours": course.hours,
        "starts_on": course.starts_on.isoformat() if course.starts_on else None,
        "ends_on": course.ends_on.isoformat() if course.ends_on else None,
        "enrolment_mode": str(course.enrolment_mode), "missing_grades": str(course.missing_grades),
        "bank_id": course.bank_id,
    }


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        raise not_found()
    return course


def _module(module_id: int) -> Module:
    module = db.session.get(Module, module_id)
    if module is None:
        raise not_found()
    return module


@endpoint("/courses", "POST", summary="Create a course (the caller becomes its author)", tag="courses",
          body=CourseIn, status=201)
def create_course(body: CourseIn) -> Any:
    actor = api_user()
    require_api(can_create_course(actor))
    course = add_course(CourseSettings(**body.model_dump()), actor=actor)
    return course_json(course), 201


@endpoint("/courses/<int:course_id>", summary="One course (its members)", tag="courses")
def get_course(course_id: int) -> Any:
    actor = api_user()
    course = _course(course_id)
    role = course_role(actor, course.id)
    require_api(role is not None or can_teach_course(actor, course.id))
    return {**course_json(course), "role": role}


@endpoint("/courses/<int:course_id>/modules", "POST", summary="Add a module (author)", tag="courses",
          body=ModuleIn, status=201)
def create_module(course_id: int, body: ModuleIn) -> Any:
    actor = api_user()
    course = _course(course_id)
    require_api(can_author_course(actor, course.id))
    module = add_module(course, title=body.title, position=body.position, hidden=body.hidden,
                                 visible_from=body.visible_from, actor=actor)
    return {"id": module.id, "course_id": course.id, "title": module.title, "position": module.position}, 201


@endpoint("/courses/<int:course_id>/enrolments", "POST", summary="Enrol a user as student or tutor (tutor)",
          tag="courses", body=EnrolmentIn, status=201)
def create_enrolment(course_id: int, body: EnrolmentIn) -> Any:
    actor = api_user()
    course = _course(course_id)
    require_api(can_teach_course(actor, course.id))
    if body.role == "tutor":
        require_api(can_author_course(actor, course.id))
    user = db.session.get(User, body.user_id)
    if user is None:
        raise ApiError(422, _("The data is invalid."), {"user_id": _("No such user.")})
    member = enrol(course, user, body.role, actor=actor)
    return {"id": member.id, "course_id": course.id, "user_id": user.id, "role": str(member.role)}, 201


@endpoint("/courses/<int:course_id>/questions/import", "POST",
          summary="Import GIFT questions into the course's bank (all or nothing unless ?valid_only=1)",
          tag="courses", body_media="text/plain")
def import_questions(course_id: int, body: str) -> Any:
    actor = api_user()
    course = _course(course_id)
    require_api(can_teach_course(actor, course.id))
    bank = db.session.get(QuestionBank, course.bank_id) if course.bank_id else None
    if bank is None:
        raise ApiError(409, _("The course has no question bank."))
    valid_only = request.args.get("valid_only", "") in ("1", "true", "yes")
    report = bank_gift.import_gift(bank, body, actor=actor, valid_only=valid_only)
    return {
        "imported": len(report.imported),
        "questions": [{"id": q.id, "type": q.type, "name": q.name} for q in report.imported],
        "errors": [{"line": line, "message": message} for line, message in report.errors],
    }, 200


@endpoint("/courses/<int:course_id>/questions/export", summary="The course's question bank as GIFT text",
          tag="courses")
def export_questions(course_id: int) -> Any:
    actor = api_user()
    course = _course(course_id)
    require_api(can_teach_course(actor, course.id))
    bank = db.session.get(QuestionBank, course.bank_id) if course.bank_id else None
    text = bank_gift.export_gift(bank) if bank is not None else ""
    return Response(text, mimetype="text/plain", headers={"Content-Type": "text/plain; charset=utf-8"})


def _item_settings(body: QuizIn | AssignmentIn) -> ItemSettings:
    return ItemSettings(title=body.title, completion=body.completion,
                         completion_points=body.completion_points, weight=body.weight)


@endpoint("/modules/<int:module_id>/quizzes", "POST", summary="Add a quiz from the course's bank (author)",
          tag="courses", body=QuizIn, status=201)
def create_quiz(module_id: int, body: QuizIn) -> Any:
    actor = api_user()
    module = _module(module_id)
    require_api(can_author_course(actor, module.course_id))
    options = body.model_dump(include={"time_limit_minutes", "attempts_allowed", "grading_method", "max_grade",
                                       "opens_at", "closes_at", "shuffle_questions", "shuffle_answers"})
    item = add_quiz_item(module, _item_settings(body), question_ids=body.question_ids,
                                  quiz_options=options, actor=actor)
    return {"id": item.quiz_id, "item_id": item.id, "module_id": module.id, "title": item.title,
            "question_ids": body.question_ids, "max_grade": str(body.max_grade)}, 201


def assignment_json(item: Item, assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.id, "item_id": item.id, "module_id": item.module_id, "title": item.title,
        "description": assignment.description, "due_at": _iso(assignment.due_at),
        "cutoff_at": _iso(assignment.cutoff_at), "max_points": str(assignment.max_points),
        "rubric": assignment.rubric, "resubmission": assignment.resubmission,
    }


@endpoint("/modules/<int:module_id>/assignments", "POST", summary="Add an assignment (author)", tag="courses",
          body=AssignmentIn, status=201)
def create_assignment(module_id: int, body: AssignmentIn) -> Any:
    actor = api_user()
    module = _module(module_id)
    require_api(can_author_course(actor, module.course_id))
    settings = AssignmentSettings(**body.model_dump(
        include={"description", "due_at", "cutoff_at", "max_points", "allow_text", "allow_files",
                 "allowed_extensions", "max_file_mb", "max_files", "resubmission"}))
    settings.rubric = [c.model_dump(mode="json") for c in body.rubric]
    item = add_assignment(module, _item_settings(body), settings, actor=actor)
    assignment = db.session.get(Assignment, item.assignment_id)
    assert assignment is not None
    return assignment_json(item, assignment), 201


@endpoint("/assignments/<int:assignment_id>/submissions", "POST",
          summary="Hand in an assignment (multipart: text, files); 409 after the cut-off", tag="courses",
          body_media="multipart/form-data", status=201)
def create_submission(assignment_id: int, body: str) -> Any:
    actor = api_user()
    item = db.session.scalar(select(Item).where(Item.assignment_id == assignment_id))
    if item is None or course_role(actor, item.course_id) is None:
        raise not_found()
    if course_role(actor, item.course_id) != "student":
        raise ApiError(403, _("Only the course's students hand in assignments."))
    visible, locked_by = item_access(item, actor, now=utcnow())
    if not visible:
        raise not_found()
    if locked_by is not None:
        raise ApiError(409, _("Complete “%(title)s” first.", title=locked_by.title))
    text = request.form.get("text", "")
    if request.is_json:
        payload = request.get_json(silent=True)
        text = str(payload.get("text", "")) if isinstance(payload, dict) else ""
    submission = submit(item, actor, text=text, files=uploads_of(request.files.getlist("files")), now=utcnow())
    return {"id": submission.id, "late": submission.late, "version": submission.version,
            "submitted_at": _iso(submission.submitted_at), "files": [
                {"id": f.file.id, "name": f.file.original_name, "size": f.file.size} for f in submission.files]}, 201


@endpoint("/courses/<int:course_id>/gradebook",
          summary="The gradebook: one row per student (tutor); a student gets their own row", tag="courses",
          query={"page": "integer", "per_page": "integer"})
def get_gradebook(course_id: int) -> Any:
    actor = api_user()
    course = _course(course_id)
    role = course_role(actor, course.id)
    teaching = can_teach_course(actor, course.id)
    require_api(teaching or role == "student")
    page, per_page = page_params()
    book = gradebook(course, only_user=None if teaching else actor, page=page, per_page=per_page)
    columns = [{"item_id": c.item.id, "title": c.item.title, "kind": str(c.item.kind),
                "max_points": str(c.max_points), "weight": str(c.weight)} for c in book.columns]
    items = []
    for row in book.rows:
        grades = {str(c.item.id): (None if points is None else str(points))
                  for c, (points, _o) in zip(book.columns, row.grades, strict=True)}
        overridden = [c.item.id for c, (_p, flag) in zip(book.columns, row.grades, strict=True) if flag]
        items.append({"user_id": row.student.id, "full_name": row.student.full_name, "grades": grades,
                      "overridden": overridden,
                      "total": None if row.total is None else rules.display(row.total, 2)})
    return {"columns": columns, "items": items, "page": page, "per_page": per_page, "total": book.total_students}


@endpoint("/certificates/<code>", summary="Check a certificate or diploma by its code (public)",
          tag="certificates", public=True)
def check_certificate(code: str) -> Any:
    found = certificates.find(code)
    if found is None:
        raise ApiError(404, _("No valid document has this code."))
    return {"valid": True, "holder": found.holder, "title": found.title, "issued_at": found.issued_at.isoformat(),
            "kind": str(found.kind)}
