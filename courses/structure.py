"""Courses room: a course's modules (sections) — adding, editing, ordering, deleting — and loading
the structure of modules and items. Touches Module and the order of Item rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.extensions import db
from app.i18n import _
from courses import rules
from courses.cache_keys import course_key
from courses.catalogue import MAX_TITLE, audit_scope
from courses.messages import invalid, refusal, too_long
from courses.models import Course, Item, Module


def add_module(
    course: Course,
    *,
    title: str,
    position: int | None = None,
    hidden: bool = False,
    visible_from: datetime | None = None,
    actor: User,
) -> Module:
    """Append a module (or insert it at `position`, shifting the later ones down)."""
    title = title.strip()
    if not title:
        raise invalid({"title": _("Enter the module title.")})
    if len(title) > MAX_TITLE:
        raise invalid({"title": too_long(MAX_TITLE)})
    if position is not None and position < 0:
        raise invalid({"position": _("Must be at least %(n)s.", n=0)})
    ids = list(
        db.session.scalars(
            select(Module.id).where(Module.course_id == course.id).order_by(Module.position, Module.id)
        )
    )
    module = Module(
        course_id=course.id, title=title, hidden=hidden, visible_from=visible_from, position=len(ids)
    )
    db.session.add(module)
    db.session.flush()
    if position is not None and position < len(ids):
        ids.insert(position, module.id)
        renumber(Module, ids)
    audit.record(
        "course.module_added",
        actor=actor,
        object_type="module",
        object_id=module.id,
        **audit_scope(course.id),
    )
    bump(course_key(course.id))
    db.session.commit()
    return module


def update_module(
    module: Module, *, title: str, hidden: bool, visible_from: datetime | None, actor: User
) -> Module:
    """Rename, hide or date a module; its place and items stay."""
    title = title.strip()
    if not title:
        raise invalid({"title": _("Enter the module title.")})
    module.title, module.hidden, module.visible_from = title[:MAX_TITLE], hidden, visible_from
    audit.record(
        "course.module_updated",
        actor=actor,
        object_type="module",
        object_id=module.id,
        **audit_scope(module.course_id),
    )
    bump(course_key(module.course_id))
    db.session.commit()
    return module


def delete_module(module: Module, *, actor: User) -> None:
    """The module goes with its items (the audit entry keeps its title)."""
    course_id = module.course_id
    audit.record(
        "course.module_deleted",
        actor=actor,
        object_type="module",
        object_id=module.id,
        details={"title": module.title},
        **audit_scope(course_id),
    )
    db.session.delete(module)
    bump(course_key(course_id))
    db.session.commit()


def move_module(module: Module, direction: str, *, actor: User) -> None:
    """One place up or down among the course's modules (unchanged at the ends)."""
    ids = list(
        db.session.scalars(
            select(Module.id).where(Module.course_id == module.course_id).order_by(Module.position, Module.id)
        )
    )
    renumber(Module, _moved(ids, module.id, direction))
    audit.record(
        "course.module_moved",
        actor=actor,
        object_type="module",
        object_id=module.id,
        details={"direction": direction},
        **audit_scope(module.course_id),
    )
    bump(course_key(module.course_id))
    db.session.commit()


def move_item(item: Item, direction: str, *, actor: User) -> None:
    """One place up or down within its module (unchanged at the ends)."""
    ids = list(
        db.session.scalars(
            select(Item.id).where(Item.module_id == item.module_id).order_by(Item.position, Item.id)
        )
    )
    renumber(Item, _moved(ids, item.id, direction))
    audit.record(
        "course.item_moved",
        actor=actor,
        object_type="item",
        object_id=item.id,
        details={"direction": direction},
        **audit_scope(item.course_id),
    )
    bump(course_key(item.course_id))
    db.session.commit()


def load_structure(course_id: int, *, with_files: bool = True) -> list[Module]:
    """Modules with their items (and assignments) in two queries; `with_files=False` leaves out the
    items' stored files (the course page never shows them; `item.file` then raises)."""
    options = [selectinload(Module.items).joinedload(Item.assignment)]
    if with_files:
        options.append(selectinload(Module.items).joinedload(Item.file))
    return list(
        db.session.scalars(
            select(Module)
            .where(Module.course_id == course_id)
            .order_by(Module.position, Module.id)
            .options(*options)
        ).unique()
    )


def renumber(model: Any, ids: Sequence[int]) -> None:
    """Write positions 0, 1, 2… in the given order (flushed with the caller's commit)."""
    for position, row_id in enumerate(ids):
        db.session.execute(update(model).where(model.id == row_id).values(position=position))


def _moved(ids: list[int], moving: int, direction: str) -> list[int]:
    try:
        return rules.move(ids, moving, direction)
    except rules.RuleError as error:
        raise refusal(error) from None
