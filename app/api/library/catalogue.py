"""Library API: catalogue (being written)."""
