"""A teacher publishes a lesson plan with a DOCX in the browser (issue 11): the navbar leads to «my
materials», the form takes subjects, grades, a link and the file, «save and send» puts it in the
moderation queue, and the material page shows the file, the link and the version history. CSRF is
on: the multipart form carries its token."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.factories.accounts import teacher
from tests.factories.community import subjects

pytestmark = pytest.mark.e2e

DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Сложение дробей с разными знаменателями</w:t></w:r></w:p></w:body></w:document>"
)
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _docx(folder: Path) -> Path:
    path = folder / "Конспект урока.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
    return path


def test_a_teacher_publishes_a_lesson_plan_with_a_docx(app, page, live_server, screenshot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    author = teacher(full_name="Анна Петровна Смирнова")
    email = author.email
    subjects()
    db.session.commit()

    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.locator("#nav-community").click()
    page.locator("#nav-my-materials").click()
    page.wait_for_url(re.compile(r"/library/my$"))
    page.locator("#new-material").click()
    page.wait_for_url(re.compile(r"/library/materials/new$"))

    page.get_by_label("Название").fill("Сложение дробей с разными знаменателями")
    page.get_by_label("Вид").select_option(label="Конспект урока")
    page.get_by_label("Описание (Markdown)").fill(
        "Урок открытия нового знания.\n\n**Цель**: научиться складывать дроби."
    )
    page.get_by_label("Предметы").select_option(label="Математика")
    page.get_by_label("Классы").select_option(label="5 класс")
    page.get_by_label("Ссылки").fill("https://resh.edu.ru/subject/lesson/7732/ Урок на РЭШ")
    page.locator("input[type=file][name=files]").set_input_files(str(_docx(tmp_path)))
    screenshot(page, "library-material-form")
    page.locator("#save-and-send").click()
    page.wait_for_url(re.compile(r"/library/materials/\d+$"))

    assert "На модерации" in page.locator("#material-status").inner_text()
    assert "Конспект урока.docx" in page.locator("#material-files").inner_text()
    assert "Урок на РЭШ" in page.locator("#material-links").inner_text()
    assert page.locator("#material-summary strong").inner_text() == "Цель"
    assert page.locator('#version-history [data-state="pending"]').count() == 1
    assert page.locator("#edit-material").count() == 0  # waiting for the moderator
    screenshot(page, "library-material-pending")
    assert not page.js_errors
