"""Direct messages between members (/messages): the inbox, a conversation, writing to a person,
blocking and reporting, and the moderators' list of reported messages."""

from flask import Blueprint

bp = Blueprint("messaging", __name__, url_prefix="/messages")

# Each module adds its routes to `bp` when imported (Flask's blueprint pattern).
from app.messaging import actions, pages, reports  # noqa: E402,F401
