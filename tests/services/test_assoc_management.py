"""Editing an association's settings: saved with an audit entry of what changed, refused when a rule
breaks (nothing written), and an edit that changes nothing writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.domain_errors import Invalid
from app.extensions import db
from community.associations.management import edit_association
from community.associations.models import Association, JoinPolicy
from tests.factories.accounts import methodist
from tests.factories.community import AssociationFactory, subjects


def _edit(association: Association, actor, **changes: object) -> Association:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "name": association.name,
        "subject_id": association.subject_id,
        "description": association.description,
        "district": association.district,
        "join_policy": str(association.join_policy),
    }
    values.update(changes)
    return edit_association(association, actor=actor, **values)  # type: ignore[arg-type]


def _entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "association.edited")))


def test_a_methodist_edits_the_settings_and_the_audit_keeps_what_changed(app) -> None:
    association, actor = AssociationFactory(name="МО учителей химии"), methodist()
    chemistry = subjects()["Химия"]
    db.session.commit()
    _edit(
        association,
        actor,
        name="  МО учителей химии и биологии ",
        subject_id=chemistry.id,
        district="",
        join_policy="request",
    )
    db.session.expire_all()
    saved = db.session.get(Association, association.id)
    assert saved is not None and saved.name == "МО учителей химии и биологии"
    assert (
        saved.subject_id == chemistry.id and saved.district == "" and saved.join_policy == JoinPolicy.REQUEST
    )
    (entry,) = _entries()
    assert entry.actor_id == actor.id and set(entry.details) == {
        "name",
        "subject_id",
        "district",
        "join_policy",
    }


def test_an_edit_that_changes_nothing_writes_nothing(app) -> None:
    association, actor = AssociationFactory(), methodist()
    db.session.commit()
    _edit(association, actor)
    assert _entries() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "М" * 256}, "name"),
        ({"district": "р" * 256}, "district"),
        ({"description": "о" * 5001}, "description"),
        ({"join_policy": "everyone"}, "join_policy"),
        ({"subject_id": 2_000_000}, "subject"),
    ],
)
def test_a_broken_rule_is_refused_by_its_field_and_nothing_changes(app, changes, field: str) -> None:
    association, actor = AssociationFactory(name="МО историков"), methodist()
    db.session.commit()
    with pytest.raises(Invalid) as refused:
        _edit(association, actor, **changes)
    assert field in refused.value.fields
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Association, association.id).name == "МО историков"  # type: ignore[union-attr]
    assert _entries() == []
