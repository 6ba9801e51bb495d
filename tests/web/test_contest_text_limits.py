"""Contest texts longer than their columns (issue 9, item 8): a 422 with the message by the field,
never a server error; the participants' CSV import names the line."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.timeutil import utcnow
from contest_engine import participant_import
from contest_engine.models import Contest, Participation
from tests.conftest import login
from tests.factories.accounts import organiser
from tests.factories.contests import DivisionFactory, contest_with_organiser

FORM = {
    "title": "Конкурс",
    "kind": "teacher",
    "timezone": "Europe/Moscow",
    "registration_opens_at": "2027-01-11T09:00",
    "registration_closes_at": "2027-01-25T09:00",
}


def test_a_division_name_over_its_column_is_refused_by_the_field(client) -> None:
    owner = organiser()
    db.session.commit()
    login(client, owner)
    response = client.post(
        "/contests/new", data=FORM | {"divisions-0-name": "Учителя", "divisions-1-name": "д" * 101}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "100" in body and "invalid-feedback" in body
    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0
    long_award = {"divisions-0-name": "Учителя", "awards-0-title": "п" * 256, "awards-0-rank_from": "1"}
    awards = client.post("/contests/new", data=FORM | long_award)
    assert awards.status_code == 422 and "255" in awards.get_data(as_text=True)
    assert client.post("/contests/new", data=FORM | {"divisions-0-name": "д" * 100}).status_code == 302


def test_participant_import_names_the_line_with_a_too_long_column(app) -> None:
    contest, owner = contest_with_organiser()
    DivisionFactory(contest=contest, name="5-8")
    db.session.commit()
    text = (
        "email,full_name,division,institution\n"
        "a@example.org,Анна,5-8,Школа № 1\n"
        f"b@example.org,Борис,5-8,{'ш' * 256}\n"
    )
    report = participant_import.import_participants(contest, text.encode(), actor=owner, now=utcnow())
    assert report.created == 0 and [error.line for error in report.errors] == [3]
    assert "institution" in report.errors[0].message
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0
