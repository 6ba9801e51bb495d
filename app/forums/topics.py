"""Forum pages: a forum's topics, a topic's posts, posting and moderation."""

from app.forums import bp  # noqa: F401
