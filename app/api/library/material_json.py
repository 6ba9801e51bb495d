"""Library API: a material as JSON — the same reading the material page shows (material_view)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from community.library.material_view import MaterialPage

_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_FILE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "size": {"type": "integer"},
        "content_type": {"type": "string"},
        "url": {"type": "string"},
    },
}
_VERSION = {
    "type": ["object", "null"],
    "properties": {
        "number": {"type": "integer"},
        "state": {"type": "string", "enum": ["draft", "pending", "published", "rejected", "superseded"]},
        "files": {"type": "array", "items": _FILE},
        "links": {"type": "array", "items": {"type": "object"}},
    },
}
# What the OpenAPI document says a material answer holds (the endpoints return material_json).
MATERIAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "status", "title", "kind", "subjects", "grades", "version"],
    "properties": {
        "id": {"type": "integer"},
        "status": {"type": "string", "enum": ["draft", "pending", "published", "rejected"]},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "summary_html": {"type": "string"},
        "kind": {"type": "string"},
        "subjects": {"type": "array", "items": {"type": "object"}},
        "grades": {"type": "array", "items": {"type": "integer"}},
        "association": {"type": ["object", "null"]},
        "author": {"type": "object"},
        "institution": {"type": ["object", "null"]},
        "published_at": _NULLABLE_TIME,
        "updated_at": {"type": "string", "format": "date-time"},
        "rating": {"type": ["number", "null"]},
        "ratings_count": {"type": "integer"},
        "comments_count": {"type": "integer"},
        "views_count": {"type": "integer"},
        "downloads_count": {"type": "integer"},
        "bookmarks_count": {"type": "integer"},
        "url": {"type": "string"},
        "version": _VERSION,
        "versions": {"type": "array", "items": {"type": "object"}},
    },
}


def material_json(page: MaterialPage) -> dict[str, Any]:
    """The material, its shown version with files and links and, for its author and moderators,
    the version history (`versions`)."""
    m, v = page.material, page.version
    data: dict[str, Any] = {
        "id": m.id,
        "status": str(m.status),
        "title": v.title if v else m.title,
        "summary": v.summary if v else m.summary,
        "summary_html": m.summary_html,
        "kind": str(m.kind),
        "subjects": [{"id": s.id, "name": s.name} for s in page.subjects],
        "grades": page.grades,
        "association": {"id": page.association.id, "name": page.association.name}
        if page.association
        else None,
        "author": {"id": page.author.id, "full_name": page.author.full_name},
        "institution": (
            {"id": page.institution.id, "name": page.institution.name, "district": page.institution.district}
            if page.institution
            else None
        ),
        "published_at": m.published_at.isoformat() if m.published_at else None,
        "updated_at": m.updated_at.isoformat(),
        "rating": round(m.rating_sum / m.ratings_count, 2) if m.ratings_count else None,
        "ratings_count": m.ratings_count,
        "comments_count": m.comments_count,
        "views_count": m.views_count,
        "downloads_count": m.downloads_count,
        "bookmarks_count": m.bookmarks_count,
        "url": url_for("library.material", material_id=m.id, _external=True),
        "version": _version_json(page),
    }
    if page.history:
        data["versions"] = [
            {
                "number": line.number,
                "state": str(line.state),
                "created_at": line.created_at.isoformat(),
                "submitted_at": line.submitted_at.isoformat() if line.submitted_at else None,
                "reviewed_at": line.reviewed_at.isoformat() if line.reviewed_at else None,
                "review_reason": line.review_reason,
            }
            for line in page.history
        ]
    return data


def _version_json(page: MaterialPage) -> dict[str, Any] | None:
    v = page.version
    if v is None:
        return None
    return {
        "number": v.number,
        "state": str(v.state),
        "files": [
            {
                "id": f.id,
                "name": f.stored.original_name,
                "size": f.stored.size,
                "content_type": f.stored.content_type,
                "url": url_for(
                    "library.material_file", material_id=page.material.id, file_id=f.id, _external=True
                ),
            }
            for f in page.files
        ],
        "links": page.links,
    }
