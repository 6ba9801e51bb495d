"""Community API: subscriptions."""

from app.api.core import endpoint  # noqa: F401
