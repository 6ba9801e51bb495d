"""Courses API: a student's work and its grades — handing in an assignment, the gradebook — and the
public check of a certificate or diploma by its code."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select

from app import certificates
from app.api.core import ApiError, api_user, endpoint, not_found, page_params, require_api
from app.api.courses.common import course_or_404, iso
from app.extensions import db
from app.i18n import _
from app.permissions.courses import can_teach_course, course_role
from app.timeutil import utcnow
from courses import rules
from courses.files import uploads_of
from courses.gradebook import gradebook
from courses.models import Item
from courses.progress import item_access
from courses.submissions import submit


@endpoint(
    "/assignments/<int:assignment_id>/submissions",
    "POST",
    summary="Hand in an assignment (multipart: text, files); 409 after the cut-off",
    tag="courses",
    body_media="multipart/form-data",
    status=201,
)
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
    submission = submit(
        item, actor, text=text, files=uploads_of(request.files.getlist("files")), now=utcnow()
    )
    return {
        "id": submission.id,
        "late": submission.late,
        "version": submission.version,
        "submitted_at": iso(submission.submitted_at),
        "files": [
            {"id": f.file.id, "name": f.file.original_name, "size": f.file.size} for f in submission.files
        ],
    }, 201


@endpoint(
    "/courses/<int:course_id>/gradebook",
    summary="The gradebook: one row per student (tutor); a student gets their own row",
    tag="courses",
    query={"page": "integer", "per_page": "integer"},
)
def get_gradebook(course_id: int) -> Any:
    actor = api_user()
    course = course_or_404(course_id)
    role = course_role(actor, course.id)
    teaching = can_teach_course(actor, course.id)
    require_api(teaching or role == "student")
    page, per_page = page_params()
    book = gradebook(course, only_user=None if teaching else actor, page=page, per_page=per_page)
    columns = [
        {
            "item_id": c.item.id,
            "title": c.item.title,
            "kind": str(c.item.kind),
            "max_points": str(c.max_points),
            "weight": str(c.weight),
        }
        for c in book.columns
    ]
    items = []
    for row in book.rows:
        grades = {
            str(c.item.id): (None if points is None else str(points))
            for c, (points, _o) in zip(book.columns, row.grades, strict=True)
        }
        overridden = [c.item.id for c, (_p, flag) in zip(book.columns, row.grades, strict=True) if flag]
        items.append(
            {
                "user_id": row.student.id,
                "full_name": row.student.full_name,
                "grades": grades,
                "overridden": overridden,
                "total": None if row.total is None else rules.display(row.total, 2),
            }
        )
    return {
        "columns": columns,
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": book.total_students,
    }


@endpoint(
    "/certificates/<code>",
    summary="Check a certificate or diploma by its code (public)",
    tag="certificates",
    public=True,
)
def check_certificate(code: str) -> Any:
    """A known code answers 200 with `valid` and `revoked` (a revoked one also says when and why);
    an unknown code is a 404."""
    found = certificates.lookup(code)
    if found is None:
        raise ApiError(404, _("No valid document has this code."))
    answer = {
        "valid": found.revoked_at is None,
        "revoked": found.revoked_at is not None,
        "holder": found.holder,
        "title": found.title,
        "issued_at": found.issued_at.isoformat(),
        "kind": str(found.kind),
    }
    if found.revoked_at is not None:
        answer |= {"revoked_at": found.revoked_at.isoformat(), "revoked_reason": found.revoked_reason}
    return answer
