"""Library API: review (being written)."""
