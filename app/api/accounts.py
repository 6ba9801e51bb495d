"""API: tokens, the caller, users and institutions."""

from __future__ import annotations

import math
from typing import Any, Literal

from flask import request
from pydantic import BaseModel, Field
from sqlalchemy import select

from app import account_services, institutions, user_import
from app.accounts import Institution, Role, User
from app.api.core import (
    ApiError,
    Id,
    Strict,
    api_user,
    endpoint,
    not_found,
    page_params,
    paginated,
    require_api,
)
from app.email_address import Email
from app.errors import json_error
from app.extensions import db
from app.i18n import _
from app.login import log_in_for_token
from app.pagination import paginate
from app.permissions import (
    can_create_users,
    can_grant_role,
    can_manage_institutions,
    can_manage_users,
    can_view_user,
)
from app.security import client_address
from app.tabular_http import import_report_json, request_table, valid_only_wanted
from app.timeutil import utcnow

InstitutionTypeName = Literal[
    "school",
    "gymnasium",
    "lyceum",
    "methodical_centre",
    "qualification_institute",
    "additional_education",
    "university",
    "other",
]


class TokenIn(Strict):
    email: str = Field(min_length=3, max_length=255)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    token: str


class InstitutionIn(Strict):
    name: str = Field(min_length=1, max_length=255)
    # The district record (GET /districts); the older text fields still work when it is absent.
    type: InstitutionTypeName = "school"
    district_id: Id | None = None
    district: str = Field(default="", max_length=255)
    region: str = Field(default="", max_length=255)


class InstitutionOut(BaseModel):
    id: int
    name: str
    type: InstitutionTypeName
    district_id: int | None
    district: str
    region: str


RoleName = Literal[
    "admin", "organiser", "teacher", "student", "juror", "methodist", "coordinator", "district_methodist"
]


class UserIn(Strict):
    email: Email = Field(min_length=3, max_length=255)
    full_name: str = Field(min_length=1, max_length=255)
    password: str = Field(min_length=8, max_length=200)
    role: RoleName = "teacher"
    institution_id: Id | None = None


class UserOut(BaseModel):
    id: int
    email: str
    full_name: str
    role: RoleName
    institution_id: int | None
    timezone: str
    locale: str
    active: bool


class ImportLine(BaseModel):
    line: int
    text: str
    message: str


class ImportOut(BaseModel):
    created: int
    errors: list[ImportLine]


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "role": str(user.role),
        "institution_id": user.institution_id,
        "timezone": user.timezone,
        "locale": user.locale,
        "active": user.active,
    }


def institution_json(institution: Institution) -> dict[str, Any]:
    return {
        "id": institution.id,
        "name": institution.name,
        "type": str(institution.type),
        "district_id": institution.district_id,
        "district": institution.district,
        "region": institution.region,
    }


@endpoint(
    "/auth/token",
    "POST",
    summary="Exchange e-mail and password for a bearer token",
    tag="auth",
    body=TokenIn,
    response=TokenOut,
    public=True,
)
def create_token(body: TokenIn) -> Any:
    try:
        token = log_in_for_token(body.email, body.password, client_address(), now=utcnow())
    except account_services.LoginRefused as refused:
        if refused.retry_after is None:
            raise ApiError(401, refused.message) from None
        response, status = json_error(429, refused.message)  # the throttle asks this client to wait
        response.headers["Retry-After"] = str(max(1, math.ceil(refused.retry_after)))
        response.status_code = status
        return response
    return {"token": token}


@endpoint("/auth/token", "DELETE", summary="Revoke the token this request carries", tag="auth", status=204)
def delete_token() -> Any:
    raw = request.headers.get("Authorization", "")[7:].strip()
    account_services.revoke_token(raw)
    return "", 204


@endpoint("/me", summary="The caller", tag="users", response=UserOut)
def me() -> Any:
    return user_json(api_user())


@endpoint(
    "/users",
    "POST",
    summary="Create a user (admin; organisers for teacher, student, juror)",
    tag="users",
    body=UserIn,
    response=UserOut,
    status=201,
)
def create_user(body: UserIn) -> Any:
    actor = api_user()
    require_api(can_create_users(actor))
    if not can_grant_role(actor, body.role):
        raise ApiError(403, _("You may not create users with the role “%(role)s”.", role=body.role))
    user = account_services.create_user(
        email=body.email,
        full_name=body.full_name,
        password=body.password,
        role=Role(body.role),
        institution_id=body.institution_id,
        actor=actor,
    )
    return user_json(user), 201


@endpoint(
    "/users",
    summary="List users (admin)",
    tag="users",
    query={"page": "integer", "per_page": "integer", "q": "string"},
)
def list_users() -> Any:
    actor = api_user()
    require_api(can_manage_users(actor))
    page, per_page = page_params()
    query = select(User).order_by(User.id)
    search = request.args.get("q", "").strip()
    if search:
        query = query.where(User.email.ilike(f"%{search}%") | User.full_name.ilike(f"%{search}%"))
    return paginated(paginate(query, page, per_page), user_json)


@endpoint(
    "/users/<int:user_id>", summary="One user (admin, organiser, or the user)", tag="users", response=UserOut
)
def get_user(user_id: int) -> Any:
    actor = api_user()
    user = db.session.get(User, user_id)
    if user is None or not can_view_user(actor, user):
        raise not_found()
    return user_json(user)


@endpoint(
    "/users/import",
    "POST",
    summary=(
        "Import users from a table (columns email, full_name, role, institution, or «почта», «ФИО», «роль», "
        "«учреждение»): CSV in UTF-8 or cp1251 separated by , ; or TAB, or XLSX, as the raw body or a "
        "multipart `file`; all or nothing unless ?valid_only=1"
    ),
    tag="users",
    body_media="multipart/form-data",
    query={"valid_only": "boolean"},
    response=ImportOut,
)
def import_users(body: str) -> Any:
    actor = api_user()
    require_api(can_create_users(actor))
    result = user_import.import_users(request_table(), actor=actor, valid_only=valid_only_wanted())
    return import_report_json(result.created, result.errors), 200


@endpoint(
    "/institutions",
    "POST",
    summary="Create an institution (admin)",
    tag="institutions",
    body=InstitutionIn,
    response=InstitutionOut,
    status=201,
)
def create_institution(body: InstitutionIn) -> Any:
    actor = api_user()
    require_api(can_manage_institutions(actor))
    institution = institutions.save_institution(
        None,
        name=body.name,
        kind=body.type,
        district_id=body.district_id,
        district=body.district,
        region=body.region,
        actor=actor,
    )
    return institution_json(institution), 201


@endpoint(
    "/institutions",
    summary="List the network's institutions",
    tag="institutions",
    query={"page": "integer", "per_page": "integer"},
)
def list_institutions() -> Any:
    api_user()
    page, per_page = page_params()
    query = select(Institution).order_by(Institution.district, Institution.name, Institution.id)
    return paginated(paginate(query, page, per_page), institution_json)
