"""Library API: publishing — create a material (JSON, or multipart with `files`), read it, and its
author's full (PUT) or partial (PATCH) update; the same services as the authoring pages."""

from __future__ import annotations

from typing import Any, Literal

from flask import g, request
from pydantic import BaseModel, Field, ValidationError

from app.api.core import ApiError, Id, Strict, api_user, endpoint, query_int, require_api, validation_fields
from app.api.library.material_json import MATERIAL_SCHEMA, material_json
from app.i18n import _
from app.input_guard import request_json
from app.library.material_access import sees_everything, visible_material_or_404
from app.permissions.library import can_edit_material, can_publish_materials
from app.timeutil import utcnow
from community.library import authoring
from community.library.material_files import IncomingFile
from community.library.material_input import MaterialInput, input_of
from community.library.material_rules import FILES_MAX, LINKS_MAX, SUMMARY_MAX
from community.library.material_view import material_page
from community.library.models import Material

TAG = "library"
Kind = Literal[
    "lesson_plan", "presentation", "worksheet", "test", "event_scenario", "article", "video", "other"
]


class LinkIn(Strict):
    url: str = Field(max_length=2000)
    title: str = Field(default="", max_length=300)


class MaterialIn(Strict):
    title: str = Field(max_length=1000)
    summary: str = Field(default="", max_length=SUMMARY_MAX)
    kind: Kind
    subjects: list[Id] = Field(max_length=50)
    grades: list[int] = Field(default_factory=list, max_length=11)
    association_id: Id | None = None
    links: list[LinkIn | str] = Field(default_factory=list, max_length=LINKS_MAX)
    submit: bool = False


class MaterialPatch(Strict):
    """Only the fields sent change; `drop_files` takes files (by their stored file id) off the new version."""

    title: str | None = Field(default=None, max_length=1000)
    summary: str | None = Field(default=None, max_length=SUMMARY_MAX)
    kind: Kind | None = None
    subjects: list[Id] | None = Field(default=None, max_length=50)
    grades: list[int] | None = Field(default=None, max_length=11)
    association_id: Id | None = None
    links: list[LinkIn | str] | None = Field(default=None, max_length=LINKS_MAX)
    drop_files: list[Id] = Field(default_factory=list, max_length=FILES_MAX)
    submit: bool = False


@endpoint(
    "/materials",
    "POST",
    summary=(
        "Publish a material: JSON {title, summary, kind, subjects, grades, association_id?, links?, submit}, "
        "or the same fields as multipart form fields (lists repeated or comma-separated) with `files`; "
        "submit=true sends it to moderation (a trusted author's is published at once)"
    ),
    tag=TAG,
    body_media="multipart/form-data",
    response=MATERIAL_SCHEMA,
    status=201,
)
def create_material(body: str) -> Any:
    user = api_user()
    require_api(can_publish_materials(user))
    data, files = _material_body()
    material = authoring.create_material(
        _input(data), IncomingFile.all_of(files), actor=user, now=utcnow(), send=data.submit
    )
    return _answer(material), 201


@endpoint(
    "/materials/<int:material_id>",
    summary="A material: the published version for everyone; for its author and moderators any ?version= "
    "and the version history",
    tag=TAG,
    public=True,
    query={"version": "integer"},
    response=MATERIAL_SCHEMA,
)
def get_material(material_id: int) -> Any:
    user = g.get("api_user")
    material = visible_material_or_404(material_id, user)
    full = sees_everything(user, material)
    number = query_int("version")
    page = material_page(material, full=full, number=number if full else None)
    if number is not None and full and page.version is None:
        raise ApiError(404, _("Not found."), {"version": _("There is no such version.")})
    return material_json(page)


@endpoint(
    "/materials/<int:material_id>",
    "PUT",
    summary="Replace a material's content (its author); a published one gets a new version",
    tag=TAG,
    body=MaterialIn,
    response=MATERIAL_SCHEMA,
)
def replace_material(material_id: int, body: MaterialIn) -> Any:
    user, material = _editable(material_id)
    authoring.update_material(material, _input(body), actor=user, now=utcnow(), send=body.submit)
    return _answer(material)


@endpoint(
    "/materials/<int:material_id>",
    "PATCH",
    summary="Change some of a material's fields (its author): a draft is edited, a published version gets a "
    "successor",
    tag=TAG,
    body=MaterialPatch,
    response=MATERIAL_SCHEMA,
)
def patch_material(material_id: int, body: MaterialPatch) -> Any:
    user, material = _editable(material_id)
    data = input_of(material, authoring.latest_version(material))
    sent = body.model_fields_set
    if "title" in sent:
        data.title = body.title or ""
    if "summary" in sent:
        data.summary = body.summary or ""
    if "kind" in sent:
        data.kind = body.kind or ""
    if "subjects" in sent:
        data.subject_ids = list(body.subjects or [])
    if "grades" in sent:
        data.grades = list(body.grades or [])
    if "association_id" in sent:
        data.association_id = body.association_id
    if "links" in sent:
        data.links = _links(body.links or [])
    authoring.update_material(
        material, data, drop_stored_ids=body.drop_files, actor=user, now=utcnow(), send=body.submit
    )
    return _answer(material)


def _editable(material_id: int) -> tuple[Any, Material]:
    user = api_user()
    material = visible_material_or_404(material_id, user)
    require_api(can_edit_material(user, material))
    return user, material


def _answer(material: Material) -> dict[str, Any]:
    """The material as its author now sees it: the newest version and the history."""
    latest = authoring.latest_version(material)
    return material_json(material_page(material, full=True, number=latest.number))


def _material_body() -> tuple[MaterialIn, list[Any]]:
    """The body from JSON, or from multipart form fields with the files under `files`."""
    if request.mimetype != "multipart/form-data":
        raw: Any = request_json()
        if not isinstance(raw, dict):
            raise ApiError(422, _("The body must be a JSON object."))
        return _validated(MaterialIn, raw), []
    form = request.form
    fields: dict[str, Any] = {
        key: form.get(key) for key in form if key not in ("subjects", "grades", "links")
    }
    for key in ("subjects", "grades"):
        if key in form:
            fields[key] = [
                part.strip() for value in form.getlist(key) for part in value.split(",") if part.strip()
            ]
    if "links" in form:
        fields["links"] = [
            line.strip() for value in form.getlist("links") for line in value.splitlines() if line.strip()
        ]
    if fields.get("association_id") in ("", "0"):
        fields["association_id"] = None
    return _validated(MaterialIn, fields), request.files.getlist("files")


def _validated(model: type[MaterialIn], data: dict[str, Any]) -> MaterialIn:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ApiError(422, _("The data is invalid."), validation_fields(error)) from None


def _links(links: list[LinkIn | str]) -> list[tuple[str, str]]:
    """A link is an address, or an object with its address and title; "address title" strings too."""
    pairs = []
    for link in links:
        if isinstance(link, BaseModel):
            pairs.append((link.url, link.title))
        else:
            url, _space, title = link.strip().partition(" ")
            pairs.append((url, title))
    return pairs


def _input(body: MaterialIn) -> MaterialInput:
    return MaterialInput(
        title=body.title,
        summary=body.summary,
        kind=body.kind,
        subject_ids=list(body.subjects),
        grades=list(body.grades),
        association_id=body.association_id,
        links=_links(body.links),
    )
