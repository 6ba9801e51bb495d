"""Nobody decides on their own material (review finding): a leader filing under the association they
lead, or a methodist who writes, waits for another moderator — refused in the service, the page and
the API, and left out of their own queue and dashboard count; nor do they revoke its certificate."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.domain_errors import Forbidden
from app.extensions import db
from app.timeutil import utcnow
from community.associations.models import Association
from community.library import moderation
from community.library.models import Material, MaterialStatus, MaterialVersion, VersionState
from community.library.review_rules import check_reviewer
from community.rules import RuleError
from tests.conftest import login
from tests.factories.accounts import methodist, teacher
from tests.factories.community import AssociationFactory, add_member, published_material

LINK = "http://localhost/library/materials/1"


def _leader_with_own_pending() -> tuple[Any, Material, MaterialVersion]:
    association = AssociationFactory()
    leader = teacher()
    add_member(association, leader, leader=True)
    material = published_material(
        leader, status=MaterialStatus.PENDING, association=association, title="Мой урок"
    )
    db.session.commit()
    version = db.session.scalars(
        select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    return leader, material, version


def test_the_rule_refuses_the_author_only() -> None:
    check_reviewer(author_id=1, reviewer_id=2)
    with pytest.raises(RuleError) as refused:
        check_reviewer(author_id=3, reviewer_id=3)
    assert refused.value.code == "review_own_material"


@pytest.mark.parametrize("decision", ["publish", "reject"])
def test_a_leader_cannot_decide_on_their_own_material(app, decision: str) -> None:
    leader, material, version = _leader_with_own_pending()
    with pytest.raises(Forbidden) as refused:
        moderation.review(version, decision, "Сам себе", actor=leader, now=utcnow(), link=LINK)
    assert "собственный" in refused.value.message
    db.session.expire_all()
    assert db.session.get(Material, material.id).status == MaterialStatus.PENDING
    assert db.session.get(MaterialVersion, version.id).state == VersionState.PENDING


def test_a_methodist_author_waits_for_another_moderator(app) -> None:
    writer = methodist()
    material = published_material(writer, status=MaterialStatus.PENDING)
    db.session.commit()
    version = db.session.scalars(
        select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    with pytest.raises(Forbidden):
        moderation.review(version, "publish", "", actor=writer, now=utcnow(), link=LINK)
    moderation.review(version, "publish", "", actor=methodist(), now=utcnow(), link=LINK)
    assert db.session.get(Material, material.id).status == MaterialStatus.PUBLISHED


def test_the_own_material_is_out_of_the_leaders_queue(app) -> None:
    leader, material, _version = _leader_with_own_pending()
    colleague = teacher()
    association = db.session.get(Association, material.association_id)
    published_material(
        colleague, status=MaterialStatus.PENDING, association=association, title="Урок коллеги"
    )
    db.session.commit()
    scope = [material.association_id]
    titles = [row[3] for row in db.session.execute(moderation.queue_query(scope, leader.id))]
    assert titles == ["Урок коллеги"]
    assert moderation.queue_summary(scope, leader.id)[0] == 1
    assert moderation.queue_summary(scope)[0] == 2


def test_the_page_and_the_api_refuse_the_author(app, client, api) -> None:
    leader, material, version = _leader_with_own_pending()
    login(client, leader)
    page = client.get(f"/library/versions/{version.id}/review").get_data(as_text=True)
    assert "review-form" not in page
    posted = client.post(f"/library/versions/{version.id}/review", data={"decision": "publish"})
    assert posted.status_code == 422 and "собственный" in posted.get_data(as_text=True)
    response = api(leader).post(f"/materials/{material.id}/review", {"decision": "publish"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Material, material.id).status == MaterialStatus.PENDING


def test_a_leader_cannot_revoke_the_certificate_of_their_own_material(app, client, api) -> None:
    association = AssociationFactory()
    leader = teacher()
    add_member(association, leader, leader=True)
    material = published_material(leader, association=association)
    db.session.commit()
    answer = api(leader).post(f"/materials/{material.id}/certificate/revoke", {"reason": "Сам у себя"})
    assert answer.status_code == 403
    login(client, leader)
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert f"/library/materials/{material.id}/certificate/revoke" not in page
    assert client.get(f"/library/materials/{material.id}/certificate/revoke").status_code == 403
    other = teacher()
    add_member(association, other, leader=True)
    db.session.commit()
    revoked = api(other).post(f"/materials/{material.id}/certificate/revoke", {"reason": "Плагиат"})
    assert revoked.status_code == 200
