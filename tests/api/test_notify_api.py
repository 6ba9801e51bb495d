"""API of notifications and direct messages: the paginated list with its `unread` filter, marking
read, per-kind preferences, and messages (each refusal: 403 pupil → stranger and blocked, 422 empty,
oversized and oneself, 409 reporting twice, 404 for another pair's conversation)."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.notifications import notify
from tests.factories.accounts import student, teacher
from tests.factories.courses import course, enrolled

REFUSAL = "Вы не можете написать этому человеку."


def test_notifications_are_listed_filtered_and_marked_read(api: Any) -> None:
    me = teacher()
    notes = [notify(me.id, f"Уведомление {n}", f"/x/{n}", kind="reply") for n in range(3)]
    notify(teacher().id, "Чужое", kind="reply")
    db.session.commit()
    ids = [note.id for note in notes]
    client = api(me)
    listed = client.get("/notifications?per_page=2").get_json()
    assert (listed["total"], len(listed["items"]), listed["page"], listed["per_page"]) == (3, 2, 1, 2)
    assert listed["items"][0]["text"] == "Уведомление 2" and listed["items"][0]["kind"] == "reply"
    marked = client.post("/notifications/read", json={"ids": [ids[0], ids[1]]}).get_json()
    assert marked == {"marked": 2, "unread": 1}
    unread = client.get("/notifications?unread=true").get_json()
    assert [item["id"] for item in unread["items"]] == [ids[2]]
    assert client.post("/notifications/read", json={"all": True}).get_json()["marked"] == 1
    assert client.get("/notifications?unread=true").get_json()["total"] == 0


def test_notification_refusals(api: Any) -> None:
    client = api(teacher())
    assert api().get("/notifications").status_code == 401
    bad = client.get("/notifications?unread=maybe")
    assert bad.status_code == 422 and "unread" in bad.get_json()["error"]["fields"]
    assert client.post("/notifications/read", json={}).status_code == 422
    assert client.post("/notifications/read", json={"ids": [0]}).status_code == 422
    assert client.post("/notifications/read", json={"ids": "1"}).status_code == 422
    assert client.put("/notifications/preferences", json={"nope": {}}).status_code == 422
    partial = {"reply": {"in_app": True}}
    assert client.put("/notifications/preferences", json=partial).status_code == 422


def test_preferences_are_read_and_changed_per_kind(api: Any) -> None:
    client = api(teacher())
    before = client.get("/notifications/preferences").get_json()
    assert before["material_published"] == {"in_app": True, "by_email": True, "in_digest": False}
    quiet = {"in_app": False, "by_email": False, "in_digest": True}
    after = client.put("/notifications/preferences", json={"mention": quiet}).get_json()
    assert after["mention"] == quiet and after["reply"] == before["reply"]


def test_messages_are_written_listed_and_read(api: Any) -> None:
    me, other = teacher(full_name="Анна Ивановна"), teacher()
    db.session.commit()
    sent = api(me).post("/messages", json={"to": other.id, "text": "Здравствуйте!"})
    assert sent.status_code == 201
    conversation_id = sent.get_json()["conversation_id"]
    theirs = api(other)
    listed = theirs.get("/conversations").get_json()
    assert listed["items"][0]["with"] == {"id": me.id, "name": "Анна Ивановна"}
    assert listed["items"][0]["unread"] == 1
    messages = theirs.get(f"/conversations/{conversation_id}/messages").get_json()
    assert [m["text"] for m in messages["items"]] == ["Здравствуйте!"]
    assert theirs.get("/conversations").get_json()["items"][0]["unread"] == 0
    answer = theirs.post(f"/conversations/{conversation_id}/messages", json={"text": "Добрый день"})
    assert answer.status_code == 201 and answer.get_json()["sender_id"] == other.id
    assert api(teacher()).get(f"/conversations/{conversation_id}/messages").status_code == 404


def test_message_refusals(api: Any) -> None:
    me, colleague, stranger = teacher(), teacher(), teacher()
    pupil = enrolled(course(teacher()), student())
    db.session.commit()
    client = api(me)
    for body in (
        {"to": colleague.id, "text": ""},
        {"to": colleague.id, "text": "я" * 5001},
        {"to": me.id, "text": "Я"},
    ):
        refused = client.post("/messages", json=body)
        assert refused.status_code == 422, body
    assert client.post("/messages", json={"to": 999999, "text": "Кто здесь?"}).status_code == 404
    assert client.post("/messages", json={"text": "Без адресата"}).status_code == 422
    to_stranger = api(pupil).post("/messages", json={"to": stranger.id, "text": "Привет"})
    assert to_stranger.status_code == 403 and to_stranger.get_json()["error"]["message"] == REFUSAL
    assert client.post(f"/users/{colleague.id}/block").get_json() == {"blocked": True}
    mine_blocked = client.post("/messages", json={"to": colleague.id, "text": "Ответьте"})
    assert mine_blocked.status_code == 409  # the sender blocked them: unblock first
    assert client.delete(f"/users/{colleague.id}/block").get_json() == {"blocked": False}
    assert client.post("/messages", json={"to": colleague.id, "text": "Ответьте"}).status_code == 201
    assert client.post("/users/999999/block").status_code == 404


def test_a_blocked_sender_gets_403_and_reporting_twice_409(api: Any) -> None:
    me, pest = teacher(), teacher()
    db.session.commit()
    message = api(pest).post("/messages", json={"to": me.id, "text": "Купите курс"}).get_json()
    mine = api(me)
    first = mine.post(f"/messages/{message['id']}/report", json={"reason": "спам"})
    assert first.status_code == 201
    assert mine.post(f"/messages/{message['id']}/report", json={}).status_code == 409
    assert api(pest).post(f"/messages/{message['id']}/report", json={}).status_code == 403
    assert api(teacher()).post(f"/messages/{message['id']}/report", json={}).status_code == 404
    assert mine.post(f"/users/{pest.id}/block").status_code == 200
    refused = api(pest).post("/messages", json={"to": me.id, "text": "Ещё раз"})
    assert refused.status_code == 403 and refused.get_json()["error"]["message"] == REFUSAL
