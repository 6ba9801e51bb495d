"""Who may do what in the methodical library and the portfolio.

Moderators are methodists and administrators (every material) and the leaders of the association a
material is filed under (that association's materials only). Published materials are open to anyone
with the link, like a teacher portal's; unpublished ones exist only for their author and their
moderators. Pupils neither publish, rate nor have a portfolio.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts import Role, User
from app.extensions import db
from app.permissions import COLLEAGUE_ROLES, _signed_in, has_role, is_admin
from community.associations.models import AssociationMember, MemberRole, MemberStatus
from community.library.models import Material, MaterialStatus


def is_colleague(user: Any) -> bool:
    return has_role(user, *COLLEAGUE_ROLES)


def can_publish_materials(user: Any) -> bool:
    return is_colleague(user)


def is_library_moderator(user: Any) -> bool:
    """Moderates every material: the methodical centre's staff and the administrator."""
    return has_role(user, Role.ADMIN, Role.METHODIST)


def leads_association(user: Any, association_id: int | None) -> bool:
    if association_id is None or not _signed_in(user):
        return False
    query = select(AssociationMember.id).where(
        AssociationMember.association_id == association_id,
        AssociationMember.user_id == user.id,
        AssociationMember.role == MemberRole.LEADER,
        AssociationMember.status == MemberStatus.ACTIVE,
    )
    return db.session.scalar(query) is not None


def led_association_ids(user: Any) -> list[int]:
    """The associations whose shelves this user moderates as a leader (one query)."""
    if not _signed_in(user):
        return []
    query = select(AssociationMember.association_id).where(
        AssociationMember.user_id == user.id,
        AssociationMember.role == MemberRole.LEADER,
        AssociationMember.status == MemberStatus.ACTIVE,
    )
    return list(db.session.scalars(query))


def can_moderate_any(user: Any) -> bool:
    """Sees the moderation queue at all: a moderator of everything or a leader of something."""
    return is_library_moderator(user) or bool(led_association_ids(user))


def can_moderate_material(user: Any, material: Material) -> bool:
    return is_library_moderator(user) or leads_association(user, material.association_id)


def is_author(user: Any, material: Material) -> bool:
    return _signed_in(user) and material.author_id == user.id


def can_view_material(user: Any, material: Material) -> bool:
    """Published: anyone. Otherwise its author and its moderators (everyone else gets a 404)."""
    if material.status == MaterialStatus.PUBLISHED:
        return True
    return is_author(user, material) or can_moderate_material(user, material)


def can_edit_material(user: Any, material: Material) -> bool:
    return is_author(user, material) or is_admin(user)


def can_rate_material(user: Any, material: Material) -> bool:
    """One rating per colleague, never by the author, only of a published material."""
    return (
        is_colleague(user) and material.status == MaterialStatus.PUBLISHED and not is_author(user, material)
    )


def can_comment_material(user: Any, material: Material) -> bool:
    return is_colleague(user) and material.status == MaterialStatus.PUBLISHED


def can_revoke_certificate(user: Any, material: Material) -> bool:
    """A moderator of the material other than its author (a leader or methodist who wrote it does not
    judge their own certificate, as they do not review their own material)."""
    return can_moderate_material(user, material) and not is_author(user, material)


def can_set_trusted_author(user: Any) -> bool:
    return is_admin(user)


def may_have_portfolio(owner: User) -> bool:
    """Pupils are minors: they never have a portfolio page."""
    return owner.active and owner.role != Role.STUDENT


def can_view_portfolio(user: Any, owner: User, is_public: bool) -> bool:
    if not may_have_portfolio(owner):
        return False
    if _signed_in(user) and (user.id == owner.id or is_admin(user)):
        return True
    return is_public


# Moderation and associations (lib_moderate)


def moderation_scope(user: Any) -> list[int] | None:
    """Whose materials this user's queue holds: None for every material (methodists, administrators),
    else the associations they lead (possibly none)."""
    return None if is_library_moderator(user) else led_association_ids(user)


def can_view_associations(user: Any) -> bool:
    return _signed_in(user)


def can_create_association(user: Any) -> bool:
    """Associations are opened by the methodical centre (methodists) and the administrator."""
    return is_library_moderator(user)


def can_join_association(user: Any) -> bool:
    """Teachers and other adults of the network; pupils never."""
    return is_colleague(user)


def can_manage_association(user: Any, association_id: int) -> bool:
    """Adds members, approves and declines requests: the association's leaders and the methodists."""
    return is_library_moderator(user) or leads_association(user, association_id)


def can_name_leaders(user: Any) -> bool:
    return is_library_moderator(user)


def can_edit_association(user: Any) -> bool:
    """Name, subject, description, district and joining rule: the methodists and the administrator,
    who open associations (their leaders run the membership, not the settings)."""
    return is_library_moderator(user)


# Discussion: comments, ratings, bookmarks (lib_discuss)


def can_bookmark_material(user: Any, material: Material) -> bool:
    """The «useful for me» shelf is a colleague's, of published materials."""
    return is_colleague(user) and material.status == MaterialStatus.PUBLISHED


def can_report_comment(user: Any, author_id: int) -> bool:
    """Any colleague may report someone else's comment to the moderators."""
    return is_colleague(user) and user.id != author_id


def can_edit_comment(user: Any, author_id: int) -> bool:
    """Only the comment's author (the service also checks the edit window)."""
    return is_colleague(user) and user.id == author_id


# Documents: publication certificates and portfolios (lib_documents)


def can_download_certificate(user: Any, material: Material) -> bool:
    """The publication certificate is the author's document; their moderators may open it to check."""
    return is_author(user, material) or can_moderate_material(user, material)


def can_edit_portfolio(user: Any) -> bool:
    """Every signed-in adult keeps a portfolio of their own documents; pupils have none."""
    return _signed_in(user) and may_have_portfolio(user)
