"""Courses API: the graded items an author adds to a module — quizzes from the course's bank, assignments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from app.api.core import Id, Strict, api_user, endpoint, require_api
from app.api.courses.common import iso, module_or_404
from app.extensions import db
from app.permissions.courses import can_author_course
from courses.assignments import AssignmentSettings
from courses.assignments import create_assignment as add_assignment
from courses.items import ItemSettings
from courses.models import Assignment, Item
from courses.quiz_items import add_quiz_item

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


def _item_settings(body: QuizIn | AssignmentIn) -> ItemSettings:
    return ItemSettings(
        title=body.title,
        completion=body.completion,
        completion_points=body.completion_points,
        weight=body.weight,
    )


@endpoint(
    "/modules/<int:module_id>/quizzes",
    "POST",
    summary="Add a quiz from the course's bank (author)",
    tag="courses",
    body=QuizIn,
    status=201,
)
def create_quiz(module_id: int, body: QuizIn) -> Any:
    actor = api_user()
    module = module_or_404(module_id)
    require_api(can_author_course(actor, module.course_id))
    options = body.model_dump(
        include={
            "time_limit_minutes",
            "attempts_allowed",
            "grading_method",
            "max_grade",
            "opens_at",
            "closes_at",
            "shuffle_questions",
            "shuffle_answers",
        }
    )
    item = add_quiz_item(
        module, _item_settings(body), question_ids=body.question_ids, quiz_options=options, actor=actor
    )
    return {
        "id": item.quiz_id,
        "item_id": item.id,
        "module_id": module.id,
        "title": item.title,
        "question_ids": body.question_ids,
        "max_grade": str(body.max_grade),
    }, 201


def assignment_json(item: Item, assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.id,
        "item_id": item.id,
        "module_id": item.module_id,
        "title": item.title,
        "description": assignment.description,
        "due_at": iso(assignment.due_at),
        "cutoff_at": iso(assignment.cutoff_at),
        "max_points": str(assignment.max_points),
        "rubric": assignment.rubric,
        "resubmission": assignment.resubmission,
    }


@endpoint(
    "/modules/<int:module_id>/assignments",
    "POST",
    summary="Add an assignment (author)",
    tag="courses",
    body=AssignmentIn,
    status=201,
)
def create_assignment(module_id: int, body: AssignmentIn) -> Any:
    actor = api_user()
    module = module_or_404(module_id)
    require_api(can_author_course(actor, module.course_id))
    settings = AssignmentSettings(
        **body.model_dump(
            include={
                "description",
                "due_at",
                "cutoff_at",
                "max_points",
                "allow_text",
                "allow_files",
                "allowed_extensions",
                "max_file_mb",
                "max_files",
                "resubmission",
            }
        )
    )
    settings.rubric = [c.model_dump(mode="json") for c in body.rubric]
    item = add_assignment(module, _item_settings(body), settings, actor=actor)
    assignment = db.session.get(Assignment, item.assignment_id)
    assert assignment is not None
    return assignment_json(item, assignment), 201
