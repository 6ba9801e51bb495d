"""Courses API: setting a course up — the course, its modules, enrolments and its question bank (GIFT,
Moodle XML)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from flask import Response, request
from pydantic import AwareDatetime, Field

from app.accounts import User
from app.api.core import ApiError, Id, Strict, api_user, endpoint, require_api
from app.api.courses.common import course_json, course_or_404
from app.extensions import db
from app.i18n import _
from app.permissions.courses import can_author_course, can_create_course, can_teach_course, course_role
from app.tabular_http import import_report_json, request_table, valid_only_wanted
from courses.catalogue import CourseSettings
from courses.catalogue import create_course as add_course
from courses.enrolment import enrol, enrol_from_file
from courses.quiz import bank_gift
from courses.quiz.models import QuestionBank
from courses.quiz.question_formats import EXTENSIONS, FORMATS, MAX_IMPORT_CHARS, MEDIA_TYPES, QuestionFormat
from courses.structure import add_module


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


@endpoint(
    "/courses",
    "POST",
    summary="Create a course (the caller becomes its author)",
    tag="courses",
    body=CourseIn,
    status=201,
)
def create_course(body: CourseIn) -> Any:
    actor = api_user()
    require_api(can_create_course(actor))
    course = add_course(CourseSettings(**body.model_dump()), actor=actor)
    return course_json(course), 201


@endpoint("/courses/<int:course_id>", summary="One course (its members)", tag="courses")
def get_course(course_id: int) -> Any:
    actor = api_user()
    course = course_or_404(course_id)
    role = course_role(actor, course.id)
    require_api(role is not None or can_teach_course(actor, course.id))
    return {**course_json(course), "role": role}


@endpoint(
    "/courses/<int:course_id>/modules",
    "POST",
    summary="Add a module (author)",
    tag="courses",
    body=ModuleIn,
    status=201,
)
def create_module(course_id: int, body: ModuleIn) -> Any:
    actor = api_user()
    course = course_or_404(course_id)
    require_api(can_author_course(actor, course.id))
    module = add_module(
        course,
        title=body.title,
        position=body.position,
        hidden=body.hidden,
        visible_from=body.visible_from,
        actor=actor,
    )
    return {"id": module.id, "course_id": course.id, "title": module.title, "position": module.position}, 201


@endpoint(
    "/courses/<int:course_id>/enrolments",
    "POST",
    summary="Enrol a user as student or tutor (tutor)",
    tag="courses",
    body=EnrolmentIn,
    status=201,
)
def create_enrolment(course_id: int, body: EnrolmentIn) -> Any:
    actor = api_user()
    course = course_or_404(course_id)
    require_api(can_teach_course(actor, course.id))
    if body.role == "tutor":
        require_api(can_author_course(actor, course.id))
    user = db.session.get(User, body.user_id)
    if user is None:
        raise ApiError(422, _("The data is invalid."), {"user_id": _("No such user.")})
    member = enrol(course, user, body.role, actor=actor)
    return {"id": member.id, "course_id": course.id, "user_id": user.id, "role": str(member.role)}, 201


@endpoint(
    "/courses/<int:course_id>/enrolments/import",
    "POST",
    summary=(
        "Enrol a class list (an email / «почта» column, or one e-mail a line; CSV in UTF-8 or cp1251 "
        "separated by , ; or TAB, or XLSX, as the raw body or a multipart `file`) as ?role=student|tutor; "
        "all or nothing unless ?valid_only=1"
    ),
    tag="courses",
    body_media="multipart/form-data",
    query={"role": "string", "valid_only": "boolean"},
)
def import_enrolments(course_id: int, body: str) -> Any:
    actor = api_user()
    course = course_or_404(course_id)
    require_api(can_teach_course(actor, course.id))
    role = request.args.get("role", "student")
    if role == "tutor":
        require_api(can_author_course(actor, course.id))
    report = enrol_from_file(course, request_table(), role, actor=actor, valid_only=valid_only_wanted())
    return {"already": len(report.already)} | import_report_json(len(report.enrolled), report.errors)


@endpoint(
    "/courses/<int:course_id>/questions/import",
    "POST",
    summary="Import GIFT or Moodle XML questions into the course's bank, the format told by content "
    "(?format=gift|moodlexml forces one); all or nothing unless ?valid_only=1",
    tag="courses",
    body_media="text/plain",
    query={"format": "string", "valid_only": "boolean"},
)
def import_questions(course_id: int, body: str) -> Any:
    actor = api_user()
    course = course_or_404(course_id)
    require_api(can_teach_course(actor, course.id))
    bank = db.session.get(QuestionBank, course.bank_id) if course.bank_id else None
    if bank is None:
        raise ApiError(409, _("The course has no question bank."))
    if len(body) > MAX_IMPORT_CHARS:
        raise ApiError(422, _("The file is too large."), {"body": _("The file is too large.")})
    valid_only = request.args.get("valid_only", "") in ("1", "true", "yes")
    report = bank_gift.import_questions(
        bank, body, actor=actor, question_format=_question_format(), valid_only=valid_only
    )
    return {
        "format": report.format,
        "imported": len(report.imported),
        "questions": [{"id": q.id, "type": q.type, "name": q.name} for q in report.imported],
        "errors": [{"line": line, "message": message} for line, message in report.errors],
        "warnings": [{"line": line, "message": message} for line, message in report.warnings],
    }, 200


@endpoint(
    "/courses/<int:course_id>/questions/export",
    summary="The course's question bank as GIFT text (default) or Moodle XML (?format=moodlexml)",
    tag="courses",
    query={"format": "string"},
)
def export_questions(course_id: int) -> Any:
    actor = api_user()
    course = course_or_404(course_id)
    require_api(can_teach_course(actor, course.id))
    chosen = _question_format() or "gift"
    bank = db.session.get(QuestionBank, course.bank_id) if course.bank_id else None
    text = bank_gift.export_questions(bank, chosen) if bank is not None else ""
    name = f"course-{course.id}.{EXTENSIONS[chosen]}"
    return Response(
        text,
        headers={
            "Content-Type": MEDIA_TYPES[chosen],
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


def _question_format() -> QuestionFormat | None:
    """`?format=`: None (tell by content) when absent, 422 when not one of ours."""
    raw = request.args.get("format", "").strip().lower()
    if not raw:
        return None
    for known in FORMATS:
        if raw == known:
            return known
    raise ApiError(422, _("The data is invalid."), {"format": _("Use gift or moodlexml.")})
