"""A teacher in the browser: enrols with the key, reads a page, hands in an assignment with a file;
the tutor grades it inline; the teacher sees the grade and downloads the certificate. CSRF is on."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from courses import structure
from tests.e2e.signing_in import log_in
from tests.factories import courses as cf
from tests.factories.accounts import teacher

pytestmark = pytest.mark.e2e


def test_enrol_read_submit_grade_certificate(
    app: Any, page: Any, live_server: Any, tmp_path: Path, screenshot: Any
) -> None:
    author = teacher(email="author@example.org", full_name="Сергей Николаевич Автор")
    course = cf.course(author, enrolment_mode="key", enrolment_key="ДОТ")
    module = structure.add_module(course, title="Модуль 1. Основы", actor=author)
    intro = cf.page(
        module,
        "Введение в курс",
        body="## Здравствуйте!\n\nПрочитайте и переходите к заданию.",
        completion="viewed",
    )
    task = cf.assignment(
        module,
        "Конспект урока",
        allowed_extensions="pdf,docx",
        item={"completion": "graded", "completion_points": Decimal("5"), "prerequisite_id": intro.id},
    )
    learner = teacher(email="learner@example.org", full_name="Татьяна Ивановна Учителева")
    course_id, task_id, author_email, learner_email = course.id, task.id, author.email, learner.email
    db.session.commit()
    db.session.remove()  # hold no SQLite lock the live server needs

    log_in(page, learner_email)
    page.goto(f"/courses/{course_id}")
    page.get_by_label("Кодовое слово для записи").fill("ДОТ")
    page.get_by_role("button", name="Записаться").click()
    page.wait_for_url(re.compile(rf"/courses/{course_id}$"))
    expect(page.locator(f"#item-{task_id} [data-locked]")).to_be_visible()

    page.get_by_role("link", name="Введение в курс").click()
    expect(page.locator("article.page-body h2")).to_have_text("Здравствуйте!")
    page.get_by_role("link", name="Вернуться к курсу").click()  # a read page is no dead end
    page.wait_for_url(re.compile(rf"/courses/{course_id}$"))
    page.goto(f"/courses/items/{task_id}")
    work = tmp_path / "Конспект урока.pdf"
    work.write_bytes(b"%PDF-1.4\n% conspect\n")
    page.get_by_label("Ваш ответ").fill("Урок с применением ДОТ для 7 класса.")
    page.locator("input[name=files]").set_input_files(str(work))
    page.get_by_role("button", name="Сдать").click()
    expect(page.locator("#my-submission [data-status=submitted]")).to_be_visible()
    expect(page.get_by_role("link", name="Конспект урока.pdf")).to_be_visible()

    log_in(page, author_email)
    page.goto(f"/courses/items/{task_id}/submissions")
    row = page.locator("tr", has_text="Татьяна Ивановна Учителева")
    row.locator("input[name=points]").fill("8")
    row.locator("input[name=feedback]").fill("Хорошая работа")
    row.get_by_role("button", name="Сохранить").click()
    expect(
        page.locator("tr", has_text="Татьяна Ивановна Учителева").locator("[data-status=graded]")
    ).to_be_visible()
    screenshot(page, "course-submissions")

    log_in(page, learner_email)
    page.goto(f"/courses/items/{task_id}")
    expect(page.locator("#my-grade")).to_contain_text("8")
    expect(page.locator("#my-grade")).to_contain_text("Хорошая работа")
    page.goto(f"/courses/{course_id}")
    expect(page.locator("#course-complete")).to_be_visible()
    screenshot(page, "course-page")
    with page.expect_download() as download_info:
        page.locator("#certificate-link").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert page.js_errors == []
