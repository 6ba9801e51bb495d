"""Community API: topics, posts and reports."""

from app.api.core import endpoint  # noqa: F401
