"""The moderators' shelf of reported comments: only their scope, hide or dismiss, a fixed number of
queries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain_errors import Conflict
from app.extensions import db
from app.timeutil import utcnow
from community.library import comment_moderation, comments
from community.library.models import CommentReport, Material, MaterialComment
from tests.conftest import login
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material


def _reported(material, text: str, reasons: tuple[str, ...] = ("спам",)) -> MaterialComment:  # type: ignore[no-untyped-def]
    comment = comments.post_comment(material, teacher(), text, now=utcnow())
    for reason in reasons:
        comment_moderation.report_comment(comment, teacher(), reason, now=utcnow())
    return comment


def test_each_moderator_sees_the_reports_of_their_scope(client) -> None:  # type: ignore[no-untyped-def]
    ours, theirs = AssociationFactory(), AssociationFactory()
    leader = teacher()
    add_member(ours, leader, leader=True)
    _reported(published_material(association=ours), "Наш спам", ("реклама", "флуд"))
    _reported(published_material(association=theirs), "Чужой спам")
    _reported(published_material(), "Общий спам")
    comments.post_comment(published_material(association=ours), teacher(), "Без жалоб", now=utcnow())
    login(client, leader)
    page = client.get("/library/comments/reported").get_data(as_text=True)
    assert "Наш спам" in page and "2 жалобы" in page and "реклама" in page and "флуд" in page
    assert "Чужой спам" not in page and "Общий спам" not in page and "Без жалоб" not in page
    client.post("/auth/logout")
    login(client, methodist())
    page = client.get("/library/comments/reported").get_data(as_text=True)
    assert all(text in page for text in ("Наш спам", "Чужой спам", "Общий спам"))


@pytest.mark.parametrize("role", [teacher, student])
def test_others_may_not_open_the_shelf(client, role) -> None:  # type: ignore[no-untyped-def]
    login(client, role())
    assert client.get("/library/comments/reported").status_code == 403


def test_dismissing_keeps_the_comment_and_clears_the_shelf(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    comment = _reported(material, "Спорное мнение")
    login(client, teacher())
    assert client.post(f"/library/comments/{comment.id}/dismiss").status_code == 403
    client.post("/auth/logout")
    moderator = methodist()
    login(client, moderator)
    response = client.post(f"/library/comments/{comment.id}/dismiss")
    assert response.status_code == 302 and response.location.endswith("/library/comments/reported")
    assert db.session.scalar(select(CommentReport.resolved_at)) is not None
    db.session.refresh(comment)
    assert comment.hidden_at is None
    assert "Спорное мнение" not in client.get("/library/comments/reported").get_data(as_text=True)
    with pytest.raises(Conflict):
        comment_moderation.dismiss_reports(comment, moderator, now=utcnow())


def test_the_shelf_runs_a_fixed_number_of_queries(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    login(client, methodist())
    material = published_material()
    material_id = material.id
    _reported(material, "Первый")

    def measure() -> int:
        with count_queries(cold=True) as counter:
            assert client.get("/library/comments/reported").status_code == 200
        return counter.count

    small = measure()
    material = db.session.get_one(Material, material_id)
    for n in range(12):
        _reported(material, f"Ещё {n}", ("a", "b"))
    assert measure() == small
