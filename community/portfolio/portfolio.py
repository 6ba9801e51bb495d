"""Portfolio: the teacher's verified documents gathered by section (publications, qualification
courses with hours, contest diplomas, jury work, events) and the teacher's choice of what is shown
and whether the page is public.

Every document is an app.certificates row, so the portfolio reads one table and each entry links to
the public check page; courses and contests are not imported (community stands alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.certificates import Certificate
from app.extensions import db
from community.library.certificates import SOURCE as MATERIAL_SOURCE
from community.library.certificates import material_path
from community.library.models import Material, MaterialStatus
from community.portfolio import sections as rules
from community.portfolio.models import PortfolioSettings

# A portfolio is one document for an attestation commission, not a feed: it is read whole. The cap
# only keeps a runaway account from making a page of unbounded size.
MAX_DOCUMENTS = 500

FLAG_OF_SECTION = {
    rules.PUBLICATIONS: "show_publications",
    rules.COURSES: "show_courses",
    rules.DIPLOMAS: "show_diplomas",
    rules.JURY: "show_jury",
    rules.EVENTS: "show_events",
}


@dataclass(frozen=True)
class Document:
    """One verified document as the portfolio shows it."""

    kind: str
    code: str
    title: str
    holder: str
    details: str
    issued_at: datetime
    hours: int | None = None  # a qualification course's academic hours
    material_link: str = ""  # a publication's permanent link (a site path)
    published_at: datetime | None = None  # a publication's date of first publication

    @property
    def dated(self) -> datetime:
        """The date an attestation commission reads: a publication's date of publication (its
        certificate may be issued months later), otherwise the document's date of issue."""
        return self.published_at or self.issued_at


@dataclass(frozen=True)
class Portfolio:
    owner: User
    settings: PortfolioSettings
    sections: list[tuple[str, list[Document]]]
    course_hours: int

    @property
    def documents(self) -> list[Document]:
        return [document for _section, items in self.sections for document in items]


def settings_of(user_id: int) -> PortfolioSettings:
    """The saved choice, or the default of a teacher who never opened the settings: private, every
    section on (so the teacher sees everything when first looking at their own page)."""
    found = db.session.get(PortfolioSettings, user_id)
    if found is not None:
        return found
    return PortfolioSettings(
        user_id=user_id,
        is_public=False,
        show_publications=True,
        show_courses=True,
        show_diplomas=True,
        show_jury=True,
        show_events=True,
    )


def chosen_sections(settings: PortfolioSettings) -> list[str]:
    return rules.shown_sections({s: bool(getattr(settings, flag)) for s, flag in FLAG_OF_SECTION.items()})


def save_settings(
    owner: User, *, actor: User, is_public: bool, sections: set[str], now: datetime
) -> PortfolioSettings:
    """The teacher's choice; two saves at once end as one row (the primary key), the later wins."""
    values = {flag: section in sections for section, flag in FLAG_OF_SECTION.items()}
    settings = db.session.get(PortfolioSettings, owner.id)
    if settings is None:
        try:
            with db.session.begin_nested():
                settings = PortfolioSettings(user_id=owner.id, is_public=is_public, updated_at=now, **values)
                db.session.add(settings)
        except IntegrityError:
            settings = db.session.get_one(PortfolioSettings, owner.id, populate_existing=True)
    settings.is_public = is_public
    for flag, value in values.items():
        setattr(settings, flag, value)
    settings.updated_at = now
    audit.record(
        "portfolio.settings_saved",
        actor=actor,
        scope_type="user",
        scope_id=owner.id,
        object_type="portfolio",
        object_id=owner.id,
        details={"public": is_public, "sections": sorted(sections)},
    )
    db.session.commit()
    return settings


def gather(owner: User) -> Portfolio:
    """The owner's shown sections with their valid documents, newest first: one query reads every
    document, whatever their number, and nothing is written (a publication's certificate is issued
    when it is published). Revoked documents and certificates of materials no longer published are
    left out."""
    settings = settings_of(owner.id)
    shown = chosen_sections(settings)
    kinds = rules.kinds_of(shown)
    rows = (
        db.session.execute(
            select(Certificate, Material.status, Material.published_at)
            .outerjoin(
                Material,
                and_(Certificate.source_type == MATERIAL_SOURCE, Material.id == Certificate.source_id),
            )
            .where(
                Certificate.user_id == owner.id,
                Certificate.kind.in_(kinds),
                Certificate.revoked_at.is_(None),
            )
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
            .limit(MAX_DOCUMENTS)
        ).all()
        if kinds
        else []
    )
    entries = [
        (str(certificate.kind), _document(certificate, published_at))
        for certificate, status, published_at in rows
        if certificate.source_type != MATERIAL_SOURCE or status == MaterialStatus.PUBLISHED
    ]
    grouped = rules.group(entries, shown)
    hours = rules.total_hours(
        d.details for section, items in grouped if section == rules.COURSES for d in items
    )
    return Portfolio(owner=owner, settings=settings, sections=grouped, course_hours=hours)


def _document(certificate: Certificate, published_at: datetime | None = None) -> Document:
    kind = str(certificate.kind)
    is_material = certificate.source_type == MATERIAL_SOURCE
    return Document(
        kind=kind,
        code=certificate.code,
        title=certificate.title,
        holder=certificate.holder,
        details=certificate.details,
        issued_at=certificate.issued_at,
        hours=rules.course_hours(certificate.details) if kind == "course" else None,
        material_link=material_path(certificate.source_id) if is_material else "",
        published_at=published_at if is_material else None,
    )
