"""Printable documents: course certificates (удостоверения) and contest diplomas share one layout.

fpdf2 needs a TTF for Cyrillic, so DejaVu ships in static/fonts/; the QR code (qrcode + Pillow)
points at the public verification page, so paper copies can be checked with a phone.
"""

from __future__ import annotations

import io
from datetime import date

import qrcode
from fpdf import FPDF

from app.config import ROOT

FONT_DIR = ROOT / "static" / "fonts"
MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def russian_date(day: date) -> str:
    """«1 марта 2026 г.»: documents are Russian whatever the viewer's language."""
    return f"{day.day} {MONTHS_RU[day.month - 1]} {day.year} г."


def qr_png(data: str) -> bytes:
    image = qrcode.make(data, border=1, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def render_certificate_pdf(
    *, heading: str, holder: str, title: str, lines: list[str], code: str, verify_url: str, issued_on: date
) -> bytes:
    """A landscape A4 page: heading, holder, the lines that say what was achieved, the date, the
    verification code and a QR code of `verify_url`. `title` is the document's metadata title."""
    pdf = new_document(title)
    draw_certificate(
        pdf,
        heading=heading,
        holder=holder,
        lines=lines,
        code=code,
        verify_url=verify_url,
        issued_on=issued_on,
    )
    return bytes(pdf.output())


def new_document(title: str) -> FPDF:
    """An empty landscape A4 document with the Cyrillic fonts loaded: several documents (a
    portfolio) can be drawn into it, one page each."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author("Вместе")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    return pdf


def draw_certificate(
    pdf: FPDF, *, heading: str, holder: str, lines: list[str], code: str, verify_url: str, issued_on: date
) -> None:
    """Add one page in the certificate layout to `pdf`."""
    pdf.add_page()
    width = pdf.w - 40
    pdf.set_draw_color(31, 78, 121)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_text_color(31, 78, 121)
    pdf.set_font("DejaVu", "B", 32)
    pdf.set_xy(20, 30)
    pdf.cell(width, 16, heading, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("DejaVu", "", 14)
    pdf.set_xy(20, 52)
    pdf.cell(width, 8, "Настоящим удостоверяется, что", align="C")
    pdf.set_font("DejaVu", "B", 24)
    pdf.set_xy(20, 64)
    pdf.multi_cell(width, 12, holder, align="C")
    pdf.set_font("DejaVu", "", 15)
    pdf.set_x(20)
    pdf.ln(4)
    for line in lines:
        pdf.set_x(20)
        pdf.multi_cell(width, 9, line, align="C")
    pdf.set_font("DejaVu", "", 11)
    pdf.set_xy(20, pdf.h - 48)
    pdf.cell(140, 7, f"Дата выдачи: {russian_date(issued_on)}")
    pdf.set_xy(20, pdf.h - 40)
    pdf.cell(140, 7, f"Регистрационный код: {code}")
    pdf.set_xy(20, pdf.h - 32)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(160, 6, f"Проверка подлинности: {verify_url}")
    pdf.image(io.BytesIO(qr_png(verify_url)), x=pdf.w - 58, y=pdf.h - 58, w=38, h=38)
