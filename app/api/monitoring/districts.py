"""Monitoring API: districts and who sees what (shared/API.md, «Monitoring»).

- `GET /districts` (any signed-in member, paginated; `?q=` searches name and region) → items
  `{"id", "name", "region", "institutions"}`; `GET /districts/{id}` the same for one.
- `POST /districts` (administrator) `{"name", "region"}` → 201; 409 when the region has that name.
- `PATCH /districts/{id}` (administrator) `{"name", "region"?}` renames it and every institution's copy.
- `DELETE /districts/{id}` (administrator) → 204; 409 while institutions remain in it.
- `GET` and `PUT /users/{id}/scopes` (administrator) `{"institution_ids", "district_ids"}` → the same
  shape with `user_id`: a coordinator's institutions or a district methodist's districts; 422 for
  unknown ids or a role without a scope.
"""

from __future__ import annotations

from typing import Any

from flask import request
from pydantic import Field

from app import districts, user_scopes
from app.accounts import District, User
from app.api.core import Id, Strict, api_user, endpoint, not_found, page_params, paginated, require_api
from app.extensions import db
from app.permissions import can_manage_users, can_view_network
from app.permissions.monitoring import can_manage_districts

TAG = "monitoring"
MAX_SCOPE_IDS = 5000  # a city has 700 institutions: room for a region


class DistrictIn(Strict):
    name: str = Field(min_length=1, max_length=districts.MAX_NAME)
    region: str = Field(default="", max_length=districts.MAX_NAME)


class DistrictRename(Strict):
    name: str = Field(min_length=1, max_length=districts.MAX_NAME)
    region: str | None = Field(default=None, max_length=districts.MAX_NAME)


class ScopesIn(Strict):
    institution_ids: list[Id] = Field(default_factory=list, max_length=MAX_SCOPE_IDS)
    district_ids: list[Id] = Field(default_factory=list, max_length=MAX_SCOPE_IDS)


def district_json(row: districts.DistrictRow) -> dict[str, Any]:
    district = row.district
    return {
        "id": district.id,
        "name": district.name,
        "region": district.region,
        "institutions": row.institutions,
    }


@endpoint(
    "/districts",
    summary="List the network's districts with their institution counts",
    tag=TAG,
    query={"page": "integer", "per_page": "integer", "q": "string"},
)
def list_districts() -> Any:
    require_api(can_view_network(api_user()))
    page, per_page = page_params()
    found = districts.district_page(page, per_page, request.args.get("q", "").strip())
    return paginated(found, district_json)


@endpoint("/districts/<int:district_id>", summary="One district", tag=TAG)
def get_district(district_id: int) -> Any:
    require_api(can_view_network(api_user()))
    return district_json(districts.district_row(_district(district_id)))


@endpoint("/districts", "POST", summary="Create a district (admin)", tag=TAG, body=DistrictIn, status=201)
def create_district(body: DistrictIn) -> Any:
    actor = api_user()
    require_api(can_manage_districts(actor))
    district = districts.create_district(name=body.name, region=body.region, actor=actor)
    return district_json(districts.DistrictRow(district, 0)), 201


@endpoint(
    "/districts/<int:district_id>",
    "PATCH",
    summary="Rename a district and every institution's copy of its name (admin)",
    tag=TAG,
    body=DistrictRename,
)
def rename_district(district_id: int, body: DistrictRename) -> Any:
    actor = api_user()
    require_api(can_manage_districts(actor))
    district = _district(district_id)
    region = district.region if body.region is None else body.region
    districts.rename_district(district, name=body.name, region=region, actor=actor)
    return district_json(districts.district_row(_district(district_id)))


@endpoint(
    "/districts/<int:district_id>",
    "DELETE",
    summary="Delete a district without institutions (admin)",
    tag=TAG,
    status=204,
)
def delete_district(district_id: int) -> Any:
    actor = api_user()
    require_api(can_manage_districts(actor))
    districts.delete_district(_district(district_id), actor=actor)
    return "", 204


@endpoint("/users/<int:user_id>/scopes", summary="What a user sees in monitoring (admin)", tag=TAG)
def get_scopes(user_id: int) -> Any:
    actor = api_user()
    require_api(can_manage_users(actor))
    user = _user(user_id)
    return _scopes_json(user, user_scopes.scopes_of(user))


@endpoint(
    "/users/<int:user_id>/scopes",
    "PUT",
    summary="Set a coordinator's institutions or a district methodist's districts (admin)",
    tag=TAG,
    body=ScopesIn,
)
def put_scopes(user_id: int, body: ScopesIn) -> Any:
    actor = api_user()
    require_api(can_manage_users(actor))
    user = _user(user_id)
    scopes = user_scopes.set_scopes(
        user, institution_ids=body.institution_ids, district_ids=body.district_ids, actor=actor
    )
    return _scopes_json(user, scopes)


def _scopes_json(user: User, scopes: user_scopes.Scopes) -> dict[str, Any]:
    return {
        "user_id": user.id,
        "role": str(user.role),
        "institution_ids": scopes.institution_ids,
        "district_ids": scopes.district_ids,
    }


def _district(district_id: int) -> District:
    district = db.session.get(District, district_id)
    if district is None:
        raise not_found()
    return district


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise not_found()
    return user
