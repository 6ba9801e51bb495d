"""Thin views of the courses room."""

from app.courses import bp  # noqa: F401
