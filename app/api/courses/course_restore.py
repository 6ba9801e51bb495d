"""Courses API: restoring a course from a backup file — our own backup or a Moodle `.mbz` — as a new
course, with the report of what could not be carried over."""

from __future__ import annotations

from typing import Any

from flask import request

from app.api.core import ApiError, api_user, endpoint, require_api
from app.i18n import _
from app.permissions.courses import can_create_course
from courses import backup_import
from courses.moodle_restore import restore_course


@endpoint(
    "/courses/restore",
    "POST",
    summary="Restore a course from a backup (multipart `file`: a Moodle .mbz or our own .zip); "
    "201 with the new course's id and the report of what was not carried over",
    tag="courses",
    body_media="multipart/form-data",
    status=201,
)
def restore(body: str) -> Any:
    actor = api_user()
    require_api(can_create_course(actor))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(422, _("The data is invalid."), {"file": _("Choose a backup file.")})
    result = restore_course(upload.stream.read(backup_import.MAX_BACKUP_BYTES + 1), actor=actor)
    return {"id": result.course.id, "report": result.report}, 201
