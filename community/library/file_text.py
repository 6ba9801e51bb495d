"""Plain text of an uploaded file for the search index (being written by the search use case)."""

from __future__ import annotations


def extract_text(data: bytes, content_type: str) -> str:
    """The readable text of a PDF or DOCX file ("" for other types or unreadable files)."""
    return ""
