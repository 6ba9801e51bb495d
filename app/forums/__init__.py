"""Forum pages, one module per use case: places (the network's index and a place's forums), topics
(a forum's topics, a topic's posts, posting, moderation), reading (search, read marks),
subscriptions (a person's subscriptions, one-click unsubscribe). Direct messages have their own
blueprint (app/messaging, /messages)."""

from flask import Blueprint

bp = Blueprint("forums", __name__, url_prefix="/forums")

# Each module adds its routes to `bp` when imported (Flask's blueprint pattern).
from app.forums import (  # noqa: E402,F401
    places,
    reading,
    subscriptions,
    topic_moderation,
    topics,
)
