"""Library: the publication certificate (свидетельство о публикации) of a published material —
issued once to its author, printed as a PDF with a serial number, revoked by a moderator with a
reason. The document is an app.certificates row (kind PUBLICATION, source ("material", id)), so the
public check page and the API verify it like any course certificate or diploma.

It is issued at the moment it is earned: the first publication (`issue_on_publication`, called by
community.library.publication inside the moderator's or trusted author's transaction). Materials
published before that get theirs from the clock (`issue_missing_certificates`, a batch a tick).
Downloads, the material page and the portfolio only read the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, select, update

from app import audit
from app.accounts import Institution, User, role_label
from app.certificates import Certificate, CertificateKind, issue
from app.documents.paper import Paper, Signature
from app.domain_errors import Conflict
from app.extensions import db, rows_changed
from app.i18n import _, force_locale
from app.pdf import russian_date
from app.timeutil import DEFAULT_TIMEZONE, to_zone
from community.associations.models import Association
from community.library.certificate_rules import clean_reason, serial_number
from community.library.messages import refusal, text
from community.library.models import Material, MaterialStatus
from community.notices.delivery import tell
from community.notices.kinds import Kind
from community.rules import RuleError

SOURCE = "material"
# The issuer's zone: a certificate is dated as the site dates it, not as its reader's clock would.
SITE_ZONE = DEFAULT_TIMEZONE
# Certificates a tick issues for materials published before issuing moved to publication: enough to
# clear a library's backlog in minutes, few enough to keep the tick short on contest day.
BACKFILL_BATCH = 200


def material_path(material_id: int) -> str:
    """The material's permanent address on the site (the library's material page)."""
    return f"/library/materials/{material_id}"


def current_certificate(material_id: int) -> Certificate | None:
    """The material's publication certificate if one was issued, revoked or not (one query)."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.source_type == SOURCE,
            Certificate.source_id == material_id,
            Certificate.kind == CertificateKind.PUBLICATION,
        )
    )


def publication_certificate(material: Material) -> Certificate:
    """The certificate the author downloads (reads only). Refused before publication, after a
    revocation (the revoked document stays revoked) and, for a material published before
    certificates were issued at publication, until the clock has issued it."""
    if material.status != MaterialStatus.PUBLISHED or material.published_at is None:
        raise Conflict(text(RuleError("certificate_unpublished", "material")))
    existing = current_certificate(material.id)
    if existing is None:
        raise Conflict(text(RuleError("certificate_preparing", "material")))
    if existing.revoked_at is not None:
        raise Conflict(text(RuleError("certificate_revoked", "material", reason=existing.revoked_reason)))
    return existing


def issue_on_publication(material: Material, *, actor: User | None, now: datetime) -> Certificate:
    """Issue the certificate of a material just published, inside the publishing transaction (no
    commit). A republished material keeps the certificate it has, revoked or not, worded as issued."""
    existing = current_certificate(material.id)
    if existing is not None:
        return existing
    certificate = _issue(material, now)
    _record_issue(material, certificate, actor)
    return certificate


def revoke_certificate(
    material: Material, *, actor: User, reason: str, now: datetime, link: str = ""
) -> Certificate:
    """A moderator withdraws the certificate (plagiarism, a wrong author): the check page and the API
    then say revoked, with the reason and date, and the author is told in the app and by e-mail
    (`link`: the material's full address for the letter). A material the clock has
    not yet issued one for gets one issued already revoked, so none can be issued later.
    Two revocations at once: the conditional UPDATE lets one through, the other is refused."""
    try:
        cleaned = clean_reason(reason)
    except RuleError as error:
        raise refusal(error) from error
    if material.published_at is None:
        raise Conflict(text(RuleError("certificate_unpublished", "material")))
    certificate = current_certificate(material.id) or _issue(material, now)
    revoked = rows_changed(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=cleaned)
    )
    if not revoked:
        db.session.rollback()
        raise Conflict(text(RuleError("certificate_already_revoked", "reason")))
    audit.record(
        "library.certificate_revoked",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        object_type="certificate",
        object_id=certificate.id,
        reason=cleaned,
        details={"code": certificate.code},
    )
    _tell_author(material, cleaned, link or material_path(material.id))
    db.session.commit()
    db.session.refresh(certificate)
    return certificate


