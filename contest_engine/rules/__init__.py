"""Contest engine, pure rules: stages, ranking, scoring, advancement, allocation, awards (no db, no Flask)."""
