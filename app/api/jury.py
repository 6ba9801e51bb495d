"""API endpoints of the jury room (see shared/API.md)."""
