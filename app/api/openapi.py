"""The OpenAPI 3 document, built from the registered operations and their pydantic models."""

from __future__ import annotations

from typing import Any

from flask import current_app
from pydantic import BaseModel

from app.api.core import OPERATIONS, Operation, endpoint, openapi_path, path_params
from app.input_guard import MAX_INT
from app.pagination import MAX_PAGE

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}


def _schema_ref(model: type[BaseModel] | dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if isinstance(model, dict):
        return model
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


ERROR_DESCRIPTIONS = {
    400: "Malformed request (e.g. a NUL character in the query or the path)",
    401: "No valid bearer token",
    403: "The caller's role does not allow it",
    404: "No such row, or one the caller may not know exists",
    409: "The current state does not allow it",
    413: "The body is too large",
    422: "Invalid input; `fields` names the fields",
    429: "Too many attempts; try again later",
}


def error_statuses(op: Operation) -> list[int]:
    """The 4xx an operation can answer, so that a client (and the fuzz test) knows them all."""
    has_body = op.body is not None or op.body_media != "application/json"
    statuses = {400}  # the input guard answers 400 to a NUL in any query string
    if has_body or op.query or path_params(op.rule):
        statuses.add(422)
    if has_body:
        statuses.add(413)
    if path_params(op.rule):
        statuses.add(404)
    if not op.public:
        statuses |= {401, 403, 404, 409}  # 409 also from reads that need a state, e.g. an advancement preview
    elif op.method == "POST":
        statuses |= {401, 429}  # the token endpoint: a wrong password, the login throttle
    return sorted(statuses)


def _path_parameter(name: str, converter: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if converter == "int":
        schema = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_parameter(name: str, kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    if kind == "integer":
        maximum = {"page": MAX_PAGE, "per_page": current_app.config["API_PER_PAGE_MAX"]}.get(name, MAX_INT)
        schema.update(minimum=1, maximum=maximum)
    return {"name": name, "in": "query", "required": False, "schema": schema}


def build_document() -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    error_body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for op in OPERATIONS:
        path = "/api/v1" + openapi_path(op.rule)
        parameters = [_path_parameter(name, converter) for name, converter in path_params(op.rule)]
        parameters += [_query_parameter(name, kind) for name, kind in op.query.items()]
        responses: dict[str, Any] = {str(op.status): {"description": "OK"}}
        for status in error_statuses(op):
            responses[str(status)] = {"description": ERROR_DESCRIPTIONS[status], "content": error_body}
        if op.response is not None and op.status != 204:
            responses[str(op.status)]["content"] = {
                "application/json": {"schema": _schema_ref(op.response, components)}
            }
        operation: dict[str, Any] = {
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": _operation_id(op.method, op.rule),
            "responses": responses,
        }
        if parameters:
            operation["parameters"] = parameters
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {op.body_media: {"schema": _schema_ref(op.body, components)}},
            }
        elif op.body_media != "application/json":
            operation["requestBody"] = {
                "required": True,
                "content": {op.body_media: {"schema": {"type": "string"}}},
            }
        if not op.public:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Vmeste API",
            "version": "1.0.0",
            "description": "Courses, quizzes, contests and juries for a network of schools.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@endpoint("/openapi.json", summary="This document", tag="meta", public=True)
def openapi_document() -> Any:
    return build_document()


def _operation_id(method: str, rule: str) -> str:
    """A stable id from the method and the rule: `post_api_v1_courses_int_course_id_modules`."""
    path = rule.strip("/").replace("/", "_").replace("<", "").replace(">", "").replace(":", "_")
    return f"{method.lower()}_{path}"
