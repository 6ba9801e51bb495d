"""Thin views of the jury room."""

from app.jury import bp  # noqa: F401
