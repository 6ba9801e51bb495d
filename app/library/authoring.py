"""Methodical library: authoring pages (being written)."""

from app.library import bp  # noqa: F401
