"""API endpoints of the contests room (see shared/API.md)."""
