"""Jury pages: the juror's queue and scoring, the organiser's jury pages, the demo-lesson schedule,
appeals and certificates; one module per audience, all on this blueprint."""

from flask import Blueprint

bp = Blueprint("jury", __name__, url_prefix="/jury")

from app.jury import (  # noqa: E402,F401
    appeals,
    certificates,
    criteria_pages,
    juror,
    organiser,
    panels,
    progress,
    schedule,
)
