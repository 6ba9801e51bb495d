"""File text for the search index: PDF, DOCX and PPTX read; broken and hostile files give "" quickly
and never raise; page and size caps hold."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from fpdf import FPDF

from app.pdf import FONT_DIR
from community.library import file_text
from community.library.file_text import DOCX, PDF, PPTX, extract_text

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _pdf(pages: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", "", 12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _zip(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(body: str) -> bytes:
    return _zip(
        {"word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>'}
    )


def test_pdf_text_is_read() -> None:
    text = extract_text(_pdf(["Сложение дробей с разными знаменателями", "Вторая страница"]), PDF)
    assert "Сложение дробей с разными знаменателями" in text and "Вторая страница" in text


def test_docx_paragraphs_are_read_in_order() -> None:
    body = (
        "<w:p><w:r><w:t>Конспект </w:t></w:r><w:r><w:t>урока</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ячейка таблицы</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    assert extract_text(_docx(body), DOCX) == "Конспект урока\nЯчейка таблицы"


def test_pptx_slides_are_read_in_slide_order() -> None:
    slide = '<p:sld xmlns:p="p" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:p><a:r><a:t>{}</a:t></a:r></a:p></p:sld>'
    data = _zip(
        {"ppt/slides/slide10.xml": slide.format("Десятый"), "ppt/slides/slide2.xml": slide.format("Второй")}
    )
    assert extract_text(data, PPTX) == "Второй\nДесятый"


def test_plain_text_and_other_types() -> None:
    assert (
        extract_text("Текст  урока\n\n\nконец".encode(), "text/plain; charset=utf-8") == "Текст урока\nконец"
    )
    assert extract_text(b"\x89PNG\r\n\x1a\n....", "image/png") == ""
    assert extract_text(b"", PDF) == ""


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f"<w:document {W}><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n" + b"\x00garbage" * 1000, PDF),
        (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            PDF,
        ),
        (b"%PDF-1.4\n1 0 obj [" * 5000, PDF),  # deeply nested arrays
        (b"PK\x03\x04 not really a zip", DOCX),
        (_zip({"word/other.xml": "<x/>"}), DOCX),  # no document.xml
        (_zip({"word/document.xml": BILLION_LAUGHS}), DOCX),  # entity expansion refused
        (_zip({"word/document.xml": "<w:document><unclosed>"}), DOCX),
        (_zip({"ppt/slides/slide1.xml": "<<<"}), PPTX),
    ],
)
def test_broken_and_hostile_files_give_no_text_and_never_raise(data: bytes, kind: str) -> None:
    started = time.perf_counter()
    assert extract_text(data, kind) == ""
    assert time.perf_counter() - started < 5


def test_a_zip_bomb_member_is_refused_unread() -> None:
    huge = "<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 800_000  # 27 MB of XML, compressed to kilobytes
    data = _docx(huge)
    assert len(data) < 1_000_000
    assert extract_text(data, DOCX) == ""


def test_caps_on_pages_and_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_text, "MAX_PAGES", 3)
    text = extract_text(_pdf([f"Страница {n}" for n in range(1, 6)]), PDF)
    assert "Страница 3" in text and "Страница 4" not in text
    monkeypatch.setattr(file_text, "MAX_CHARS", 50)
    long_docx = _docx("".join(f"<w:p><w:r><w:t>Абзац номер {n}</w:t></w:r></w:p>" for n in range(1000)))
    assert len(extract_text(long_docx, DOCX)) <= 50
    monkeypatch.setattr(file_text, "MAX_INPUT_BYTES", 10)
    assert extract_text(_docx("<w:p><w:r><w:t>Слово</w:t></w:r></w:p>"), DOCX) == ""
