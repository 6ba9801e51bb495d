"""Community API: notifications."""

from app.api.core import endpoint  # noqa: F401
