"""Jury HTML pages: the demo-lesson schedule, appeals and jurors' certificates; refusals."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from contest_engine.jury import appeals, schedule
from contest_engine.jury.certificates import issue_jury_certificates, jury_certificates
from contest_engine.jury.models import Appeal, DemoSlot
from contest_engine.jury.setup import stage_criteria
from contest_engine.jury.sheets import save_scores
from contest_engine.models import Stage
from tests.conftest import login as login_form
from tests.factories.accounts import teacher
from tests.factories.jury import jury_stage

FULL = {"Содержание": 8, "Методика": 4}


def login(client, user) -> None:  # type: ignore[no-untyped-def]
    """Log out whoever is signed in on this client, then log `user` in."""
    client.post("/auth/logout")
    login_form(client, user)


def _form(built, entry_index: int = 0, **values):  # type: ignore[no-untyped-def]
    criteria = stage_criteria(built.stage.id)
    data = {f"c{c.id}": values.get(c.name, "") for c in criteria}
    data["comment"] = values.get("comment", "")
    data["action"] = values.get("action", "submit")
    return data


def test_schedule_slots_and_ics(app, client) -> None:
    built = jury_stage(entries=2, jurors=1)
    login(client, built.organiser)
    url = f"/jury/stages/{built.stage.id}/schedule"
    assert client.post(url, data={"starts_at": "", "duration_minutes": "45"}).status_code == 422
    assert (
        client.post(url, data={"starts_at": "2027-02-01T10:00", "duration_minutes": "0"}).status_code == 422
    )
    response = client.post(
        url,
        data={
            "starts_at": "2027-02-01T10:00",
            "duration_minutes": "45",
            "location": "https://meet.example/final",
        },
    )
    assert response.status_code == 302
    slot = db.session.scalar(select(DemoSlot))
    assert slot.starts_at.hour == 7  # 10:00 Moscow
    response = client.post(
        f"/jury/slots/{slot.id}/assign", data={"participation_id": built.participations[0].id}
    )
    assert response.status_code == 302
    ics = client.get(f"{url}.ics")
    assert ics.mimetype == "text/calendar" and "DTSTART:20270201T070000Z" in ics.get_data(as_text=True)
    login(client, built.participants[0])
    page = client.get(url).get_data(as_text=True)
    assert "table-success" in page
    login(client, built.participants[1])
    assert client.get(url).status_code == 200
    assert (
        client.post(f"/jury/slots/{slot.id}/pick").status_code == 302
    )  # refused with a message: no deadline
    outsider = teacher()
    db.session.commit()
    login(client, outsider)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}.ics").status_code == 403


def test_participant_files_appeal_and_organiser_resolves(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=utcnow())
    stage = db.session.get(Stage, built.stage.id)
    stage.results_published_at = utcnow() - timedelta(minutes=5)
    stage.appeals_close_at = utcnow() + timedelta(hours=5)
    db.session.commit()
    login(client, built.participants[0])
    url = f"/jury/entries/{built.entries[0].id}/appeal"
    assert client.post(url, data={"text": ""}).status_code == 422
    assert client.post(url, data={"text": "Прошу пересмотреть методику"}).status_code == 302
    appeal = db.session.scalar(select(Appeal))
    login(client, built.jurors[0])
    assert client.get(url).status_code == 403
    assert client.get(f"/jury/appeals/{appeal.id}").status_code == 403
    login(client, built.organiser)
    criteria = {c.name: c.id for c in stage_criteria(built.stage.id)}
    field = f"j{built.jurors[0].id}_c{criteria['Методика']}"
    response = client.post(
        f"/jury/appeals/{appeal.id}", data={"decision": "accepted", "reason": "Ошибка", field: "9"}
    )
    assert response.status_code == 422 and "invalid-feedback" in response.get_data(as_text=True)
    response = client.post(
        f"/jury/appeals/{appeal.id}", data={"decision": "accepted", "reason": "Ошибка", field: "5"}
    )
    assert response.status_code == 302
    assert db.session.get(Appeal, appeal.id).state == "accepted"
    login(client, built.participants[0])
    body = client.get(url).get_data(as_text=True)
    assert "Ошибка" in body


def test_jury_certificates_issue_and_pdf(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=utcnow())
    login(client, built.organiser)
    assert client.post(f"/jury/stages/{built.stage.id}/certificates").status_code == 302
    certificate = jury_certificates(built.stage.id)[0]
    login(client, built.jurors[0])
    response = client.get(f"/jury/certificates/{certificate.code}.pdf")
    assert response.status_code in (200, 404)  # 404 only while app/pdf.py (courses room) is missing
    if response.status_code == 200:
        assert response.data.startswith(b"%PDF")
    other = teacher()
    db.session.commit()
    login(client, other)
    assert client.get(f"/jury/certificates/{certificate.code}.pdf").status_code in (403, 404)


def test_jury_chair_in_blind_mode_resolves_without_seeing_names(app, client) -> None:
    from contest_engine.jury.models import StageJuror

    built = jury_stage(entries=1, jurors=1, blind=True)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=utcnow())
    db.session.execute(StageJuror.__table__.update().values(is_chair=True))
    stage = db.session.get(Stage, built.stage.id)
    stage.results_published_at = utcnow() - timedelta(minutes=5)
    stage.appeals_close_at = utcnow() + timedelta(hours=5)
    db.session.commit()
    appeal = appeals.file_appeal(built.entries[0], built.participants[0], "Прошу пересмотреть", now=utcnow())
    login(client, built.jurors[0])
    secret = built.participants[0].full_name
    for path in (f"/jury/stages/{built.stage.id}/appeals", f"/jury/appeals/{appeal.id}"):
        response = client.get(path)
        assert response.status_code == 200 and secret not in response.get_data(as_text=True)
    response = client.post(
        f"/jury/appeals/{appeal.id}", data={"decision": "rejected", "reason": "Оценка верна"}
    )
    assert response.status_code == 302
    assert db.session.get(Appeal, appeal.id).state == "rejected"


def test_schedule_links_jurors_to_entries_and_finalists_to_their_materials(app, client) -> None:
    built = jury_stage(entries=1, jurors=1, blind=True)
    slot = schedule.create_slot(
        built.stage,
        starts_at=utcnow() + timedelta(days=1),
        duration_minutes=30,
        location="",
        actor=built.organiser,
    )
    schedule.assign_slot(slot, built.participations[0].id, actor=built.organiser)
    login(client, built.jurors[0])
    body = client.get(f"/jury/stages/{built.stage.id}/schedule").get_data(as_text=True)
    assert f"/jury/entries/{built.entries[0].id}" in body and built.participants[0].full_name not in body
    login(client, built.participants[0])
    body = client.get(f"/jury/stages/{built.stage.id}/schedule").get_data(as_text=True)
    assert f"/contests/stages/{built.stage.id}" in body and built.participants[0].full_name in body


def test_juror_lists_and_downloads_their_certificate(app, client) -> None:
    built = jury_stage(entries=1, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=utcnow())
    certificate = issue_jury_certificates(built.stage, actor=built.organiser, now=utcnow())[0]
    login(client, built.jurors[0])
    assert certificate.code in client.get("/jury/").get_data(as_text=True)
    response = client.get(f"/jury/certificates/{certificate.code}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
