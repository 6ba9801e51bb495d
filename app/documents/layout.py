"""The one layout of the certificate family: a landscape A4 page in a double frame with the emblem,
the organiser, a serif heading, the holder, what the document certifies in words, signature lines
with «М. П.», the issue date in the issuer's zone, the code and a QR code of the check address.

Drawn with fpdf2 only (vector frame and emblem, the vendored DejaVu fonts); nothing here knows a
room: each room builds an app.documents.paper.Paper and calls `render_paper` (one document) or
`draw_paper` (a page of a longer file, the portfolio).
"""

from __future__ import annotations

import io

from fpdf import FPDF

from app.documents.emblem import BLUE, GOLD, draw_emblem
from app.documents.paper import Paper, Signature, grouped_code
from app.i18n import _, force_locale
from app.pdf import SANS, SERIF, new_document, qr_png, russian_date

MARGIN = 24.0  # the text block's left and right margin, inside the frame
BODY_TOP = 74.0  # where the preamble starts, under the heading
BODY_BOTTOM = 148.0  # where the body must end, above the signatures
GREY = (90, 90, 90)


def render_paper(paper: Paper, verify_url: str) -> bytes:
    """The document as a one-page PDF whose QR code and printed address lead to `verify_url`."""
    pdf = new_document(f"{paper.kind_label}: {paper.holder}")
    pdf.set_subject(paper.certifies)
    draw_paper(pdf, paper, verify_url)
    return bytes(pdf.output())


def draw_paper(pdf: FPDF, paper: Paper, verify_url: str) -> None:
    """Add one page in the family's layout to `pdf` (a document made by app.pdf.new_document)."""
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    _frame(pdf)
    draw_emblem(pdf, pdf.w / 2, 27, 10)
    if paper.organiser:
        pdf.set_text_color(*GREY)
        _centred(pdf, 40, SANS, "", 10, paper.organiser.upper(), line=4.6, max_lines=2)
    pdf.set_text_color(*BLUE)
    pdf.set_char_spacing(3)
    _centred(pdf, 50, SERIF, "B", 36, paper.heading, line=14)
    pdf.set_char_spacing(0)
    if paper.subheading:
        _centred(pdf, 64, SERIF, "I", 16, paper.subheading, line=7)
    pdf.set_text_color(0, 0, 0)
    _body(pdf, paper, width)
    _signatures(pdf, paper.signatures)
    _identity(pdf, paper, verify_url)


def _frame(pdf: FPDF) -> None:
    """A thick blue border, a thin gold one inside it, and gold diamonds at the inner corners."""
    with pdf.local_context():
        pdf.set_draw_color(*BLUE)
        pdf.set_line_width(1.6)
        pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
        pdf.set_draw_color(*GOLD)
        pdf.set_line_width(0.4)
        pdf.rect(11.5, 11.5, pdf.w - 23, pdf.h - 23)
        pdf.set_fill_color(*GOLD)
        for x, y in ((11.5, 11.5), (pdf.w - 11.5, 11.5), (11.5, pdf.h - 11.5), (pdf.w - 11.5, pdf.h - 11.5)):
            pdf.polygon([(x - 2.2, y), (x, y - 2.2), (x + 2.2, y), (x, y + 2.2)], style="F")


def _centred(
    pdf: FPDF, y: float, family: str, style: str, size: float, text: str, *, line: float, max_lines: int = 3
) -> float:
    """Centred text from `y`, wrapped, at most `max_lines` lines; returns the y below it."""
    pdf.set_font(family, style, size)
    lines = _lines(pdf, pdf.w - 2 * MARGIN, line, text)[:max_lines]
    pdf.set_xy(MARGIN, y)
    pdf.multi_cell(pdf.w - 2 * MARGIN, line, "\n".join(lines), align="C")
    return y + line * len(lines)


