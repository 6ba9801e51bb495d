"""Moderation pages: the queue (who sees it, whose materials, the late flag, fixed queries), the review
form (publish, reject needs a reason), the moderator's dashboard card, trusted authors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.timeutil import utcnow
from community.library.models import Material, MaterialStatus, MaterialVersion, VersionState
from tests.conftest import login
from tests.factories.accounts import admin, methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material


def _pending(*, association: Any = None, days_ago: float = 0, title: str = "Урок по дробям") -> Material:
    material = published_material(
        teacher(), status=MaterialStatus.PENDING, association=association, title=title
    )
    version = db.session.scalar(select(MaterialVersion).where(MaterialVersion.material_id == material.id))
    assert version is not None
    version.submitted_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return material


def _version_id(material: Material) -> int:
    return (
        db.session.scalar(select(MaterialVersion.id).where(MaterialVersion.material_id == material.id)) or 0
    )


def test_the_methodists_queue_is_oldest_first_and_flags_a_late_queue(client, app) -> None:
    _pending(days_ago=1, title="Свежий урок")
    _pending(days_ago=5, title="Старый урок")
    login(client, methodist())
    page = client.get("/library/queue").get_data(as_text=True)
    assert page.index("Старый урок") < page.index("Свежий урок")
    assert 'id="queue-late"' in page and "5 дней" in page


def test_a_queue_within_the_days_is_not_flagged(client, app) -> None:
    _pending(days_ago=2)
    login(client, methodist())
    page = client.get("/library/queue").get_data(as_text=True)
    assert 'id="queue-late"' not in page and "2 дня" in page


def test_the_days_come_from_the_config(client, app) -> None:
    _pending(days_ago=2)
    login(client, methodist())
    app.config["LIBRARY_QUEUE_DAYS"] = 1
    try:
        assert 'id="queue-late"' in client.get("/library/queue").get_data(as_text=True)
    finally:
        app.config["LIBRARY_QUEUE_DAYS"] = 3


def test_a_leader_sees_only_their_associations_materials(client, app) -> None:
    mine, other = AssociationFactory(), AssociationFactory()
    leader = teacher()
    add_member(mine, leader, leader=True)
    _pending(association=mine, title="Наш урок")
    _pending(association=other, title="Чужой урок")
    _pending(title="Урок без объединения")
    login(client, leader)
    page = client.get("/library/queue").get_data(as_text=True)
    assert "Наш урок" in page and "Чужой урок" not in page and "Урок без объединения" not in page


@pytest.mark.parametrize("make", [teacher, student])
def test_others_have_no_queue(client, app, make: Any) -> None:
    login(client, make())
    assert client.get("/library/queue").status_code == 403


def test_the_queue_runs_a_fixed_number_of_queries(client, app, count_queries) -> None:
    moderator = methodist()
    login(client, moderator)
    counts = []
    for size in (1, 6):
        for _ in range(size):
            _pending(association=AssociationFactory())
        with count_queries() as counter:
            assert client.get("/library/queue").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_a_methodist_publishes_from_the_review_page(client, app, outbox) -> None:
    material = _pending()
    login(client, methodist())
    version_id = _version_id(material)
    assert "review-form" in client.get(f"/library/versions/{version_id}/review").get_data(as_text=True)
    response = client.post(f"/library/versions/{version_id}/review", data={"decision": "publish"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Material, material.id).status == MaterialStatus.PUBLISHED
    assert len(outbox()) == 1
    again = client.post(f"/library/versions/{version_id}/review", data={"decision": "publish"})
    assert again.status_code == 422 and "уже рассмотрена" in again.get_data(as_text=True)


def test_rejecting_without_a_reason_shows_the_error_by_the_field(client, app) -> None:
    material = _pending()
    login(client, methodist())
    response = client.post(f"/library/versions/{_version_id(material)}/review", data={"decision": "reject"})
    assert response.status_code == 422
    assert "is-invalid" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Material, material.id).status == MaterialStatus.PENDING


def test_the_leader_of_another_association_cannot_decide_or_see(client, app) -> None:
    material = _pending(association=AssociationFactory())
    outsider = teacher()
    add_member(AssociationFactory(), outsider, leader=True)
    db.session.commit()
    login(client, outsider)
    url = f"/library/versions/{_version_id(material)}/review"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"decision": "publish"}).status_code == 404


def test_the_author_reads_the_reason_but_cannot_decide(client, app) -> None:
    material = _pending()
    version = db.session.get(MaterialVersion, _version_id(material))
    assert version is not None
    version.state, version.review_reason = VersionState.REJECTED, "Добавьте конспект"
    db.session.commit()
    login(client, db.session.get(User, material.author_id))
    page = client.get(f"/library/versions/{version.id}/review").get_data(as_text=True)
    assert "Добавьте конспект" in page and "review-form" not in page
    assert (
        client.post(f"/library/versions/{version.id}/review", data={"decision": "publish"}).status_code == 403
    )


def test_the_dashboard_card_flags_a_late_queue(client, app) -> None:
    _pending(days_ago=4)
    login(client, methodist())
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="library-queue-panel"' in page and "data-late" in page


def test_no_card_for_a_teacher_or_an_empty_queue(client, app) -> None:
    _pending(days_ago=4)
    login(client, teacher())
    assert 'id="library-queue-panel"' not in client.get("/dashboard").get_data(as_text=True)


def test_an_administrator_marks_and_unmarks_a_trusted_author(client, app) -> None:
    author = teacher(email="kuznetsova@example.org")
    login(client, admin())
    response = client.post("/library/trusted-authors", data={"email": "Kuznetsova@example.org "})
    assert response.status_code == 302
    db.session.refresh(author)
    assert author.trusted_author
    assert "kuznetsova@example.org" in client.get("/library/trusted-authors").get_data(as_text=True)
    assert client.post(f"/library/trusted-authors/{author.id}/remove").status_code == 302
    db.session.refresh(author)
    assert not author.trusted_author


def test_trusted_author_form_refusals(client, app) -> None:
    login(client, admin())
    unknown = client.post("/library/trusted-authors", data={"email": "nobody@example.org"})
    assert unknown.status_code == 422 and "is-invalid" in unknown.get_data(as_text=True)
    pupil = student(email="pupil@example.org")
    refused = client.post("/library/trusted-authors", data={"email": "pupil@example.org"})
    assert refused.status_code == 422
    db.session.refresh(pupil)
    assert not pupil.trusted_author


@pytest.mark.parametrize("make", [methodist, teacher])
def test_only_an_administrator_manages_trusted_authors(client, app, make: Any) -> None:
    author = teacher()
    login(client, make())
    assert client.get("/library/trusted-authors").status_code == 403
    assert client.post(f"/library/trusted-authors/{author.id}/remove").status_code == 403
