"""Events calendar: a methodical centre's term plan — the webinars and open lessons of a half-year
(«I полугодие 2026/27»: September–December; «II полугодие»: January–June), in the order the centre's
director approves it, as an XLSX sheet and a PDF table. Documents are Russian, times in the host's zone."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fpdf.enums import XPos, YPos
from sqlalchemy import select

from app.accounts import Institution, User
from app.exports import XlsxSheet, formatted_xlsx
from app.extensions import db
from app.pdf import new_document, russian_date
from app.timeutil import to_zone
from community.associations.models import Association
from community.events.calendar import Filters, Viewer, filtered, subjects_of
from community.events.models import Event, EventHost, EventKind, EventStatus
from community.rules import RuleError

PLAN_KINDS = (EventKind.WEBINAR, EventKind.OPEN_LESSON)
KIND_RU = {EventKind.WEBINAR: "Вебинар", EventKind.OPEN_LESSON: "Открытый урок"}
FORMAT_RU = {"online": "Дистанционно", "offline": "Очно", "hybrid": "Очно и дистанционно"}
HEADER = ("№", "Дата", "Время", "Форма", "Тема", "Организатор", "Ведущие", "Предметы", "Классы", "Формат")
_TERM = re.compile(r"^(\d{4})-([12])$")


@dataclass(frozen=True)
class Term:
    """A half of the school year starting in `year`: half 1 is September–December of `year`, half 2
    January–June of `year + 1`."""

    year: int
    half: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.half}"

    @property
    def first_day(self) -> date:
        return date(self.year, 9, 1) if self.half == 1 else date(self.year + 1, 1, 1)

    @property
    def after_last_day(self) -> date:
        return date(self.year + 1, 1, 1) if self.half == 1 else date(self.year + 1, 7, 1)

    @property
    def title(self) -> str:
        return (
            f"{'I' if self.half == 1 else 'II'} полугодие {self.year}/{str(self.year + 1)[-2:]} учебного года"
        )


def parse_term(raw: str) -> Term:
    """«2026-1» → the first half of 2026/27; anything else is refused by the field `term`."""
    found = _TERM.match((raw or "").strip())
    if not found or not 1900 < int(found.group(1)) < 2199:
        raise RuleError("term_plan_bad_term", "term")
    return Term(int(found.group(1)), int(found.group(2)))


def current_term(today: date) -> Term:
    if today.month >= 9:
        return Term(today.year, 1)
    return Term(today.year - 1, 2) if today.month <= 6 else Term(today.year, 1)


def recent_terms(today: date) -> list[Term]:
    """The current term, the next and the two before, for the page's choice."""
    now = current_term(today)
    order = [(now.year - 1, 1), (now.year - 1, 2), (now.year, 1), (now.year, 2), (now.year + 1, 1)]
    return [Term(year, half) for year, half in order]


@dataclass(frozen=True)
class PlanRow:
    starts_at: datetime
    timezone: str
    kind: str
    title: str
    organiser: str
    hosts: str
    subjects: str
    grades: str
    format: str

    def cells(self, number: int) -> list[object]:
        local = to_zone(self.starts_at, self.timezone)
        return [
            number,
            local.strftime("%d.%m.%Y"),
            local.strftime("%H:%M"),
            self.kind,
            self.title,
            self.organiser,
            self.hosts,
            self.subjects,
            self.grades,
            self.format,
        ]


def plan_rows(term: Term, filters: Filters, viewer: Viewer) -> list[PlanRow]:
    """The term's scheduled webinars and open lessons by start; four queries whatever their number."""
    start = datetime.combine(term.first_day, time(), tzinfo=UTC)
    end = datetime.combine(term.after_last_day, time(), tzinfo=UTC)
    query = filtered(
        select(Event, Institution.name, Association.name)
        .outerjoin(Institution, Institution.id == Event.institution_id)
        .outerjoin(Association, Association.id == Event.association_id),
        filters,
        viewer,
    ).where(
        Event.kind.in_(PLAN_KINDS),
        Event.status == EventStatus.SCHEDULED,
        Event.starts_at >= start,
        Event.starts_at < end,
    )
    found = db.session.execute(query.order_by(Event.starts_at, Event.id)).all()
    ids = [row[0].id for row in found]
    hosts, subjects = _hosts(ids), subjects_of(ids, "ru")
    return [
        PlanRow(
            starts_at=event.starts_at,
            timezone=event.timezone,
            kind=KIND_RU.get(event.kind, str(event.kind)),
            title=event.title,
            organiser="; ".join(name for name in (institution, association) if name),
            hosts=", ".join(hosts.get(event.id, [])),
            subjects=", ".join(subjects.get(event.id, [])),
            grades=", ".join(str(grade) for grade in event.grades or []),
            format=FORMAT_RU.get(str(event.format), ""),
        )
        for event, institution, association in found
    ]


def plan_xlsx(term: Term, rows: list[PlanRow], today: date) -> bytes:
    sheet = XlsxSheet(
        title="План",
        header=HEADER,
        rows=[row.cells(number) for number, row in enumerate(rows, start=1)],
        preamble=(f"План вебинаров и открытых уроков: {term.title}", f"Составлен {russian_date(today)}"),
        widths=(5, 12, 8, 16, 50, 35, 30, 25, 10, 18),
    )
    return formatted_xlsx([sheet], fallback_title="План")


def plan_pdf(term: Term, rows: list[PlanRow], today: date) -> bytes:
    """A landscape A4 table, repeated header on each page, «УТВЕРЖДАЮ» block for the director."""
    pdf = new_document(f"План вебинаров и открытых уроков: {term.title}")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(0, 5, "УТВЕРЖДАЮ", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(
        0, 5, "Руководитель ИМЦ ____________ / ____________", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.cell(0, 5, "«___» ____________ 20___ г.", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, f"План вебинаров и открытых уроков\n{term.title}", align="C")
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(0, 5, f"Составлен {russian_date(today)}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    widths = (8, 19, 11, 22, 68, 45, 40, 30, 14, 20)
    with pdf.table(col_widths=widths, text_align="LEFT", repeat_headings=1, line_height=4.5) as table:
        table.row(HEADER)
        for number, row in enumerate(rows, start=1):
            table.row([str(cell) for cell in row.cells(number)])
    if not rows:
        pdf.ln(4)
        pdf.cell(0, 6, "В этом полугодии вебинаров и открытых уроков нет.", align="C")
    return bytes(pdf.output())


def _hosts(event_ids: list[int]) -> dict[int, list[str]]:
    if not event_ids:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    query = (
        select(EventHost.event_id, User.full_name)
        .join(User, User.id == EventHost.user_id)
        .where(EventHost.event_id.in_(event_ids))
        .order_by(EventHost.event_id, EventHost.id)
    )
    for event_id, name in db.session.execute(query):
        found[event_id].append(name)
    return dict(found)
