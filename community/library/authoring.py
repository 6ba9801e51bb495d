"""Library: a teacher writes a material — create it, edit it (a new version once it was published),
send it to moderation (a trusted author is published at once)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict
from app.extensions import added, db, rows_changed
from app.i18n import _
from app.markdown import render_markdown_uncached
from app.uploads import CheckedUpload
from community.associations.models import AssociationMember, MemberStatus
from community.library import material_files, search
from community.library.material_files import IncomingFile
from community.library.material_input import MaterialInput
from community.library.material_rules import (
    check_submittable,
    clean_grades,
    clean_kind,
    clean_links,
    clean_subjects,
    clean_summary,
    clean_title,
)
from community.library.messages import refusal
from community.library.models import (
    CATALOGUE_VERSION,
    FACETS_VERSION,
    Material,
    MaterialFile,
    MaterialGrade,
    MaterialKind,
    MaterialStatus,
    MaterialSubject,
    MaterialVersion,
    VersionState,
)
from community.library.publication import publish_version
from community.rules import RuleError
from community.subjects import subjects_by_ids


@dataclass
class _Clean:
    title: str
    summary: str
    kind: MaterialKind
    subject_ids: list[int]
    grades: list[int]
    links: list[dict[str, str]]


def create_material(
    data: MaterialInput,
    files: Sequence[IncomingFile] = (),
    *,
    actor: User,
    now: datetime,
    send: bool = False,
) -> Material:
    """A new material (draft) with its version 1; `send` also submits it."""
    clean = _clean(data, current_association=None, author=actor)
    checked = material_files.check_incoming(files, already=0)
    if send:
        _check_sendable(clean, len(checked))
    material = Material(
        author_id=actor.id,
        institution_id=actor.institution_id,
        association_id=data.association_id,
        kind=clean.kind,
        status=MaterialStatus.DRAFT,
        title=clean.title,
        created_at=now,
        updated_at=now,
    )
    db.session.add(material)
    db.session.flush()
    version = MaterialVersion(material_id=material.id, number=1, state=VersionState.DRAFT, created_at=now)
    _fill(version, clean)
    db.session.add(version)
    db.session.flush()
    _write(material, version, clean, checked, actor, now)
    audit.record("library.material_created", actor=actor, scope_type="material", scope_id=material.id)
    if send:
        _submit(material, version, actor=actor, now=now)
    db.session.commit()
    return material


def update_material(
    material: Material,
    data: MaterialInput,
    files: Sequence[IncomingFile] = (),
    *,
    drop_stored_ids: Iterable[int] = (),
    actor: User,
    now: datetime,
    send: bool = False,
) -> Material:
    """Save the author's changes. A draft is edited in place; a published or rejected version is kept
    and a new draft version (N+1) takes the changes, so the published one stays visible until its
    successor is published. Kind, subjects, grades and association change at once."""
    working = latest_version(material)
    if working.state == VersionState.PENDING:
        raise Conflict(_("The material is waiting for moderation: it can be edited after the decision."))
    clean = _clean(data, current_association=material.association_id, author=_author(material))
    drop = set(drop_stored_ids)
    kept = material_files.file_count(working) - material_files.file_count(working, only=drop)
    checked = material_files.check_incoming(files, already=kept)
    if send:
        _check_sendable(clean, kept + len(checked))
    if working.state == VersionState.DRAFT:
        version = working
        changed = rows_changed(
            update(MaterialVersion)
            .where(MaterialVersion.id == version.id, MaterialVersion.state == VersionState.DRAFT)
            .values(
                title=clean.title, summary=clean.summary, links=json.dumps(clean.links, ensure_ascii=False)
            )
            .execution_options(synchronize_session=False)
        )
        if not changed:
            raise Conflict(_("The material has just been sent to moderation; reload the page."))
        db.session.refresh(version)
        material_files.drop_files(version, drop)
    else:
        version = _new_version(material, working, clean, drop, now)
    material.kind = clean.kind
    material.association_id = data.association_id
    material.updated_at = now
    _write(material, version, clean, checked, actor, now, replace=True)
    audit.record(
        "library.material_saved",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        object_type="material_version",
        object_id=version.id,
        details={"number": version.number},
    )
    if send:
        _submit(material, version, actor=actor, now=now)
    db.session.commit()
    return material


def submit_material(material: Material, *, actor: User, now: datetime) -> Material:
    """Send the working draft to moderation (published at once for a trusted author)."""
    version = latest_version(material)
    _submit(material, version, actor=actor, now=now)
    db.session.commit()
    return material


def latest_version(material: Material) -> MaterialVersion:
    """The version the author works on: the highest number."""
    return db.session.scalars(
        select(MaterialVersion)
        .where(MaterialVersion.material_id == material.id)
        .order_by(MaterialVersion.number.desc())
        .limit(1)
    ).one()


def _submit(material: Material, version: MaterialVersion, *, actor: User, now: datetime) -> None:
    if version.state != VersionState.DRAFT:
        raise Conflict(_("There is no draft to send: edit the material first."))
    links = json.loads(version.links or "[]")
    db.session.flush()
    try:
        check_submittable(str(material.kind), version.summary, material_files.file_count(version), len(links))
    except RuleError as error:
        raise refusal(error) from None
    changed = rows_changed(
        update(MaterialVersion)
        .where(MaterialVersion.id == version.id, MaterialVersion.state == VersionState.DRAFT)
        .values(state=VersionState.PENDING, submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if not changed:
        raise Conflict(_("This version has already been sent to moderation."))
    db.session.refresh(version)
    if material.published_version_id is None:
        material.status = MaterialStatus.PENDING
    material.updated_at = now
    audit.record(
        "library.version_submitted",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        object_type="material_version",
        object_id=version.id,
        details={"number": version.number},
    )
    if _author(material).trusted_author:
        publish_version(version, actor=actor, now=now)
    else:
        db.session.flush()
        search.index_material(material)


def _check_sendable(clean: _Clean, files: int) -> None:
    """Refuse "save and send" of an empty material before anything is written."""
    try:
        check_submittable(str(clean.kind), clean.summary, files, len(clean.links))
    except RuleError as error:
        raise refusal(error) from None


def _clean(data: MaterialInput, *, current_association: int | None, author: User) -> _Clean:
    """Every rule checked before anything is written."""
    try:
        title = clean_title(data.title)
        summary = clean_summary(data.summary)
        kind = clean_kind(data.kind)
        grades = clean_grades(data.grades)
        wanted = list(data.subject_ids)
        subject_ids = clean_subjects(wanted, subjects_by_ids(wanted).keys())
        links = clean_links(data.links)
        if data.association_id is not None and data.association_id != current_association:
            _check_member(author, data.association_id)
    except RuleError as error:
        raise refusal(error) from None
    return _Clean(title, summary, MaterialKind(kind), subject_ids, grades, links)


def _check_member(author: User, association_id: int) -> None:
    """Only an association the author actively belongs to (member or leader); one they left stays
    on materials already filed under it."""
    member = db.session.scalar(
        select(AssociationMember.id).where(
            AssociationMember.association_id == association_id,
            AssociationMember.user_id == author.id,
            AssociationMember.status == MemberStatus.ACTIVE,
        )
    )
    if member is None:
        raise RuleError("material_not_member", "association_id")


def _author(material: Material) -> User:
    return db.session.get_one(User, material.author_id)


def _fill(version: MaterialVersion, clean: _Clean) -> None:
    version.title = clean.title
    version.summary = clean.summary
    version.links = json.dumps(clean.links, ensure_ascii=False)


def _new_version(
    material: Material, working: MaterialVersion, clean: _Clean, drop: set[int], now: datetime
) -> MaterialVersion:
    version = MaterialVersion(
        material_id=material.id, number=working.number + 1, state=VersionState.DRAFT, created_at=now
    )
    _fill(version, clean)
    if not added(version):
        raise Conflict(
            _("Another version of this material has just been started; reload the page.")
        ) from None
    material_files.copy_files(working, version, dropped=drop)
    if material.published_version_id is None:
        material.status = MaterialStatus.DRAFT  # a rejected material is being reworked
    return version


def _write(
    material: Material,
    version: MaterialVersion,
    clean: _Clean,
    checked: Sequence[CheckedUpload],
    actor: User,
    now: datetime,
    *,
    replace: bool = False,
) -> None:
    """Subjects, grades, files and — before the first publication — the catalogue's copy of the
    content; then the search index hears of it."""
    if replace:
        db.session.execute(delete(MaterialSubject).where(MaterialSubject.material_id == material.id))
        db.session.execute(delete(MaterialGrade).where(MaterialGrade.material_id == material.id))
    db.session.add_all(MaterialSubject(material_id=material.id, subject_id=s) for s in clean.subject_ids)
    db.session.add_all(MaterialGrade(material_id=material.id, grade=g) for g in clean.grades)
    material_files.attach(version, checked, actor.id)
    if material.published_version_id is None:
        texts = db.session.scalars(
            select(MaterialFile.text_content)
            .where(MaterialFile.version_id == version.id)
            .order_by(MaterialFile.position)
        )
        material.title = clean.title
        material.summary = clean.summary
        material.summary_html = str(render_markdown_uncached(clean.summary))
        material.search_text = "\n".join(part for part in (clean.title, clean.summary, *texts) if part)
    material.updated_at = now
    if material.status == MaterialStatus.PUBLISHED:  # kind, subjects, grades, association: at once
        bump(CATALOGUE_VERSION, FACETS_VERSION)
    db.session.flush()
    search.index_material(material)