def _body(pdf: FPDF, paper: Paper, width: float) -> None:
    """Preamble, holder, their note and the statement, made smaller until they fit the body block."""
    for scale in (1.0, 0.9, 0.8, 0.7, 0.62):
        if _body_height(pdf, paper, width, scale) <= BODY_BOTTOM - BODY_TOP:
            break
    y = BODY_TOP
    if paper.preamble:
        pdf.set_text_color(*GREY)
        y = _centred(pdf, y, SERIF, "I", 15 * scale, paper.preamble, line=8 * scale) + 1
    pdf.set_text_color(*BLUE)
    y = _centred(pdf, y, SERIF, "B", 26 * scale, paper.holder, line=12 * scale, max_lines=2)
    pdf.set_text_color(*GREY)
    if paper.holder_note:
        y = _centred(pdf, y, SANS, "", 11 * scale, paper.holder_note, line=5.5 * scale, max_lines=2)
    pdf.set_text_color(0, 0, 0)
    y += 3 * scale
    for number, text in enumerate(paper.statement):
        emphasis = "B" if number == 0 else ""
        y = _centred(pdf, y, SANS, emphasis, 14 * scale, text, line=7.2 * scale, max_lines=5)


def _body_height(pdf: FPDF, paper: Paper, width: float, scale: float) -> float:
    parts: list[tuple[str, str, float, float, str, int]] = [
        (SERIF, "I", 15, 8, paper.preamble, 3),
        (SERIF, "B", 26, 12, paper.holder, 2),
    ]
    parts.append((SANS, "", 11, 5.5, paper.holder_note, 2))
    parts += [(SANS, "B" if i == 0 else "", 14, 7.2, text, 5) for i, text in enumerate(paper.statement)]
    total = 4 * scale
    for family, style, size, line, text, most in parts:
        if not text:
            continue
        pdf.set_font(family, style, size * scale)
        count = len(_lines(pdf, width, line * scale, text))
        total += line * scale * min(count, most)
    return total


def _lines(pdf: FPDF, width: float, line: float, text: str) -> list[str]:
    """How the current font wraps `text` in `width` (nothing drawn)."""
    wrapped = pdf.multi_cell(width, line, text, dry_run=True, output="LINES")
    return [str(part) for part in wrapped] if isinstance(wrapped, list) else [text]


def _signatures(pdf: FPDF, signatures: tuple[Signature, ...]) -> None:
    """Up to two signature lines (position, a line to sign on, the name) and the stamp's place."""
    y = 154.0
    for signature in signatures[:2]:
        pdf.set_font(SANS, "", 10)
        pdf.set_xy(MARGIN, y)
        pdf.multi_cell(62, 4.6, signature.title, align="L")
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.25)
        pdf.line(MARGIN + 64, y + 6, MARGIN + 104, y + 6)
        pdf.set_xy(MARGIN + 106, y + 1.5)
        pdf.cell(60, 5, signature.name)
        y += 13
    pdf.set_font(SERIF, "", 11)
    pdf.set_text_color(*GREY)
    pdf.set_xy(MARGIN + 72, y - 5)
    pdf.cell(20, 6, "М. П.")
    pdf.set_text_color(0, 0, 0)


def _identity(pdf: FPDF, paper: Paper, verify_url: str) -> None:
    """The issue date, the code and the check address at the foot; the QR code on the right."""
    with force_locale("ru"):
        issued = _("Date of issue: %(date)s", date=russian_date(paper.issued_on))
        code = _("Registration code: %(code)s", code=grouped_code(paper.code))
        check = _("Check the document: %(url)s", url=verify_url)
    size = 30.0
    left = pdf.w - MARGIN - size
    top = pdf.h - 16 - size
    pdf.image(io.BytesIO(qr_png(verify_url)), x=left, y=top, w=size, h=size)
    pdf.set_font(SANS, "", 10)
    pdf.set_xy(MARGIN, pdf.h - 30)
    pdf.cell(110, 5, issued)
    pdf.set_font(SANS, "B", 10)
    pdf.set_xy(left - 112, top + 6)
    pdf.cell(108, 5, code, align="R")
    pdf.set_font(SANS, "", 7.5)
    pdf.set_xy(left - 112, top + 12)
    pdf.multi_cell(108, 3.6, check, align="R")
