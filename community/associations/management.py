"""Associations room: a methodist or administrator corrects an association (name, subject,
description, district, who may join). Writes Association only; the audit entry keeps what changed.

Opening the association to everyone does not admit the pending requests by itself: they stay for a
leader to answer, as the people asked to be let in under the old rule.
"""

from __future__ import annotations

from sqlalchemy import update

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.extensions import db
from community.associations.models import Association, JoinPolicy
from community.associations.rules import check_association
from community.library.messages import refusal
from community.rules import RuleError
from community.subjects import Subject


def edit_association(
    association: Association,
    *,
    name: str,
    subject_id: int | None,
    description: str,
    district: str,
    join_policy: str,
    actor: User,
) -> Association:
    """Save the association's new settings. Two methodists saving at once: the later one's settings
    stand whole (no rule spans two requests here; each audit entry keeps what its save changed)."""
    name, description, district = name.strip(), description.strip(), district.strip()
    try:
        check_association(name, description, district, join_policy)
        if subject_id is not None and db.session.get(Subject, subject_id) is None:
            raise RuleError("association_unknown_subject", "subject")
    except RuleError as error:
        raise refusal(error) from None
    values = {
        "name": name,
        "subject_id": subject_id,
        "description": description,
        "district": district,
        "join_policy": JoinPolicy(join_policy),
    }
    before = {
        "name": association.name,
        "subject_id": association.subject_id,
        "description": association.description,
        "district": association.district,
        "join_policy": association.join_policy,
    }
    changed = {key: str(value) for key, value in values.items() if before[key] != value}
    if not changed:
        return association
    db.session.execute(
        update(Association)
        .where(Association.id == association.id)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    if "name" in changed:
        bump("names")  # the library's facets are kept rendered with associations' names
    audit.record(
        "association.edited",
        actor=actor,
        scope_type="association",
        scope_id=association.id,
        object_type="association",
        object_id=association.id,
        details={key: value[:200] for key, value in changed.items()},
    )
    db.session.commit()
    db.session.refresh(association)
    return association
