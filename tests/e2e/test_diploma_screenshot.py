"""The README's picture of a diploma: the first page of a real diploma PDF, rendered by PDFium (no
browser needed), saved through the `screenshot` fixture so that only UPDATE_SCREENSHOTS=1
(`make screenshots`) writes docs/screenshots/diploma.png."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from app import certificates
from app.certificates import CertificateKind
from app.documents.layout import render_paper
from app.extensions import db
from contest_engine.diplomas import award_paper
from contest_engine.models import Award, Contest, ContestKind
from tests.factories.accounts import InstitutionFactory, organiser, student
from tests.factories.contests import DivisionFactory, ParticipationFactory, contest_with_organiser

pytestmark = pytest.mark.e2e


class RenderedPdf:
    """Stands in for a browser page: `screenshot(path=…)` renders the PDF's first page to a PNG."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def screenshot(self, path: str, full_page: bool = True) -> None:
        document = pypdfium2.PdfDocument(self.data)
        try:
            document[0].render(scale=1.6).to_pil().save(path)
        finally:
            document.close()


def _diploma_pdf() -> bytes:
    gymnasium = InstitutionFactory(name="МАОУ «Гимназия № 1» г. Новосибирска")
    chair = organiser(full_name="Смирнова Ирина Павловна", institution=gymnasium)
    contest, _user = contest_with_organiser(
        chair,
        title="Региональная олимпиада школьников по биологии",
        kind=ContestKind.OLYMPIAD,
        timezone="Asia/Novosibirsk",
    )
    division = DivisionFactory(contest=contest, name="8–9 классы")
    DivisionFactory(contest=contest, name="10–11 классы")
    pupil = student(full_name="Петрова Анна Сергеевна", institution=InstitutionFactory(name="МБОУ СОШ № 5"))
    participation = ParticipationFactory(contest=contest, user=pupil, division=division, grade="8")
    award = Award(
        contest_id=contest.id, division_id=division.id, participation_id=participation.id, title="Победитель"
    )
    db.session.add(award)
    db.session.flush()
    award.certificate_code = certificates.issue(
        kind=CertificateKind.DIPLOMA,
        user_id=pupil.id,
        holder=pupil.full_name,
        title=f"Победитель — {contest.title}",
        source_type="award",
        source_id=award.id,
        now=datetime(2026, 11, 9, 20, 0, tzinfo=UTC),
    ).code
    db.session.commit()
    paper = award_paper(award, db.session.get_one(Contest, contest.id))
    return render_paper(paper, f"https://vmeste.example.ru/verify/{award.certificate_code}")


def test_the_readme_shows_a_diploma(app, screenshot) -> None:  # type: ignore[no-untyped-def]
    saved = Path(screenshot(RenderedPdf(_diploma_pdf()), "diploma"))
    with Image.open(saved) as image:
        width, height = image.size
    assert width > height > 900  # landscape A4, readable in the README
