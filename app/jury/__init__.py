"""Jury pages: the juror's queue, scoring, the organiser's jury overview, appeals."""

from flask import Blueprint

bp = Blueprint("jury", __name__, url_prefix="/jury")

from app.jury import routes  # noqa: E402,F401
