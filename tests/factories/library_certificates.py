"""Published materials with their publication certificate, as publishing through moderation leaves
them (community.library.publication issues it; `published_material` writes the rows directly and
stands for a material published before certificates came with publication)."""

from __future__ import annotations

from typing import Any

from app.timeutil import utcnow
from community.library.certificates import issue_on_publication
from community.library.models import Material
from tests.factories.community import published_material


def certified_material(author: Any = None, **fields: Any) -> Material:
    """A published material whose certificate was issued at publication (the author as actor)."""
    material = published_material(author, **fields)
    issue_on_publication(material, actor=author, now=utcnow())
    return material
