"""Library API: publishing (being written)."""
