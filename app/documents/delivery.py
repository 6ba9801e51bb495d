"""The one download response of every document (diplomas, certificates, the portfolio).

Always an attachment: a document is something a teacher keeps, prints and forwards, and a download
lands in Downloads under its readable name on every desktop and phone browser, while inline viewers
save it under the address's last segment («diploma.pdf») or not at all. The name is Russian
(RFC 5987 `filename*`), with an ASCII `filename` for old clients; `nosniff` like every file we send.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from app.documents.layout import render_paper
from app.documents.paper import Paper

PDF_MIME = "application/pdf"


def pdf_download(data: bytes, name: str, fallback: str) -> Response:
    """`data` as `name` (any language) or, for clients that read only `filename`, `fallback`."""
    ascii_name = (
        "".join(ch for ch in fallback if ch.isascii() and (ch.isalnum() or ch in "-_.")) or "document.pdf"
    )
    return Response(
        data,
        mimetype=PDF_MIME,
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def document_response(paper: Paper, verify_url: str) -> Response:
    """The paper rendered as its PDF and sent as «Диплом — Анна Петрова.pdf»."""
    return pdf_download(render_paper(paper, verify_url), paper.file_name, f"{paper.code or 'document'}.pdf")
