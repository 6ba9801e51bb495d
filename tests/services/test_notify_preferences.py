"""Per-kind notification settings: the defaults until one chooses, a change of some kinds keeping the
others, two saves at once (two tabs) both stored without a duplicate row, and the digest's pick."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.accounts import User
from app.extensions import db
from app.notifications import Notification, NotificationPreference, notify, site_link
from app.timeutil import utcnow
from community.notices import inbox, preferences
from community.notices.kinds import DEFAULTS, Choice, Kind
from tests.factories.accounts import teacher

QUIET = Choice(in_app=False, by_email=False, in_digest=False)
LOUD = Choice(in_app=True, by_email=True, in_digest=True)


def test_defaults_until_chosen_and_a_change_keeps_the_other_kinds(app: Flask) -> None:
    me = teacher()
    assert preferences.choices_of(me.id) == DEFAULTS
    preferences.save_choices(me, {Kind.REPLY: QUIET})
    saved = preferences.save_choices(me, {Kind.MENTION: LOUD})
    assert saved[Kind.REPLY] == QUIET and saved[Kind.MENTION] == LOUD
    assert saved[Kind.MODERATION] == DEFAULTS[Kind.MODERATION]
    assert preferences.choice_for(me.id, Kind.REPLY) == QUIET
    rows = db.session.scalar(select(func.count()).select_from(NotificationPreference))
    assert rows == 2


def test_two_saves_at_once_store_one_row_per_kind(app: Flask) -> None:
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database or a server")
    me = teacher()
    me_id = me.id
    db.session.commit()
    db.session.close()
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def save(choice: Choice) -> None:
        with app.app_context():
            barrier.wait()
            try:
                person = db.session.get(User, me_id)
                assert person is not None
                preferences.save_choices(person, {kind: choice for kind in Kind})
            except Exception as error:  # noqa: BLE001 - the test reports what happened
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(choice,)) for choice in (QUIET, LOUD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == len(Kind)
    assert len(set(preferences.choices_of(me_id).values())) == 1  # one save won every kind


def test_the_digest_picks_the_kinds_each_person_wants_in_it(app: Flask) -> None:
    wants, does_not = teacher(), teacher()
    preferences.save_choices(wants, {Kind.MENTION: Choice(in_app=False, by_email=False, in_digest=True)})
    now = utcnow()
    for person in (wants, does_not):
        notify(person.id, "Упоминание", kind="mention")
        notify(person.id, "Ответ", kind="reply")
    old = notify(wants.id, "Давнее упоминание", kind="mention")
    old.created_at = now - timedelta(days=3)
    db.session.commit()
    found = inbox.pending_digest([wants.id, does_not.id], now - timedelta(days=1), now + timedelta(minutes=1))
    assert list(found) == [wants.id]
    assert [(n.kind, n.text) for n in found[wants.id]] == [("mention", "Упоминание")]
    assert inbox.pending_digest([], now, now) == {}
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 5


def test_letters_carry_absolute_links(app: Flask) -> None:
    with app.test_request_context("/", base_url="https://vmeste.example.ru"):
        assert site_link("/forums/posts/7") == "https://vmeste.example.ru/forums/posts/7"
    assert site_link("/forums/posts/7") == "http://localhost/forums/posts/7"  # the clock, no SERVER_NAME
    assert site_link("https://other.example/x") == "https://other.example/x"
    assert site_link("") == ""
