"""Issue 13's "Done means" in the browser (CSRF on, real server): a methodist schedules a weekly
webinar series, a teacher registers, the reminder with the link waits in the outbox, the teacher
checks in with the code, downloads a participation certificate that verifies and shows in the
portfolio; an organiser opens a final's demo lessons and a colleague registers to watch one."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.mail import OutgoingMail
from app.timeutil import to_zone, utcnow
from community.events.models import Event
from community.events.reminders import send_reminders
from contest_engine.jury import schedule
from tests.e2e.signing_in import log_in
from tests.factories.accounts import methodist, teacher
from tests.factories.jury import jury_stage

pytestmark = pytest.mark.e2e

TITLE = "Вебинар «Смысловое чтение на уроках»"


def _schedule_series(page: Any) -> str:
    """The methodist's part: a weekly series whose first sitting begins in about ten minutes."""
    first = to_zone(utcnow() + timedelta(minutes=11), "Europe/Moscow").replace(second=0, microsecond=0)
    page.locator("#nav-community").click()
    page.locator("#nav-calendar").click()
    page.locator("#new-event").click()
    page.get_by_label("Вид", exact=True).select_option("webinar")
    page.get_by_label("Название").fill(TITLE)
    page.get_by_label("Начало").fill(first.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Продолжительность, минут").fill("90")
    page.get_by_label("Часовой пояс начала").select_option("Europe/Moscow")
    page.get_by_label("Повторять каждую неделю до").fill((first + timedelta(weeks=2)).date().isoformat())
    page.get_by_label("Ссылка на видеоконференцию").fill("https://meet.example.org/reading")
    page.get_by_label("Места").fill("30")
    page.locator("#event-save").click()
    page.wait_for_url(re.compile(r"/events/\d+$"))
    return re.sub(r"^https?://[^/]+", "", page.url)


def test_series_registration_reminder_check_in_certificate_portfolio(
    app: Any, page: Any, live_server: Any, screenshot: Any, tmp_path: Path
) -> None:
    runner = methodist(full_name="Орлова Анна Сергеевна")
    learner = teacher(full_name="Белова Мария Игоревна")
    emails = runner.email, learner.email
    db.session.commit()
    db.session.remove()

    log_in(page, emails[0])
    event_path = _schedule_series(page)
    event_id = int(event_path.rsplit("/", 1)[1])
    sittings = db.session.scalars(select(Event.id).where(Event.title == TITLE)).all()
    assert len(sittings) == 3
    db.session.remove()

    # A teacher finds the first sitting and registers; the link shows only now.
    log_in(page, emails[1])
    page.goto(event_path)
    assert "meet.example.org" not in page.content()
    page.locator("#register-form button[type=submit]").click()
    page.locator("#registered-badge").wait_for()  # waits for the page after the POST
    assert "https://meet.example.org/reading" in page.locator("#event-link").inner_text()
    screenshot(page, "event-page")

    # The clock's reminder (under an hour before) waits in the outbox with the link, once.
    assert send_reminders(utcnow()) and not send_reminders(utcnow())
    letters = db.session.scalars(select(OutgoingMail).where(OutgoingMail.to_address == emails[1])).all()
    reminders = [m for m in letters if m.subject.startswith("Через час")]
    assert len(reminders) == 1 and "https://meet.example.org/reading" in reminders[0].body
    code = db.session.get(Event, event_id).checkin_code  # the host shows it on screen
    db.session.remove()

    # Check-in with the code (a wrong one first), then the certificate.
    page.locator("[data-attend-links] a.btn-primary").click()
    page.get_by_label("Код отметки").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Отметиться").click()
    page.locator(".invalid-feedback, .alert-danger").first.wait_for()  # waits for the page after the POST
    page.get_by_label("Код отметки").fill(code)
    page.get_by_role("button", name="Отметиться").click()
    page.locator("[data-attended]").wait_for()  # waits for the page after the POST
    with page.expect_download() as download_info:
        page.locator("[data-certificate] a").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "Белова" in text and "2" in text  # 90 minutes are 2 academic hours

    # The portfolio lists it under events; its code verifies on the public page.
    page.goto("/portfolio/")
    section = page.locator("[data-section=events]")
    assert section.count() == 1 and TITLE[:20] in section.inner_text()
    section.locator("a[href*='/verify/']").first.click()
    page.context.clear_cookies()
    page.reload()
    assert "Документ действителен" in page.locator("[data-valid]").inner_text()
    assert not page.js_errors


def test_a_colleague_registers_to_watch_an_open_demo_lesson(app: Any, page: Any, live_server: Any) -> None:
    built = jury_stage(entries=1, jurors=1)
    slot = schedule.create_slot(
        built.stage,
        starts_at=(utcnow() + timedelta(days=2)).replace(second=0, microsecond=0),
        duration_minutes=45,
        location="https://sferum.example/lesson",
        actor=built.organiser,
    )
    schedule.assign_slot(slot, built.participations[0].id, actor=built.organiser)
    colleague = teacher(full_name="Зайцева Ольга Петровна")
    finalist = built.participants[0].full_name
    emails = built.organiser.email, colleague.email
    stage_id = built.stage.id
    db.session.commit()
    db.session.remove()

    # The organiser opens the final's demo lessons to colleagues on the jury's schedule page.
    log_in(page, emails[0])
    page.goto(f"/jury/stages/{stage_id}/schedule")
    page.get_by_role("button", name="Открыть конкурсные уроки для коллег").click()
    assert page.locator("[data-open-lessons]").get_by_role("button").inner_text().startswith("Закрыть")

    # A colleague finds the open lesson in the calendar list and registers to watch it.
    log_in(page, emails[1])
    page.goto("/events?kind=open_lesson")
    page.get_by_role("link", name=re.compile(re.escape(finalist))).first.click()
    page.wait_for_url(re.compile(r"/events/\d+$"))
    assert "sferum.example" not in page.content()
    page.locator("#register-form button[type=submit]").click()
    page.locator("#registered-badge").wait_for()  # waits for the page after the POST
    assert "https://sferum.example/lesson" in page.locator("#event-link").inner_text()
    assert not page.js_errors
