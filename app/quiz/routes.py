"""Thin views of the quiz room."""

from app.quiz import bp  # noqa: F401
