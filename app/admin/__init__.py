"""Site administration: institutions of the network and users (roles, deactivation, import)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import imports, routes, scopes  # noqa: E402,F401