def issue_missing_certificates(now: datetime) -> list[str]:
    """Clock job: issue the certificates of published materials that have none (published before
    certificates were issued at publication), a batch a tick, in one transaction. One query when
    there is nothing to issue."""
    issued = exists().where(
        Certificate.source_type == SOURCE,
        Certificate.source_id == Material.id,
        Certificate.kind == CertificateKind.PUBLICATION,
    )
    missing = db.session.scalars(
        select(Material)
        .where(Material.status == MaterialStatus.PUBLISHED, Material.published_at.is_not(None), ~issued)
        .order_by(Material.id)
        .limit(BACKFILL_BATCH)
    ).all()
    for material in missing:
        _record_issue(material, _issue(material, now), None)
    if not missing:
        return []
    db.session.commit()
    return [f"issued {len(missing)} publication certificate(s)"]


@dataclass(frozen=True)
class PublicationFacts:
    """What the certificate states, in Russian, whatever the viewer's language."""

    serial: str
    author: str
    position: str
    institution: str
    title: str
    published_on: date


def publication_facts(material: Material, certificate: Certificate) -> PublicationFacts:
    author = db.session.get_one(User, material.author_id)
    institution_id = material.institution_id or author.institution_id
    institution = db.session.get(Institution, institution_id) if institution_id else None
    assert material.published_at is not None
    published_on = to_zone(material.published_at, SITE_ZONE).date()
    with force_locale("ru"):
        position = role_label(author.role)
    return PublicationFacts(
        serial=certificate.details or serial_number(published_on.year, material.id),
        author=certificate.holder,
        position=position,
        institution=institution.name if institution else "",
        title=certificate.title,
        published_on=published_on,
    )


def publication_paper(material: Material, certificate: Certificate, *, material_url: str = "") -> Paper:
    """The certificate as printed (with the material's permanent link when `material_url` is given)
    and as /verify describes it: issued by the material's association, else by the network's
    methodical library; dated in the site's zone."""
    facts = publication_facts(material, certificate)
    association = db.session.get(Association, material.association_id) if material.association_id else None
    with force_locale("ru"):
        statement = [
            _("has published in the methodical library of the Vmeste network the material"),
            f"«{facts.title}»",
            _("Date of publication: %(date)s", date=russian_date(facts.published_on)),
            _("Certificate No. %(serial)s", serial=facts.serial),
        ]
        if material_url:
            statement.append(_("Permanent link: %(url)s", url=material_url))
        return Paper(
            kind_label=_("Certificate of publication"),
            heading=_("TESTIMONIAL (heading)"),
            subheading=_("of publication"),
            preamble=_("this is to certify that"),
            holder=facts.author,
            holder_note=", ".join(part for part in (facts.position.lower(), facts.institution) if part),
            statement=tuple(statement),
            certifies=_("Publication of the material «%(title)s»", title=facts.title),
            organiser=association.name if association else _("The methodical library of the Vmeste network"),
            signatures=(Signature(_("Head of the methodical service")),),
            issued_at=certificate.issued_at,
            zone=SITE_ZONE,
            code=certificate.code,
        )


def publication_certificate_paper(certificate: Certificate) -> Paper | None:
    """The Paper of a publication certificate's row, or None when its material is gone."""
    material = db.session.get(Material, certificate.source_id)
    if material is None or material.published_at is None:
        return None
    return publication_paper(material, certificate)


def _tell_author(material: Material, reason: str, link: str) -> None:
    author = db.session.get_one(User, material.author_id)
    with force_locale(author.locale or "ru"):
        note = _(
            "The publication certificate of «%(title)s» was revoked: %(reason)s",
            title=material.title,
            reason=reason,
        )
        lines = [note, _("The material: %(url)s", url=link)]
        subject = _("Your publication certificate was revoked")
        tell(
            author,
            Kind.MODERATION,
            note,
            material_path(material.id),
            subject=subject,
            body="\n\n".join(lines),
        )


def _record_issue(material: Material, certificate: Certificate, actor: User | None) -> None:
    audit.record(
        "library.certificate_issued",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        object_type="certificate",
        object_id=certificate.id,
        details={"code": certificate.code},
    )


def _issue(material: Material, now: datetime) -> Certificate:
    """The certificate row, worded at issue and not rewritten later (a new version's title does not
    change a document already printed)."""
    author = db.session.get_one(User, material.author_id)
    assert material.published_at is not None
    year = to_zone(material.published_at, SITE_ZONE).year
    certificate = issue(
        kind=CertificateKind.PUBLICATION,
        user_id=author.id,
        holder=author.full_name,
        title=material.title,
        source_type=SOURCE,
        source_id=material.id,
        details=serial_number(year, material.id),
        now=now,
    )
    db.session.flush()
    return certificate
