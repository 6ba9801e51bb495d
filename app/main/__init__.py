"""Home, dashboard, the network of institutions, language switch and notifications."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import notifications, routes  # noqa: E402,F401
