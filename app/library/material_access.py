"""Library views' first step for one material: load it or answer 404 to anyone who may not know it
exists; and whether the caller sees all of it (its author and moderators: every version)."""

from __future__ import annotations

from typing import Any

from flask import abort

from app.permissions.library import can_moderate_material, can_view_material, is_author
from community.library.material_view import load_material
from community.library.models import Material


def visible_material_or_404(material_id: int, user: Any) -> Material:
    material = load_material(material_id)
    if material is None or not can_view_material(user, material):
        abort(404)
    return material


def sees_everything(user: Any, material: Material) -> bool:
    """Its author and its moderators see drafts, pending and old versions and the history."""
    return is_author(user, material) or can_moderate_material(user, material)
