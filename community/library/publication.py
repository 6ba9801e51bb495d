"""Library: the one publish step and the one reject step, shared by moderation and trusted authors.

Neither function commits nor notifies: the calling service (submit of a trusted author, a
moderator's review) owns the transaction, tells the author and commits once. Both move the version
with a conditional UPDATE from `pending`, so of two moderators deciding at once exactly one wins and
the other gets a `Conflict`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict
from app.extensions import db, rows_changed
from app.i18n import _
from app.markdown import render_markdown_uncached
from community.library import search
from community.library.certificates import issue_on_publication
from community.library.messages import refusal
from community.library.models import (
    CATALOGUE_VERSION,
    FACETS_VERSION,
    Material,
    MaterialFile,
    MaterialStatus,
    MaterialVersion,
    VersionState,
)
from community.rules import RuleError


def publish_version(version: MaterialVersion, *, actor: User | None, now: datetime) -> Material:
    """Make `version` (pending) the one everyone sees; the version published before it is superseded.

    The material takes the version's title and summary (rendered once, here) and its search text
    (title, summary and the files' extracted text); published_at is set on the first publication,
    and so is the author's publication certificate (a republication keeps the one issued).
    """
    _decide(version, VersionState.PUBLISHED, actor=actor, now=now, reason="")
    db.session.execute(
        update(MaterialVersion)
        .where(
            MaterialVersion.material_id == version.material_id,
            MaterialVersion.state == VersionState.PUBLISHED,
            MaterialVersion.id != version.id,
        )
        .values(state=VersionState.SUPERSEDED)
    )
    material = db.session.get_one(Material, version.material_id)
    texts = db.session.scalars(
        select(MaterialFile.text_content)
        .where(MaterialFile.version_id == version.id)
        .order_by(MaterialFile.position)
    )
    material.status = MaterialStatus.PUBLISHED
    material.published_version_id = version.id
    material.title = version.title
    material.summary = version.summary
    material.summary_html = str(render_markdown_uncached(version.summary))
    material.search_text = "\n".join(part for part in (version.title, version.summary, *texts) if part)
    material.updated_at = now
    if material.published_at is None:
        material.published_at = now
    db.session.flush()
    search.index_material(material)
    bump(CATALOGUE_VERSION, FACETS_VERSION)
    audit.record(
        "library.version_published",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        object_type="material_version",
        object_id=version.id,
        details={"number": version.number},
    )
    issue_on_publication(material, actor=actor, now=now)  # the certificate is earned now
    return material


def reject_version(version: MaterialVersion, reason: str, *, actor: User | None, now: datetime) -> Material:
    """Send `version` (pending) back with a reason. The material itself is rejected only if it was
    never published: a rejected new version leaves the published one in the catalogue."""
    reason = (reason or "").strip()
    if not reason:
        raise refusal(RuleError("required", "reason"))
    _decide(version, VersionState.REJECTED, actor=actor, now=now, reason=reason)
    material = db.session.get_one(Material, version.material_id)
    if material.published_version_id is None:
        material.status = MaterialStatus.REJECTED
        material.updated_at = now
        db.session.flush()
        search.index_material(material)
    audit.record(
        "library.version_rejected",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        object_type="material_version",
        object_id=version.id,
        reason=reason,
        details={"number": version.number},
    )
    return material


def _decide(
    version: MaterialVersion, state: VersionState, *, actor: User | None, now: datetime, reason: str
) -> None:
    """Move the version out of `pending` unless someone else already did (then: Conflict)."""
    changed = rows_changed(
        update(MaterialVersion)
        .where(MaterialVersion.id == version.id, MaterialVersion.state == VersionState.PENDING)
        .values(
            state=state,
            reviewed_at=now,
            reviewed_by_id=actor.id if actor is not None else None,
            review_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    if not changed:
        raise Conflict(_("This version has already been reviewed or is not awaiting review."))
    db.session.refresh(version)
