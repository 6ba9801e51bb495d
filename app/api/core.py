"""API plumbing: authentication, body validation with pydantic, the error shape, pagination and
the registry the OpenAPI document is built from."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from werkzeug.exceptions import HTTPException

from app.account_services import user_for_token
from app.accounts import User
from app.errors import json_error
from app.i18n import _
from app.input_guard import MAX_INT, request_json
from app.pagination import MAX_PAGE, Page
from app.permissions import require
from app.timeutil import in_range, out_of_range_message


@dataclass
class Operation:
    """One documented endpoint."""

    rule: str
    method: str
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    body_media: str = "application/json"
    response: type[BaseModel] | dict[str, Any] | None = None
    status: int = 200
    public: bool = False
    query: dict[str, str] = field(default_factory=dict)


class Strict(BaseModel):
    """Base of every request body: unknown fields are refused, strings are stripped, and every date
    or time lies in timeutil's accepted years (9999-12-31T23:00-12:00 cannot even be put in UTC)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _moments_in_range(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, date) and not in_range(value):
            raise ValueError(out_of_range_message())
        return value


# An id in a body or a query: what the database's integer holds (a bigger one is a 422, not a 500).
Id = Annotated[int, Field(ge=1, le=MAX_INT)]


OPERATIONS: list[Operation] = []
_bp: Blueprint | None = None


class ApiError(HTTPException):
    """Raise from an endpoint to answer with the error shape and a specific code and fields."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = status
        self.message = message
        self.fields = fields or {}


def init_blueprint(bp: Blueprint) -> None:
    global _bp
    _bp = bp

    @bp.before_request
    def authenticate() -> None:
        g.api_user = None
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            g.api_user = user_for_token(header[7:].strip())

    @bp.errorhandler(ApiError)
    def api_error(error: ApiError):  # type: ignore[no-untyped-def]
        response, status = json_error(error.code or 400, error.message, error.fields)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="vmeste"'  # RFC 6750: say which scheme
        return response, status


def api_user() -> User:
    user = g.get("api_user")
    if user is None:
        raise ApiError(401, _("A valid bearer token is required."))
    return user


def endpoint(
    rule: str,
    method: str = "GET",
    *,
    summary: str,
    tag: str,
    body: type[BaseModel] | None = None,
    body_media: str = "application/json",
    response: type[BaseModel] | dict[str, Any] | None = None,
    status: int = 200,
    public: bool = False,
    query: dict[str, str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view: authenticates (unless public), parses and validates the body, and passes
    `body=` (a model instance, or raw text for non-JSON media) to the view."""
    operation = Operation(rule, method, summary, tag, body, body_media, response, status, public, query or {})
    OPERATIONS.append(operation)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            if not public:
                api_user()
            if body is not None:
                kwargs["body"] = parse_body(body)
            elif body_media != "application/json":
                kwargs["body"] = read_text_body(body_media)
            result = view(**kwargs)
            if isinstance(result, Response):
                return result
            if isinstance(result, tuple):
                payload, code = result
                return jsonify(payload), code
            return jsonify(result), status

        assert _bp is not None
        _bp.add_url_rule(
            rule,
            endpoint=f"{view.__module__.rsplit('.', 1)[-1]}_{view.__name__}",
            view_func=wrapped,
            methods=[method],
        )
        return wrapped

    return decorator


def read_text_body(media: str) -> str:
    if media == "multipart/form-data":
        return ""
    raw = request.get_data(cache=True)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(422, _("The body must be UTF-8 text.")) from None


def parse_body(model: type[BaseModel]) -> BaseModel:
    data = request_json()
    if not isinstance(data, dict):
        raise ApiError(422, _("The body must be a JSON object."))
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = validation_fields(error)
        raise ApiError(422, _("The data is invalid."), fields) from None


