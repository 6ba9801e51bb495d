"""Course pages: catalogue, modules and items, enrolment, assignments, gradebook, progress, certificates."""

from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")

from app.courses import routes  # noqa: E402,F401
