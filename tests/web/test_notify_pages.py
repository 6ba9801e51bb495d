"""The notifications page: kinds, the unread filter, marking one or all read, per-kind settings (a
setting saved changes where the next notification goes), fixed queries whatever the list's size."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from app.extensions import db
from app.notifications import Notification, notify
from community.notices import preferences
from community.notices.kinds import Choice, Kind
from tests.conftest import login
from tests.factories.accounts import teacher


def test_the_list_filters_unread_and_marks_one_read(client: FlaskClient) -> None:
    me = teacher()
    first = notify(me.id, "Ответ в теме «Дроби»", "/forums/topics/1#post-2", kind="reply")
    notify(me.id, "Материал опубликован", "/library/materials/1", kind="material_published")
    db.session.commit()
    login(client, me)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Ответы на мои сообщения и комментарии" in html and "Мой материал опубликован в библиотеке" in html
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    unread = client.get("/notifications?unread=1").get_data(as_text=True)
    assert "Материал опубликован" in unread and "Ответ в теме" not in unread
    other = notify(teacher().id, "Чужое", kind="reply")
    db.session.commit()
    client.post(f"/notifications/{other.id}/read")
    assert db.session.get(Notification, other.id).read_at is None  # type: ignore[union-attr]
    assert client.post("/notifications").status_code == 302
    assert "Материал опубликован" not in client.get("/notifications?unread=1").get_data(as_text=True)


def test_the_settings_form_saves_each_kind(client: FlaskClient) -> None:
    me = teacher()
    login(client, me)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*name="material_published-by_email"', page)  # the default
    assert re.search(r'<input[^>]*name="reply-in_app"', page)
    assert not re.search(r'<input[^>]* checked [^>]*name="reply-by_email"', page)
    response = client.post("/notifications/settings", data={"reply-by_email": "y", "mention-in_digest": "y"})
    assert response.status_code == 302
    chosen = preferences.choices_of(me.id)
    assert chosen[Kind.REPLY] == Choice(in_app=False, by_email=True, in_digest=False)
    assert chosen[Kind.MENTION] == Choice(in_app=False, by_email=False, in_digest=True)
    assert chosen[Kind.MATERIAL_PUBLISHED] == Choice(in_app=False, by_email=False, in_digest=False)


def test_the_page_runs_fixed_queries(client: FlaskClient, count_queries: Any) -> None:
    me = teacher()
    login(client, me)

    def measure() -> int:
        with count_queries(cold=True) as counter:
            assert client.get("/notifications").status_code == 200
        return counter.count

    small = measure()
    for n in range(60):
        notify(me.id, f"Уведомление {n}", kind="mention")
    db.session.commit()
    assert measure() == small
