"""The OpenAPI 3 document, built from the registered operations and their pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.api.core import OPERATIONS, endpoint, openapi_path, path_names

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


def build_document() -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        path = "/api/v1" + openapi_path(op.rule)
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
            for name in path_names(op.rule)
        ] + [
            {"name": name, "in": "query", "required": False, "schema": {"type": kind}}
            for name, kind in op.query.items()
        ]
        responses: dict[str, Any] = {
            str(op.status): {"description": "OK"},
            "4XX": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        }
        if op.response is not None and op.status != 204:
            responses[str(op.status)]["content"] = {"application/json": {"schema": _schema_ref(op.response, components)}}
        operation: dict[str, Any] = {
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": f"{op.method.lower()}_{op.rule.strip('/').replace('/', '_').replace('<', '').replace('>', '').replace(':', '_')}",
            "responses": responses,
        }
        if parameters:
            operation["parameters"] = parameters
        if op.body is not None:
            operation["requestBody"] = {"required": True, "content": {op.body_media: {"schema": _schema_ref(op.body, components)}}}
        elif op.body_media != "application/json":
            operation["requestBody"] = {"required": True, "content": {op.body_media: {"schema": {"type": "string"}}}}
        if not op.public:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(path, {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Vmeste API", "version": "1.0.0",
                 "description": "Courses, quizzes, contests and juries for a network of schools."},
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
