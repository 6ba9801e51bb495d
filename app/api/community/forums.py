"""Community API: the forums of a place."""

from app.api.core import endpoint  # noqa: F401
