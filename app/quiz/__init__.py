"""Quiz pages, one module per audience on one blueprint: bank (questions and categories, GIFT),
authoring (one question), settings (a quiz and its slots), attempt (students), marking (tutors)."""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

from app.quiz import (  # noqa: E402,F401
    attempt,
    attempt_flags,
    authoring,
    bank,
    controls,
    marking,
    placement,
    rendering,
    settings,
)
