"""Library API: discussion (being written)."""
