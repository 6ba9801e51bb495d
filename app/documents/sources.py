"""Which room says what a document states: each source type of app.certificates rows ("award",
"course", "material", …) has a function that builds its Paper, registered in app.wiring. /verify
and the portfolio ask here, so they read a diploma exactly as it was printed, without the
community room importing the contest room."""

from __future__ import annotations

from collections.abc import Callable

from app.certificates import Certificate, CertificateKind
from app.documents.paper import Paper, issuer_zone
from app.i18n import _, force_locale, lazy_

PaperSource = Callable[[Certificate], Paper | None]

# What each document is called, as it is named on paper (and on the check page).
KIND_LABELS = {
    CertificateKind.COURSE: lazy_("Certificate of professional development"),
    CertificateKind.DIPLOMA: lazy_("Diploma"),
    CertificateKind.PARTICIPATION: lazy_("Certificate of participation"),
    CertificateKind.JURY: lazy_("Certificate of a jury member"),
    CertificateKind.PUBLICATION: lazy_("Certificate of publication"),
    CertificateKind.EVENT_ATTENDANCE: lazy_("Certificate of participation in an event"),
    CertificateKind.EVENT_CONDUCTING: lazy_("Certificate of conducting an event"),
}

_SOURCES: dict[str, PaperSource] = {}


def register_paper_source(source_type: str, build: PaperSource) -> None:
    """Called by app.wiring for each room's documents; registering again replaces."""
    _SOURCES[source_type] = build


def paper_for(certificate: Certificate) -> Paper:
    """The document as its room prints it; when the room's row is gone (a deleted course or
    event), what the certificate row itself records, dated in the network's zone."""
    build = _SOURCES.get(certificate.source_type)
    paper = build(certificate) if build is not None else None
    return paper if paper is not None else recorded_paper(certificate)


def recorded_paper(certificate: Certificate) -> Paper:
    """A Paper from the certificate row alone: its kind, holder, title and date."""
    with force_locale("ru"):
        label = str(KIND_LABELS.get(certificate.kind, _("Document")))
        return Paper(
            kind_label=label,
            heading=label.upper(),
            preamble=_("this is to certify that"),
            holder=certificate.holder,
            statement=(f"«{certificate.title}»",),
            certifies=certificate.title,
            organiser="",
            issued_at=certificate.issued_at,
            zone=issuer_zone(None),
            code=certificate.code,
        )
