"""Methodical library: a colleague's 1–5 star rating of a published material, one per colleague
(a second rating changes the first), never by its author. The material's rating_sum and
ratings_count change by atomic UPDATEs: a new row adds its stars and one, a changed row adds the
difference, guarded by the stars it replaced — so two ratings at once leave one row and true sums."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Forbidden
from app.extensions import db, rows_changed
from app.i18n import _
from community.library import discussion_rules as rules
from community.library.messages import refusal
from community.library.models import CATALOGUE_VERSION, Material, MaterialRating, MaterialStatus
from community.rules import RuleError

# A changed rating retries when another request changed the same row between read and update.
_ATTEMPTS = 5


@dataclass(frozen=True)
class RatingSummary:
    average: Decimal | None
    count: int


def rate_material(material: Material, actor: User, value: Any, *, now: datetime) -> RatingSummary:
    try:
        stars = rules.stars(value)
    except RuleError as error:
        raise refusal(error) from None
    if material.author_id == actor.id:
        raise Forbidden(_("Authors do not rate their own materials."))
    if material.status != MaterialStatus.PUBLISHED:
        raise Conflict(_("Only a published material can be rated."))
    previous = _insert(material.id, actor.id, stars, now)
    if previous is None:
        _add(material.id, stars, 1)
    else:
        previous = _change(material.id, actor.id, stars, now)
    audit.record(
        "library.material_rated",
        actor=actor,
        scope_type="material",
        scope_id=material.id,
        details={"stars": stars, "previous": previous},
    )
    db.session.commit()
    return summary_of(material.id)


def summary_of(material_id: int) -> RatingSummary:
    row = db.session.execute(
        select(Material.rating_sum, Material.ratings_count).where(Material.id == material_id)
    ).one()
    return RatingSummary(rules.average(row.rating_sum, row.ratings_count), row.ratings_count)


def my_stars(material_id: int, user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(MaterialRating.stars).where(
            MaterialRating.material_id == material_id, MaterialRating.user_id == user.id
        )
    )


def _insert(material_id: int, user_id: int, stars: int, now: datetime) -> int | None:
    """Insert the colleague's first rating; None when inserted, else 0 (a row already exists)."""
    try:
        with db.session.begin_nested():
            db.session.add(
                MaterialRating(
                    material_id=material_id, user_id=user_id, stars=stars, created_at=now, updated_at=now
                )
            )
    except IntegrityError:
        return 0
    return None


def _change(material_id: int, user_id: int, stars: int, now: datetime) -> int:
    """Replace the existing rating's stars and move the sum by the difference; the stars replaced."""
    for _attempt in range(_ATTEMPTS):
        old = db.session.scalar(
            select(MaterialRating.stars).where(
                MaterialRating.material_id == material_id, MaterialRating.user_id == user_id
            )
        )
        if old is None:  # withdrawn meanwhile (the user was deleted): nothing to change
            raise Conflict(_("The rating changed meanwhile; try again."))
        changed = rows_changed(
            update(MaterialRating)
            .where(
                MaterialRating.material_id == material_id,
                MaterialRating.user_id == user_id,
                MaterialRating.stars == old,
            )
            .values(stars=stars, updated_at=now)
        )
        if changed:
            if stars != old:
                _add(material_id, stars - old, 0)
            return int(old)
    raise Conflict(_("The rating changed meanwhile; try again."))


def _add(material_id: int, stars: int, count: int) -> None:
    bump(CATALOGUE_VERSION)  # the cards show the average and the number of ratings
    rows_changed(
        update(Material)
        .where(Material.id == material_id)
        .values(rating_sum=Material.rating_sum + stars, ratings_count=Material.ratings_count + count)
    )
