"""Full-text search of the library (being written by the search use case).

`index_material` is the one call other use cases make: after a material's status or search_text
changes, in the same transaction.
"""

from __future__ import annotations

from community.library.models import Material


def index_material(material: Material) -> None:
    """Make the search index agree with the material: indexed while published, absent otherwise."""
