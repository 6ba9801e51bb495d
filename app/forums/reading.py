"""Forum pages: search over posts and read marks."""

from app.forums import bp  # noqa: F401
