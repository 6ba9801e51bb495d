"""The methodical library's whole walk in the browser (issue 11): a teacher publishes a lesson plan
with a DOCX, a methodist publishes it from the queue, a colleague finds it by another word form,
comments and rates it, and the author downloads the publication certificate, whose code verifies on
the public page. CSRF is on throughout."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.extensions import db
from tests.e2e.signing_in import log_in
from tests.factories.accounts import methodist, teacher
from tests.factories.community import subjects

pytestmark = pytest.mark.e2e

TITLE = "Сложение дробей с разными знаменателями"


def _docx(folder: Path) -> Path:
    path = folder / "Конспект урока.docx"
    body = "<w:p><w:r><w:t>Приведение дробей к общему знаменателю: ход урока.</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document '
            'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return path


def test_publish_moderate_find_discuss_certify(
    app: Any, page: Any, live_server: Any, screenshot: Any, tmp_path: Path
) -> None:
    author = teacher(full_name="Анна Петровна Смирнова")
    moderator = methodist(full_name="Наталья Сергеевна Методистова")
    colleague = teacher(full_name="Сергей Николаевич Коллегин")
    emails = author.email, moderator.email, colleague.email
    subjects()
    db.session.commit()
    db.session.remove()  # hold no SQLite lock the live server needs

    # The author writes the lesson plan and sends it to moderation.
    log_in(page, emails[0])
    page.goto("/library/materials/new")
    page.get_by_label("Название").fill(TITLE)
    page.get_by_label("Вид").select_option(label="Конспект урока")
    page.get_by_label("Описание (Markdown)").fill("Урок открытия нового знания для 6 класса.")
    page.get_by_label("Предметы").select_option(label="Математика")
    page.get_by_label("Классы").select_option(label="6 класс")
    page.locator("input[type=file][name=files]").set_input_files(str(_docx(tmp_path)))
    page.locator("#save-and-send").click()
    page.wait_for_url(re.compile(r"/library/materials/\d+$"))
    material_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert "На модерации" in page.locator("#material-status").inner_text()

    # The methodist publishes it from the queue.
    log_in(page, emails[1])
    page.goto("/library/queue")
    row = page.locator("tr[data-version]", has_text=TITLE)
    row.get_by_role("link", name="Рассмотреть").click()
    page.get_by_role("button", name="Опубликовать").click()
    page.goto(material_path)
    assert page.locator("[data-certificate]").count() == 1  # shown to moderators once published

    # A colleague finds it by another form of the word, then comments and rates it.
    log_in(page, emails[2])
    page.goto("/library/")
    page.locator("#library-catalogue input[name=q]").fill("дробь")
    page.get_by_role("button", name="Найти").click()
    card = page.locator("article[data-material]", has_text=TITLE)
    assert card.count() == 1
    screenshot(page, "library-catalogue")
    card.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r"/library/materials/\d+$"))
    page.locator("#new-comment").fill("Спасибо, **беру** на свой урок в 6 «А».")
    page.get_by_role("button", name="Опубликовать комментарий").click()
    assert page.locator("[data-comment] .comment-text strong").first.inner_text() == "беру"
    page.locator("#rating button[name=stars][value='5']").click()
    assert "5 из 5" in page.locator("#rating [data-rating]").inner_text()
    screenshot(page, "library-material")

    # The author downloads the certificate; its code verifies on the public page.
    log_in(page, emails[0])
    page.goto(material_path)
    with page.expect_download() as download_info:
        page.locator("[data-certificate-download]").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert TITLE[:20] in text and "Смирнова" in text
    page.goto(material_path)
    page.locator("[data-certificate] a[href*='/verify/']").click()
    page.context.clear_cookies()
    page.reload()
    assert "Документ действителен" in page.locator("[data-valid]").inner_text()
    assert not page.js_errors
