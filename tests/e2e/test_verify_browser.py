"""A head teacher checks a diploma from paper on a phone: the footer's link, the box, the code typed
in lower case with spaces (and a wrong one first), the document's page — nothing scrolls sideways
at 390 px, and the whole check takes four page loads."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from app import certificates
from app.certificates import CertificateKind
from app.documents.paper import grouped_code
from app.extensions import db
from contest_engine.models import Award, ContestKind
from tests.e2e.page_loads import PageLoads
from tests.factories.accounts import InstitutionFactory, organiser, student
from tests.factories.contests import DivisionFactory, ParticipationFactory, contest_with_organiser

pytestmark = pytest.mark.e2e


def _diploma_code() -> str:
    chair = organiser(institution=InstitutionFactory(name="Районный методический центр"))
    contest, _user = contest_with_organiser(
        chair,
        title="Олимпиада по математике «Вместе»",
        kind=ContestKind.OLYMPIAD,
        timezone="Asia/Novosibirsk",
    )
    division = DivisionFactory(contest=contest)
    pupil = student(full_name="Анна Петрова", institution=InstitutionFactory(name="Школа № 5"))
    participation = ParticipationFactory(contest=contest, user=pupil, division=division)
    award = Award(
        contest_id=contest.id, division_id=division.id, participation_id=participation.id, title="Призёр"
    )
    db.session.add(award)
    db.session.flush()
    code = certificates.issue(
        kind=CertificateKind.DIPLOMA,
        user_id=pupil.id,
        holder=pupil.full_name,
        title="Призёр",
        source_type="award",
        source_id=award.id,
        now=datetime(2026, 11, 9, 20, 0, tzinfo=UTC),
    ).code
    award.certificate_code = code
    db.session.commit()
    return code


def test_a_diploma_is_checked_from_paper_on_a_phone(app: Any, page: Any) -> None:
    code = _diploma_code()
    db.session.remove()  # hold no SQLite lock the live server needs
    page.set_viewport_size({"width": 390, "height": 844})
    loads = PageLoads(page)
    page.goto("/")
    page.locator("[data-verify-link]").click()
    page.wait_for_url(re.compile(r"/verify$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("button", name="Проверить").bounding_box()["height"] >= 40  # a tap target
    box = page.get_by_label("Код документа")
    box.fill("ZZZZ ZZZZ ZZZZ")
    page.get_by_role("button", name="Проверить").click()
    assert page.locator(".invalid-feedback").inner_text().startswith("Документа с таким кодом нет")
    page.get_by_label("Код документа").fill(" " + grouped_code(code).lower().replace("-", " ") + " ")
    page.get_by_role("button", name="Проверить").click()
    page.wait_for_url(re.compile(rf"/verify/{code}$"))
    facts = page.locator("[data-document]").inner_text()
    assert "Анна Петрова" in facts and "Призёр олимпиады «Олимпиада по математике «Вместе»»" in facts
    assert "10 ноября 2026" in facts and "Районный методический центр" in facts and "Школа № 5" not in facts
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box_height = page.evaluate(
        "document.querySelector('footer [data-verify-link]').getBoundingClientRect().height"
    )
    assert box_height > 0
    print(f"page loads to check a diploma from paper: {loads.count}")
    assert loads.count <= 4 and not page.js_errors
