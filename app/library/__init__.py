"""Methodical library pages, one module per audience: catalogue (everyone), material (the material's
page), authoring (its author), moderation (methodists and association leaders), discussion
(colleagues: comments, ratings, bookmarks), certificate_views (the publication certificate)."""

from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")

# Each module adds its routes to `bp` when imported (Flask's blueprint pattern).
from app.library import (  # noqa: E402,F401
    association_edit,
    associations,
    authoring,
    catalogue,
    certificate_views,
    comment_reports,
    discussion,
    material,
    moderation,
)