_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda e: _("This field is required."),
    "string_type": lambda e: _("Must be a string."),
    "int_type": lambda e: _("Must be a whole number."),
    "int_parsing": lambda e: _("Must be a whole number."),
    "int_from_float": lambda e: _("Must be a whole number."),
    "float_parsing": lambda e: _("Must be a number."),
    "decimal_parsing": lambda e: _("Must be a number."),
    "bool_type": lambda e: _("Must be true or false."),
    "bool_parsing": lambda e: _("Must be true or false."),
    "list_type": lambda e: _("Must be a list."),
    "dict_type": lambda e: _("Must be an object."),
    "model_type": lambda e: _("Must be an object."),
    "datetime_parsing": lambda e: _("Must be a date and time in ISO 8601 with an offset."),
    "datetime_type": lambda e: _("Must be a date and time in ISO 8601 with an offset."),
    "datetime_from_date_parsing": lambda e: _("Must be a date and time in ISO 8601 with an offset."),
    "timezone_aware": lambda e: _("The time must carry an offset, e.g. +03:00."),
    "date_parsing": lambda e: _("Must be a date, e.g. 2027-09-01."),
    "date_type": lambda e: _("Must be a date, e.g. 2027-09-01."),
    "date_from_datetime_parsing": lambda e: _("Must be a date, e.g. 2027-09-01."),
    "date_from_datetime_inexact": lambda e: _("Must be a date, e.g. 2027-09-01."),
    "too_short": lambda e: _("Must have at least %(n)s items.", n=e.get("ctx", {}).get("min_length", "?")),
    "too_long": lambda e: _("Must have at most %(n)s items.", n=e.get("ctx", {}).get("max_length", "?")),
    "string_too_short": lambda e: _("Too short."),
    "string_too_long": lambda e: _(
        "Too long (at most %(n)s characters).", n=e.get("ctx", {}).get("max_length", "?")
    ),
    "greater_than_equal": lambda e: _("Must be at least %(n)s.", n=e.get("ctx", {}).get("ge", "?")),
    "greater_than": lambda e: _("Must be greater than %(n)s.", n=e.get("ctx", {}).get("gt", "?")),
    "less_than_equal": lambda e: _("Must be at most %(n)s.", n=e.get("ctx", {}).get("le", "?")),
    "less_than": lambda e: _("Must be less than %(n)s.", n=e.get("ctx", {}).get("lt", "?")),
    "literal_error": lambda e: _("Must be one of: %(values)s.", values=e.get("ctx", {}).get("expected", "")),
    "enum": lambda e: _("Must be one of: %(values)s.", values=e.get("ctx", {}).get("expected", "")),
    "extra_forbidden": lambda e: _("Unknown field."),
    "value_error": lambda e: str(e.get("ctx", {}).get("error", e.get("msg", ""))),
}


def validation_fields(error: ValidationError) -> dict[str, str]:
    """pydantic's errors → {"field.path": "translated message"}; the first error per field wins."""
    fields: dict[str, str] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        message = _MESSAGES.get(item["type"], lambda e: str(e.get("msg", "")))(dict(item))
        fields.setdefault(name, message)
    return fields


def query_int(
    name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_INT
) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(422, _("The data is invalid."), {name: _("Must be a whole number.")}) from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ApiError(
            422,
            _("The data is invalid."),
            {name: _("Must be between %(lo)s and %(hi)s.", lo=minimum, hi=maximum)},
        )
    return value


def page_params(default_per_page: int = 50) -> tuple[int, int]:
    maximum = current_app.config["API_PER_PAGE_MAX"]
    page = query_int("page", 1, maximum=MAX_PAGE) or 1
    per_page = query_int("per_page", default_per_page, maximum=maximum) or default_per_page
    return page, per_page


def paginated(page: Page[Any], serialise: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": [serialise(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }


def not_found() -> ApiError:
    return ApiError(404, _("Not found."))


# The same 403 as the HTML views; the error handler gives API requests the JSON error shape.
require_api = require


_PARAM = re.compile(r"<(?:([^:<>]+):)?([^<>]+)>")


def openapi_path(rule: str) -> str:
    return _PARAM.sub(r"{\2}", rule)


def path_params(rule: str) -> list[tuple[str, str]]:
    """(name, converter) of a rule's <converter:name> parts, in order ("string" when none is named)."""
    return [(name, converter or "string") for converter, name in _PARAM.findall(rule)]
