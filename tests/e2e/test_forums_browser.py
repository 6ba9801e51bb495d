"""Associations and forums in the browser (issue 12): a teacher joins the mathematics association and
opens a topic; a colleague who chose the daily digest receives it from the clock with the full text
and a working one-click unsubscribe; a course's news post reaches every enrolled student."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail import outbox_messages
from app.timeutil import utcnow
from community.associations.membership import add_member, create_association
from community.forums.models import Forum, ForumScope
from community.forums.places import ensure_place_forums
from community.subscriptions.digest import send_digests
from community.subscriptions.models import DeliveryMode, Subscription
from tests.e2e.signing_in import log_in
from tests.factories import courses as cf
from tests.factories.accounts import methodist, student, teacher
from tests.factories.community import subjects

pytestmark = pytest.mark.e2e

TOPIC = "Открытый урок по теме «Проценты»"
TEXT = "Коллеги, приглашаю на открытый урок в 6 «Б» в четверг. Разберём задачи на скидки и вклады."


def _letters_to(email: str) -> list[Any]:
    return [m for m in outbox_messages() if m["To"] == email]


def test_join_open_a_topic_digest_with_unsubscribe(
    app: Any, page: Any, live_server: Any, screenshot: Any
) -> None:
    subjects()
    staff = methodist()
    association = create_association(
        name="МО учителей математики",
        subject_id=None,
        district="Центральный район",
        actor=staff,
        now=utcnow(),
    )
    newcomer = teacher(full_name="Анна Петровна Смирнова")
    colleague = teacher(full_name="Сергей Николаевич Коллегин")
    add_member(association, colleague, "member", actor=staff, now=utcnow())
    association_id = association.id
    association_path = f"/library/associations/{association_id}"
    newcomer_email, colleague_email, colleague_id = newcomer.email, colleague.email, colleague.id
    db.session.commit()
    db.session.remove()

    # The colleague chooses the daily digest for the association on its page.
    log_in(page, colleague_email)
    page.goto(association_path)
    control = page.locator(f"[data-subscription='association-{association_id}']")
    control.locator("select[name=mode]").select_option("digest")
    control.get_by_role("button", name="Сохранить").click()

    # The newcomer joins and opens a topic in the association's forum.
    log_in(page, newcomer_email)
    page.goto(association_path)
    page.locator("#my-membership").get_by_role("button", name="Вступить").click()
    page.locator("#association-new-topic").click()
    page.locator("input[name=title]").fill(TOPIC)
    page.locator("textarea[name=text]").fill(TEXT)
    page.get_by_role("button", name="Новая тема").click()
    page.wait_for_url(re.compile(r"/forums/topics/\d+"))
    assert TEXT[:30] in page.locator("main").inner_text()
    screenshot(page, "forum-topic")

    # The clock sends the colleague's digest a day later: the full text and an unsubscribe link.
    assert send_digests(utcnow() + timedelta(hours=12))
    assert send_digests(utcnow() + timedelta(hours=12)) == []  # run twice, sent once
    db.session.remove()  # hold no SQLite lock the live server needs
    (letter,) = [m for m in _letters_to(colleague_email) if TOPIC in m.get_body().get_content()]
    body = letter.get_body().get_content()
    assert TEXT in body
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"https?://\S+/unsubscribe/\S+", body)
    assert link is not None
    page.context.clear_cookies()
    page.goto(urlparse(link.group(0)).path)
    page.locator("main").get_by_role("button").first.click()
    db.session.remove()
    mode = db.session.scalar(select(Subscription.mode).where(Subscription.user_id == colleague_id))
    assert mode == DeliveryMode.OFF
    assert not page.js_errors


def test_course_news_reaches_every_enrolled_student(app: Any, page: Any, live_server: Any) -> None:
    author = teacher(full_name="Ирина Олеговна Автор")
    course = cf.course(author)
    pupils = [cf.enrolled(course, student(full_name=f"Ученик {n}")) for n in range(3)]
    ensure_place_forums(ForumScope.COURSE, course.id)
    news = db.session.scalar(
        select(Forum).where(
            Forum.scope == ForumScope.COURSE, Forum.scope_id == course.id, Forum.slot == "news"
        )
    )
    assert news is not None
    author_email, news_id, emails = author.email, news.id, [p.email for p in pupils]
    db.session.commit()
    db.session.remove()

    log_in(page, author_email)
    page.goto(f"/forums/{news_id}/topics/new")
    page.locator("input[name=title]").fill("Вебинар в четверг")
    page.locator("textarea[name=text]").fill("Ссылка на вебинар придёт накануне.")
    page.get_by_role("button", name="Новая тема").click()
    page.wait_for_url(re.compile(r"/forums/topics/\d+"))

    send_digests(utcnow() + timedelta(hours=12))
    for email in emails:
        assert any("Вебинар в четверг" in m.get_body().get_content() for m in _letters_to(email)), email
