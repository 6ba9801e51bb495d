"""Portfolio pages (being written)."""

from app.portfolio import bp  # noqa: F401
