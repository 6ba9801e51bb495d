"""API endpoints of the methodical library (see shared/API.md, «Methodical library»), one module per
concern: publishing (materials), review (moderation and associations), catalogue (search, facets,
subjects), discussion (comments, ratings, bookmarks), documents (certificates, portfolios)."""

from app.api.library import catalogue, discussion, documents, publishing, review  # noqa: F401
