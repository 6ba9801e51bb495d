"""Library API: documents (being written)."""
