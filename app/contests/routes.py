"""Thin views of the contests room."""

from app.contests import bp  # noqa: F401
