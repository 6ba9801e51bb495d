"""Methodical library: material pages (being written)."""

from app.library import bp  # noqa: F401
