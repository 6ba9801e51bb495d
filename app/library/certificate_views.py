"""Methodical library: the publication certificate of a material (being written)."""

from typing import Any

from app.library import bp  # noqa: F401


def certificate_context(material: Any, user: Any) -> dict[str, Any]:
    """What the material page's certificate part needs."""
    return {}
