"""Forum pages: direct messages."""

from app.forums import bp  # noqa: F401
