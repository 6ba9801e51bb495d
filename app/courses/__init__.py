"""Course pages, one module per audience: catalogue (everyone), members, authoring and item_editor
(the author), learning (students), tutoring and gradebook (tutors), certificates (and the public check)."""

from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")

# Each module adds its routes to `bp` when imported (Flask's blueprint pattern).
from app.courses import (  # noqa: E402,F401
    authoring,
    catalogue,
    certificates,
    gradebook,
    item_editor,
    learning,
    members,
    tutoring,
)
