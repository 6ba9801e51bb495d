"""Methodical library: comments, ratings and bookmarks under a material (being written)."""

from typing import Any

from app.library import bp  # noqa: F401


def discussion_context(material: Any, user: Any) -> dict[str, Any]:
    """What the material page's discussion part needs (comments, my rating, my bookmark)."""
    return {}
