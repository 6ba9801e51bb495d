"""API endpoints of monitoring (see shared/API.md, «Monitoring»): districts and scopes (districts),
the reports and their recomputation (reports)."""

from app.api.monitoring import districts, reports  # noqa: F401
