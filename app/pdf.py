"""The floor every printed document stands on: an A4 fpdf2 document with the Cyrillic fonts, the
Russian date as paper writes it, and a QR code.

fpdf2 needs a TTF for Cyrillic, so DejaVu ships in static/fonts/ (Sans for text and tables, Serif
for the headings of certificates and diplomas); the QR code (qrcode + Pillow) points at the public
verification page, so paper copies can be checked with a phone. The certificate family is drawn by
app.documents; tables (the term plan, the monitoring report) draw on this floor themselves.
"""

from __future__ import annotations

import io
from datetime import date

import qrcode
from fpdf import FPDF

from app.config import ROOT

FONT_DIR = ROOT / "static" / "fonts"
SANS = "DejaVu"
SERIF = "DejaVuSerif"
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


def new_document(title: str, *, orientation: str = "L") -> FPDF:
    """An empty A4 document (landscape unless told) with the Cyrillic fonts loaded: several
    documents (a portfolio) can be drawn into it, one page each."""
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author("Вместе")
    pdf.set_creator("Вместе")
    pdf.set_auto_page_break(False)
    pdf.add_font(SANS, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(SANS, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font(SERIF, "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font(SERIF, "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.add_font(SERIF, "I", str(FONT_DIR / "DejaVuSerif-Italic.ttf"))
    return pdf
