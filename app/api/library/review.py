"""Library API: moderation and associations — a moderator's decision on a material's pending version,
an administrator's trusted authors, and methodical associations (create, read, join, add, leave).

Shapes (shared/API.md, «Methodical library» and «Associations»):
- `POST /materials/{id}/review` `{"decision": "publish" | "reject", "reason"}` → the material's
  `{"id", "status", "version": {"id", "number", "state", "reason"}}`; 404 when the caller may not see
  the material, 403 when they may see it but not moderate it, 409 when no version awaits a decision
  (already decided, possibly by another moderator at the same moment).
- `PUT /users/{id}/trusted` `{"trusted": bool}` (administrator) → `{"id", "trusted"}`.
- `POST /associations` `{"name", "subject" (a subject id or null), "description", "district"?,
  "join_policy"?: "open" | "request"}` (methodist, administrator) → 201 the association.
- `GET /associations` (paginated) and `GET /associations/{id}` → `{"id", "name", "subject", "description",
  "district", "join_policy", "members_count", "leaders", "my_membership"}`.
- `POST /associations/{id}/members`: an empty body (or `{"user_id": <self>}`) joins or asks to join →
  201 `{"association_id", "user_id", "role", "status"}`; `{"user_id", "role"?}` adds a person, approves
  their request or changes their role (leaders and methodists; naming a leader: methodists).
- `DELETE /associations/{id}/members/{user_id}`: leave, withdraw a request, or (leaders, methodists)
  remove a member / decline a request → 204.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import current_app, url_for
from pydantic import Field

from app.accounts import User
from app.api.core import Id, Strict, api_user, endpoint, not_found, page_params, paginated, require_api
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from app.pagination import paginate
from app.permissions import library as can
from app.timeutil import utcnow
from community.associations import directory, membership
from community.associations.models import Association, AssociationMember
from community.library import moderation
from community.library.models import Material, MaterialVersion

TAG = "library"


class ReviewIn(Strict):
    decision: Literal["publish", "reject"]
    reason: str = Field(default="", max_length=5000)


class TrustedIn(Strict):
    trusted: bool


class AssociationIn(Strict):
    name: str = Field(min_length=1, max_length=255)
    subject: Id | None = None
    description: str = Field(default="", max_length=5000)
    district: str = Field(default="", max_length=255)
    join_policy: Literal["open", "request"] = "open"


class MemberIn(Strict):
    user_id: Id | None = None
    role: Literal["leader", "member"] | None = None


@endpoint(
    "/materials/<int:material_id>/review",
    "POST",
    summary="Publish or reject a material's pending version (methodist, the association's leader)",
    tag=TAG,
    body=ReviewIn,
)
def review_material(material_id: int, body: ReviewIn) -> Any:
    user = api_user()
    material = db.session.get(Material, material_id)
    if material is None or not can.can_view_material(user, material):
        raise not_found()
    require_api(can.can_moderate_material(user, material))
    version = moderation.pending_version(material.id)
    if version is None:
        raise Conflict(_("This version has already been reviewed or is not awaiting review."))
    link = url_for("library.review", version_id=version.id, _external=True)
    if "library.material" in current_app.view_functions:
        link = url_for("library.material", material_id=material.id, _external=True)
    material = moderation.review(version, body.decision, body.reason, actor=user, now=utcnow(), link=link)
    return {"id": material.id, "status": str(material.status), "version": _version_json(version)}


@endpoint(
    "/users/<int:user_id>/trusted",
    "PUT",
    summary="Mark an author trusted: their materials are published without waiting (administrator)",
    tag=TAG,
    body=TrustedIn,
)
def set_trusted(user_id: int, body: TrustedIn) -> Any:
    actor = api_user()
    require_api(can.can_set_trusted_author(actor))
    author = db.session.get(User, user_id)
    if author is None:
        raise not_found()
    moderation.set_trusted_author(author, body.trusted, actor=actor)
    return {"id": author.id, "trusted": author.trusted_author}


@endpoint(
    "/associations",
    "POST",
    summary="Open a methodical association (methodist, administrator)",
    tag=TAG,
    body=AssociationIn,
    status=201,
)
def create_association(body: AssociationIn) -> Any:
    user = api_user()
    require_api(can.can_create_association(user))
    association = membership.create_association(
        name=body.name,
        subject_id=body.subject,
        description=body.description,
        district=body.district,
        join_policy=body.join_policy,
        actor=user,
        now=utcnow(),
    )
    return _association_json(association, user), 201


@endpoint("/associations", summary="Methodical associations by name (paginated)", tag=TAG)
def list_associations() -> Any:
    user = api_user()
    require_api(can.can_view_associations(user))
    page, per_page = page_params()
    result = paginate(directory.associations_query(), page, per_page, scalars=False)
    return paginated(result, lambda row: _summary_json(row[0], row[1]))


@endpoint("/associations/<int:association_id>", summary="A methodical association", tag=TAG)
def get_association(association_id: int) -> Any:
    user = api_user()
    require_api(can.can_view_associations(user))
    return _association_json(_load(association_id), user)


@endpoint(
    "/associations/<int:association_id>/members",
    "POST",
    summary="Join (or ask to join) an association; a leader or methodist adds someone with a role",
    tag=TAG,
    body=MemberIn,
    status=201,
)
def add_member(association_id: int, body: MemberIn) -> Any:
    user = api_user()
    association = _load(association_id)
    link = url_for("library.association", association_id=association.id, _external=True)
    if body.user_id is None or (body.user_id == user.id and body.role is None):
        require_api(can.can_join_association(user))
        member = membership.join(association, user, now=utcnow(), link=link)
        return _member_json(member), 201
    require_api(can.can_manage_association(user, association.id))
    role = body.role or "member"
    require_api(role != "leader" or can.can_name_leaders(user))
    person = db.session.get(User, body.user_id)
    if person is None:
        message = _("No such user.")
        raise Invalid(message, {"user_id": message})
    member = membership.add_member(association, person, role, actor=user, now=utcnow(), link=link)
    return _member_json(member), 201


@endpoint(
    "/associations/<int:association_id>/members/<int:user_id>",
    "DELETE",
    summary="Leave an association or withdraw a request; a leader or methodist removes someone",
    tag=TAG,
    status=204,
)
def remove_member(association_id: int, user_id: int) -> Any:
    actor = api_user()
    association = _load(association_id)
    person = db.session.get(User, user_id)
    if user_id != actor.id:
        require_api(can.can_manage_association(actor, association.id))
        target = membership.membership(association.id, user_id)
        require_api(target is None or target.role != "leader" or can.can_name_leaders(actor))
    if person is None:
        raise not_found()
    membership.leave(association, person, actor=actor)
    return "", 204


def _load(association_id: int) -> Association:
    association = db.session.get(Association, association_id)
    if association is None:
        raise not_found()
    return association


def _version_json(version: MaterialVersion) -> dict[str, Any]:
    db.session.refresh(version)
    return {
        "id": version.id,
        "number": version.number,
        "state": str(version.state),
        "reason": version.review_reason,
    }


def _summary_json(association: Association, members_count: int) -> dict[str, Any]:
    return {
        "id": association.id,
        "name": association.name,
        "subject": {"id": association.subject.id, "name": association.subject.name}
        if association.subject
        else None,
        "description": association.description,
        "district": association.district,
        "join_policy": str(association.join_policy),
        "members_count": members_count,
    }


def _association_json(association: Association, user: User) -> dict[str, Any]:
    mine = membership.membership(association.id, user.id)
    return _summary_json(association, directory.active_count(association.id)) | {
        "leaders": [{"id": p.user_id, "full_name": p.full_name} for p in directory.leaders(association.id)],
        "my_membership": {"role": str(mine.role), "status": str(mine.status)} if mine else None,
    }


def _member_json(member: AssociationMember) -> dict[str, Any]:
    return {
        "association_id": member.association_id,
        "user_id": member.user_id,
        "role": str(member.role),
        "status": str(member.status),
    }
