"""Demo library for `flask demo`: associations with leaders and members, materials in several
subjects (most published, some waiting for the methodist, one draft), a lesson plan with a DOCX,
comments and ratings. Everything goes through the library's own services, so search, counters and
versions are what a real network would have. Idempotent: associations by name, materials by title.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from xml.sax.saxutils import escape

from sqlalchemy import select

from app.demo import demo_user
from app.extensions import db
from app.timeutil import utcnow
from community.associations.membership import add_member, create_association
from community.associations.models import Association
from community.library import demo_data
from community.library.authoring import create_material
from community.library.comments import post_comment
from community.library.material_files import IncomingFile
from community.library.material_input import MaterialInput
from community.library.models import Material, MaterialStatus
from community.library.moderation import pending_version, review
from community.library.ratings import rate_material
from community.subjects import Subject, ensure_default_subjects

# The one material that carries a file: the lesson plan the README's walk downloads.
WITH_DOCX = "Сложение и вычитание обыкновенных дробей с одинаковыми знаменателями"


def load_library() -> list[str]:
    ensure_default_subjects()
    db.session.commit()
    subjects = {s.name: s.id for s in db.session.scalars(select(Subject))}
    associations = _associations(subjects)
    created = _materials(subjects, associations)
    if created:
        _discussion()
    published = db.session.scalar(
        select(db.func.count()).select_from(Material).where(Material.status == MaterialStatus.PUBLISHED)
    )
    return [f"Library: {published} published materials, {len(associations)} methodical associations"]


def _associations(subjects: dict[str, int]) -> dict[str, int]:
    methodist = demo_user("methodist@vmeste.local")
    now = utcnow()
    found: dict[str, int] = {}
    for key, (name, subject, district, description, leader, members) in demo_data.ASSOCIATIONS.items():
        association = db.session.scalar(select(Association).where(Association.name == name))
        if association is None:
            association = create_association(
                name=name,
                subject_id=subjects.get(subject),
                description=description,
                district=district,
                actor=methodist,
                now=now,
            )
            add_member(association, demo_user(leader), "leader", actor=methodist, now=now)
            for email in members:
                add_member(association, demo_user(email), "member", actor=methodist, now=now)
        found[key] = association.id
    return found


def _materials(subjects: dict[str, int], associations: dict[str, int]) -> int:
    methodist = demo_user("methodist@vmeste.local")
    existing = set(db.session.scalars(select(Material.title)))
    created = 0
    # Spread over the last weeks, oldest first, so "new" sorting and the queue's ages look real.
    start = utcnow() - timedelta(days=len(demo_data.MATERIALS) * 2)
    for index, (email, kind, subject_names, grades, key, title, summary, state) in enumerate(
        demo_data.MATERIALS
    ):
        if title in existing:
            continue
        now = start + timedelta(days=index * 2)
        data = MaterialInput(
            title=title,
            summary=summary,
            kind=kind,
            subject_ids=[subjects[name] for name in subject_names],
            grades=list(grades),
            association_id=associations[key] if key else None,
            links=[("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Видеоурок")] if kind == "video" else [],
        )
        files = (
            [IncomingFile("Конспект урока.docx", io.BytesIO(_docx(title, summary)))]
            if title == WITH_DOCX
            else []
        )
        material = create_material(data, files, actor=demo_user(email), now=now, send=state != "draft")
        if state == "published":
            version = pending_version(material.id)
            if version is not None:
                link = f"/library/materials/{material.id}"
                review(version, "publish", "", actor=methodist, now=now + timedelta(hours=5), link=link)
        created += 1
    return created


def _discussion() -> None:
    by_title = {m.title: m for m in db.session.scalars(select(Material))}
    now = utcnow()
    for title, email, text in demo_data.COMMENTS:
        post_comment(by_title[title], demo_user(email), text, now=now)
    for title, email, stars in demo_data.RATINGS:
        rate_material(by_title[title], demo_user(email), stars, now=now)


def _docx(title: str, summary: str) -> bytes:
    """A small Word document (the parts Word needs and nothing else), so the demo has a real file
    whose text the search finds."""
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in [
            title,
            *summary.splitlines(),
            "Ход урока: актуализация знаний, открытие нового, рефлексия.",
        ]
        if line.strip()
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()
