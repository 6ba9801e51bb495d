"""The demo data: one contest in progress and one finished with diplomas, loaded twice → once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.certificates import Certificate
from app.demo import load_demo
from app.extensions import db
from contest_engine.demo import OLYMPIAD, TEACHER_CONTEST
from contest_engine.models import Award, Contest, Entry
from contest_engine.queries import contest_stages
from contest_engine.rules.stages import StageState


def test_demo_contests_load_once(app) -> None:
    load_demo()
    load_demo()
    contests = {c.title: c for c in db.session.scalars(select(Contest))}
    assert {TEACHER_CONTEST, OLYMPIAD} <= set(contests)
    assert db.session.scalar(select(func.count()).select_from(Contest).where(Contest.title == OLYMPIAD)) == 1
    running = contest_stages(contests[TEACHER_CONTEST].id)
    assert running[1].state == StageState.OPEN
    assert db.session.scalar(select(func.count()).select_from(Entry)) >= 1
    finished = contest_stages(contests[OLYMPIAD].id)
    assert finished[1].state == StageState.PUBLISHED
    awards = db.session.scalars(select(Award).where(Award.contest_id == contests[OLYMPIAD].id)).all()
    assert len(awards) == 6 and {a.title for a in awards} >= {"Победитель", "Участник"}
    assert (
        db.session.scalar(
            select(func.count()).select_from(Certificate).where(Certificate.source_type == "award")
        )
        == 6
    )


def test_diploma_pdf_and_verification_page(client) -> None:
    from app.accounts import User
    from tests.conftest import login

    load_demo()
    pupil = db.session.scalar(select(User).where(User.email == "pupil1@vmeste.local"))
    award = db.session.scalar(
        select(Award).join(Award.participation).where(Award.participation.has(user_id=pupil.id))
    )
    login(client, pupil, password="vmeste-demo")
    pdf = client.get(f"/contests/awards/{award.id}/diploma.pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    page = client.get(f"/verify/{award.certificate_code}")
    assert page.status_code == 200 and pupil.full_name in page.get_data(as_text=True)
    other = db.session.scalar(select(User).where(User.email == "pupil2@vmeste.local"))
    client.post("/auth/logout")
    login(client, other, password="vmeste-demo")
    assert client.get(f"/contests/awards/{award.id}/diploma.pdf").status_code == 404
    awards_page = client.get(f"/contests/{award.contest_id}/awards").get_data(as_text=True)
    assert award.certificate_code in awards_page
