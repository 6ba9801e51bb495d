"""Contest pages: contests, stages, registration, entries, olympiad rounds, results, awards."""

from flask import Blueprint

bp = Blueprint("contests", __name__, url_prefix="/contests")

from app.contests import routes  # noqa: E402,F401
