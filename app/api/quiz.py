"""API endpoints of the quiz room (see shared/API.md)."""
