"""Courses room: a module's items — pages, links and files — and the settings every item kind shares
(completion, prerequisite, weight); also page images. Touches Item, CourseAsset and stored files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.extensions import db
from app.i18n import _
from courses.cache_keys import course_key
from courses.catalogue import MAX_TITLE, audit_scope
from courses.files import ASSET_RULES, ITEM_FILE_RULES, Upload, store_all
from courses.messages import invalid, too_long
from courses.models import Assignment, CompletionRule, Course, CourseAsset, Item, ItemKind, Module


@dataclass
class ItemSettings:
    """What an author sets on any item; kind-specific content travels beside it."""

    title: str
    body: str = ""
    url: str = ""
    hidden: bool = False
    visible_from: datetime | None = None
    completion: str = CompletionRule.NONE.value
    completion_points: Decimal | None = None
    prerequisite_id: int | None = None
    weight: Decimal = Decimal("1")


def add_item(
    module: Module, kind: str, settings: ItemSettings, *, upload: Upload | None = None, actor: User
) -> Item:
    """A page, link or file item (assignments and quizzes have their own use cases)."""
    if kind not in (ItemKind.PAGE, ItemKind.LINK, ItemKind.FILE):
        raise invalid({"kind": _("Unknown item type.")})
    item_kind = ItemKind(kind)
    check_item(settings, item_kind, module.course_id, None)
    stored = None
    if item_kind == ItemKind.FILE:
        if upload is None or not upload.name:
            raise invalid({"upload": _("Choose a file.")})
        stored = store_all([upload], ITEM_FILE_RULES, actor.id, "upload")[0]
    item = new_item(module, item_kind, settings)
    if stored is not None:
        db.session.flush()
        item.file_id = stored.id
    db.session.flush()
    audit.record(
        "course.item_added",
        actor=actor,
        object_type="item",
        object_id=item.id,
        details={"kind": kind},
        **audit_scope(module.course_id),
    )
    bump(course_key(module.course_id))
    db.session.commit()
    return item


def update_item(item: Item, settings: ItemSettings, *, upload: Upload | None = None, actor: User) -> Item:
    """A file item takes a new file only when one is given; the old one stays otherwise."""
    check_item(settings, item.kind, item.course_id, item.id)
    if item.kind == ItemKind.FILE and upload is not None and upload.name:
        stored = store_all([upload], ITEM_FILE_RULES, actor.id, "upload")[0]
        db.session.flush()
        item.file_id = stored.id
    apply_item(item, settings)
    audit.record(
        "course.item_updated",
        actor=actor,
        object_type="item",
        object_id=item.id,
        **audit_scope(item.course_id),
    )
    bump(course_key(item.course_id))
    db.session.commit()
    return item


def delete_item(item: Item, *, actor: User) -> None:
    """An assignment item takes its assignment (and so its submissions) with it."""
    audit.record(
        "course.item_deleted",
        actor=actor,
        object_type="item",
        object_id=item.id,
        details={"title": item.title},
        **audit_scope(item.course_id),
    )
    assignment_id = item.assignment_id
    db.session.delete(item)
    if assignment_id is not None:
        db.session.execute(Assignment.__table__.delete().where(Assignment.id == assignment_id))
    bump(course_key(item.course_id))
    db.session.commit()


def add_asset(course: Course, upload: Upload, *, actor: User) -> CourseAsset:
    """An image for a page; the caller puts its Markdown into the page text."""
    stored = store_all([upload], ASSET_RULES, actor.id, "image")[0]
    db.session.flush()
    asset = CourseAsset(course_id=course.id, file_id=stored.id)
    db.session.add(asset)
    db.session.commit()
    return asset


def check_item(settings: ItemSettings, kind: ItemKind, course_id: int, item_id: int | None) -> None:
    """Trim and check the shared settings; a prerequisite must be another item of the same course."""
    fields: dict[str, str] = {}
    settings.title = settings.title.strip()
    settings.url = settings.url.strip()
    if not settings.title:
        fields["title"] = _("Enter the title.")
    elif len(settings.title) > MAX_TITLE:
        fields["title"] = too_long(MAX_TITLE)
    if kind == ItemKind.LINK and not settings.url.startswith(("http://", "https://")):
        fields["url"] = _("Enter an address starting with http:// or https://.")
    if settings.completion not in {c.value for c in CompletionRule}:
        fields["completion"] = _("Unknown completion condition.")
    elif settings.completion in (CompletionRule.SUBMITTED, CompletionRule.GRADED) and kind not in (
        ItemKind.ASSIGNMENT,
        ItemKind.QUIZ,
    ):
        fields["completion"] = _("Only assignments and quizzes can be submitted or graded.")
    if (
        settings.completion_points is not None and not 0 <= settings.completion_points <= 10000
    ):  # as max_points
        fields["completion_points"] = _("Must be between %(lo)s and %(hi)s.", lo=0, hi=10000)
    if settings.weight < 0:
        fields["weight"] = _("Must be at least %(n)s.", n=0)
    if settings.prerequisite_id is not None:
        if settings.prerequisite_id == item_id:
            fields["prerequisite_id"] = _("An item cannot require itself.")
        elif (
            db.session.scalar(select(Item.course_id).where(Item.id == settings.prerequisite_id)) != course_id
        ):
            fields["prerequisite_id"] = _("Choose an item of this course.")
    if fields:
        raise invalid(fields)


def apply_item(item: Item, settings: ItemSettings) -> None:
    """Copy checked settings onto the row (every item kind shares them)."""
    item.title, item.body, item.url = settings.title, settings.body, settings.url
    item.hidden, item.visible_from = settings.hidden, settings.visible_from
    item.completion = CompletionRule(settings.completion)
    item.completion_points = settings.completion_points
    item.prerequisite_id = settings.prerequisite_id
    item.weight = settings.weight


def new_item(module: Module, kind: ItemKind, settings: ItemSettings) -> Item:
    """A new item at the end of its module (added to the session, not flushed)."""
    position = (
        db.session.scalar(select(func.count()).select_from(Item).where(Item.module_id == module.id)) or 0
    )
    item = Item(course_id=module.course_id, module_id=module.id, kind=kind, position=position)
    apply_item(item, settings)
    db.session.add(item)
    return item
