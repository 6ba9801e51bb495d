"""Portfolio: one PDF of the teacher's shown verified documents for an attestation commission — a
cover page listing every document with its code and check address, then one page per document in
the layout of the original (app.documents: the very Paper its room prints), with its QR code.
Always Russian; the cover is dated in the site's zone, each document in its issuer's.

The web passes the site's address in (`site_url`); the domain builds no URLs itself.
"""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF
from sqlalchemy import select

from app.accounts import User, role_label
from app.certificates import Certificate
from app.documents.layout import draw_paper
from app.documents.sources import paper_for
from app.extensions import db
from app.i18n import _, force_locale
from app.pdf import SANS, SERIF, new_document, russian_date
from app.timeutil import to_zone
from community.library.certificates import SITE_ZONE
from community.portfolio import sections as rules
from community.portfolio.portfolio import Portfolio


def verify_url(site_url: str, code: str) -> str:
    return f"{site_url.rstrip('/')}/verify/{code}"


def portfolio_pdf(portfolio: Portfolio, *, site_url: str, now: datetime) -> bytes:
    with force_locale("ru"):
        owner = portfolio.owner
        pdf = new_document(_("Teacher's portfolio: %(name)s", name=owner.full_name))
        _cover(pdf, portfolio, site_url=site_url, now=now)
    codes = [document.code for document in portfolio.documents]
    rows = {c.code: c for c in db.session.scalars(select(Certificate).where(Certificate.code.in_(codes)))}
    for document in portfolio.documents:
        certificate = rows.get(document.code)
        if certificate is not None:
            draw_paper(pdf, paper_for(certificate), verify_url(site_url, document.code))
    return bytes(pdf.output())


def section_title(section: str) -> str:
    titles = {
        rules.PUBLICATIONS: _("Publications"),
        rules.COURSES: _("Qualification courses"),
        rules.DIPLOMAS: _("Contest diplomas"),
        rules.JURY: _("Jury work"),
        rules.EVENTS: _("Events"),
    }
    return titles[section]


def _cover(pdf: FPDF, portfolio: Portfolio, *, site_url: str, now: datetime) -> None:
    owner = portfolio.owner
    pdf.add_page()
    pdf.set_auto_page_break(True, margin=15)
    width = pdf.w - 30
    pdf.set_font(SERIF, "B", 20)
    pdf.set_xy(15, 15)
    pdf.cell(width, 10, _("Teacher's portfolio"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SERIF, "B", 15)
    pdf.set_x(15)
    pdf.cell(width, 9, owner.full_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SANS, "", 11)
    about = [str(role_label(owner.role))]
    if owner.institution is not None:
        about.append(owner.institution.name)
    pdf.set_x(15)
    pdf.cell(width, 7, ", ".join(about), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(15)
    formed = russian_date(to_zone(now, SITE_ZONE).date())
    pdf.cell(width, 7, _("Formed on %(date)s", date=formed), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    number = 0
    for section, documents in portfolio.sections:
        pdf.set_font(SANS, "B", 13)
        pdf.set_x(15)
        pdf.cell(width, 9, section_title(section), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(SANS, "", 10)
        for document in documents:
            number += 1
            issued = russian_date(to_zone(document.dated, SITE_ZONE).date())
            hours = _(", %(hours)s h.", hours=document.hours) if document.hours is not None else ""
            pdf.set_x(15)
            pdf.multi_cell(
                width, 6, f"{number}. {document.title}{hours} — {issued}", new_x="LMARGIN", new_y="NEXT"
            )
            pdf.set_x(22)
            check = _(
                "Code %(code)s, check: %(url)s", code=document.code, url=verify_url(site_url, document.code)
            )
            pdf.multi_cell(width - 7, 6, check, new_x="LMARGIN", new_y="NEXT")
    if portfolio.course_hours:
        pdf.ln(3)
        pdf.set_font(SANS, "B", 11)
        pdf.set_x(15)
        pdf.cell(
            width,
            7,
            _("Qualification courses in total: %(hours)s academic hours", hours=portfolio.course_hours),
        )
    if number == 0:
        pdf.set_x(15)
        pdf.cell(width, 7, _("No verified documents are shown in this portfolio."))
    pdf.set_auto_page_break(False)


def portfolio_file_name(owner: User) -> str:
    """«Портфолио — Анна Петрова.pdf»: Russian, like the document itself."""
    with force_locale("ru"):
        return _("Portfolio — %(name)s.pdf", name=" ".join(owner.full_name.replace("/", " ").split()))
