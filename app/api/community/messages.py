"""Community API: direct messages."""

from app.api.core import endpoint  # noqa: F401
