"""Methodical associations (методические объединения): teachers of one subject across schools, led by
leaders who moderate the association's shelf of the library (and, later, its forum and events)."""
