"""The one download response of every document (diplomas, certificates, the portfolio).

Always an attachment: a document is something a teacher keeps, prints and forwards, and a download
lands in Downloads under its readable name on every desktop and phone browser, while inline viewers
save it under the address's last segment («diploma.pdf») or not at all. The name is Russian
(RFC 5987 `filename*`), with an ASCII `filename` for old clients, through the app's one attachment
(app.tabular_http); `nosniff` comes with every response (app.security).
"""

from __future__ import annotations

from flask import Response

from app.documents.layout import render_paper
from app.documents.paper import Paper
from app.tabular_http import attachment

PDF_MIME = "application/pdf"


def pdf_download(data: bytes, name: str, fallback: str) -> Response:
    """`data` as `name` (any language) or, for clients that read only `filename`, `fallback`."""
    ascii_name = (
        "".join(ch for ch in fallback if ch.isascii() and (ch.isalnum() or ch in "-_.")) or "document.pdf"
    )
    return attachment(data, PDF_MIME, name, fallback=ascii_name, private=True)


def document_response(paper: Paper, verify_url: str) -> Response:
    """The paper rendered as its PDF and sent as «Диплом — Анна Петрова.pdf»."""
    return pdf_download(render_paper(paper, verify_url), paper.file_name, f"{paper.code or 'document'}.pdf")
