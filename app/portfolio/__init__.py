"""The teacher's portfolio: a page of verified documents the teacher chooses to show, and one PDF."""

from flask import Blueprint

bp = Blueprint("portfolio", __name__, url_prefix="/portfolio")

from app.portfolio import pages  # noqa: E402,F401
