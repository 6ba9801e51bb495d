"""API endpoints of the courses room (see shared/API.md)."""
