"""Associations room, one association's page as a whole: its members by district and institution,
the latest topics of its forum and the latest materials of its shelf in the library, and the list's
filters. Each part is one or two queries whatever the number of members, topics or materials.

Pupils never belong to an association (community.associations.rules), and the members' query leaves
the student role out as well, so no pupil's name can reach the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.accounts import Institution, Role, User
from app.extensions import db
from app.pagination import Page, paginate
from community.associations.models import Association, AssociationMember, MemberStatus
from community.forums import places as forum_places
from community.forums.models import Forum, ForumScope, Topic
from community.library.catalogue import Viewer, conditions
from community.library.catalogue_params import Filters
from community.library.models import Material

LATEST_TOPICS = 5
LATEST_MATERIALS = 5


@dataclass(frozen=True)
class Member:
    user_id: int
    full_name: str
    role: str
    institution: str
    district: str


@dataclass(frozen=True)
class ForumPreview:
    forum: Forum | None  # None until the association's forum is made (its first visit makes it)
    topics: list[Topic]


@dataclass(frozen=True)
class Shelf:
    materials: list[tuple[Material, str]]  # (material, author's name), newest publication first
    total: int


def members_page(association_id: int, page: int, per_page: int) -> Page[Member]:
    """Active members ordered by district, then institution, then leaders first and by name, so the
    page groups them under headings (two queries: the count and the page)."""
    district = func.coalesce(Institution.district, "")
    institution = func.coalesce(Institution.name, "")
    query: Any = (
        select(User.id, User.full_name, AssociationMember.role, institution, district)
        .join(AssociationMember, AssociationMember.user_id == User.id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(
            AssociationMember.association_id == association_id,
            AssociationMember.status == MemberStatus.ACTIVE,
            User.role != Role.STUDENT,
        )
        .order_by(district, institution, AssociationMember.role, User.full_name, User.id)
    )
    found = paginate(query, page, per_page, scalars=False)
    members = [Member(row[0], row[1], str(row[2]), row[3], row[4]) for row in found.items]
    return Page(members, found.page, found.per_page, found.total)


def forum_preview(association_id: int, limit: int = LATEST_TOPICS) -> ForumPreview:
    """The association forum's latest visible topics, with their authors (two queries)."""
    forum = forum_places.find_forum(ForumScope.ASSOCIATION, association_id)
    if forum is None:
        return ForumPreview(None, [])
    topics = latest_topics(forum.id, limit)
    return ForumPreview(forum, topics)


def latest_topics(forum_id: int, limit: int) -> list[Topic]:
    """A forum's latest topics by their last post (authors are not needed on the association page)."""
    query = (
        select(Topic)
        .where(Topic.forum_id == forum_id, Topic.hidden_at.is_(None))
        .order_by(Topic.last_post_at.desc(), Topic.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def shelf(association_id: int, limit: int = LATEST_MATERIALS) -> Shelf:
    """The association's shelf: its published materials, newest first, as the catalogue filtered by
    the association shows them to everyone (two queries: the count and the latest)."""
    where = conditions(Filters(association=(association_id,)), Viewer(), None)
    total = db.session.scalar(select(func.count()).select_from(Material).where(*where)) or 0
    query = (
        select(Material, User.full_name)
        .join(User, User.id == Material.author_id)
        .where(*where)
        .order_by(Material.published_at.desc(), Material.id.desc())
        .limit(limit)
    )
    return Shelf([(row[0], row[1]) for row in db.session.execute(query)], total)


def districts() -> list[str]:
    """The districts associations belong to, for the list's filter (the network-wide ones have none)."""
    query = select(Association.district).where(Association.district != "").distinct()
    return sorted(db.session.scalars(query))


def subject_ids() -> set[int]:
    """The subjects associations are of, for the list's filter."""
    query = select(Association.subject_id).where(Association.subject_id.is_not(None)).distinct()
    return {value for value in db.session.scalars(query) if value is not None}


def filtered(query: Any, *, subject_id: int | None, district: str | None) -> Any:
    """The list's query narrowed to a subject and a district ('' is the network-wide associations)."""
    if subject_id is not None:
        query = query.where(Association.subject_id == subject_id)
    if district is not None:
        query = query.where(Association.district == district)
    return query
