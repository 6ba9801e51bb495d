"""Blind review leaks no author (issue 9, item 5): everything an assigned juror of a blind stage can
fetch — pages, API answers, downloads' headers and bytes, the calendar — is searched for every
participant's name and every original file name. Organisers and the participant keep the originals."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from app.extensions import db
from contest_engine.entries import Upload, submit_entry
from contest_engine.jury import blind, schedule
from contest_engine.models import Entry, EntryFile, Stage
from tests.conftest import login
from tests.factories.contests import T0
from tests.factories.jury import jury_stage

NOW = T0 + timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NAMES = [
    ("Учителева Татьяна Ивановна", "Учителева Т.И. план урока.pdf", "Учителева Т.И. презентация.pdf"),
    ("Петров Пётр Петрович", "Петров П.П. конспект.pdf", "Петров П.П. самоанализ.pdf"),
]


def _blind_stage_with_files() -> Any:
    """A blind jury stage; each participant hands in two files named after themselves."""
    built = jury_stage(entries=2, jurors=1, blind=True)
    for index, (full_name, *file_names) in enumerate(NAMES):
        built.participants[index].full_name = full_name
        files = [Upload(name, io.BytesIO(PDF)) for name in file_names]
        built.entries[index] = submit_entry(
            db.session.get(Stage, built.stage.id),
            built.participations[index],
            text="План урока",
            files=files,
            actor=built.participants[index],
            now=NOW,
        )
    slot = schedule.create_slot(
        db.session.get(Stage, built.stage.id),
        starts_at=NOW + timedelta(days=2),
        duration_minutes=30,
        location="Кабинет 12",
        actor=built.organiser,
    )
    schedule.assign_slot(slot, built.participations[0].id, actor=built.organiser)
    db.session.commit()
    return built


def _secrets(built: Any) -> list[str]:
    """Every participant's name, institution and original file name, also as JSON and URL escapes."""
    plain = [part for row in NAMES for part in row] + [row[0].split()[0] for row in NAMES]
    plain += [p.institution.name for p in built.participants]
    return plain + [json.dumps(s)[1:-1] for s in plain] + [quote(s) for s in plain]


def _text(response: Any) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return headers + "\n" + response.get_data().decode("utf-8", errors="replace")


def test_a_blind_juror_can_fetch_nothing_that_names_an_author(app, client, api) -> None:
    built = _blind_stage_with_files()
    person = built.jurors[0]
    entries = [db.session.get(Entry, e.id) for e in built.entries]
    attached = {
        e.id: list(
            db.session.scalars(
                select(EntryFile).where(EntryFile.entry_id == e.id).order_by(EntryFile.position)
            )
        )
        for e in entries
    }
    stage_id, contest_id = built.stage.id, built.contest.id
    login(client, person)
    fetched = [
        client.get(path)
        for path in (
            "/dashboard",
            "/jury/",
            f"/jury/stages/{stage_id}/schedule",
            f"/jury/stages/{stage_id}/schedule.ics",
            f"/contests/{contest_id}",
            f"/contests/stages/{stage_id}",
        )
    ]
    downloads = []
    for entry in entries:
        fetched.append(client.get(f"/jury/entries/{entry.id}"))
        for number, row in enumerate(attached[entry.id], start=1):
            for path in (
                f"/jury/entries/{entry.id}/files/{row.id}",
                f"/contests/entries/{entry.id}/files/{row.file_id}",
            ):
                response = client.get(path)
                assert response.status_code == 200 and response.get_data() == PDF, path
                neutral = blind.neutral_file_name(entry.id, number, "pdf")
                assert quote(neutral) in response.headers["Content-Disposition"], response.headers[
                    "Content-Disposition"
                ]
                downloads.append(response)
    token = api(person)
    for path in (
        "/jury/assignments",
        f"/stages/{stage_id}/jury",
        f"/stages/{stage_id}/slots",
        f"/stages/{stage_id}",
        f"/contests/{contest_id}",
    ) + tuple(p for e in entries for p in (f"/entries/{e.id}", f"/entries/{e.id}/scores")):
        fetched.append(token.get(path))
    files = token.get(f"/entries/{entries[0].id}").get_json()["files"]
    assert [f["name"] for f in files] == [blind.neutral_file_name(entries[0].id, n, "pdf") for n in (1, 2)]
    for response in fetched + downloads:
        assert response.status_code < 400, (response.request.path, response.status_code)
        text = _text(response)
        for secret in _secrets(built):
            assert secret not in text, (response.request.path, secret)


def test_organiser_and_participant_keep_the_original_file_names(app, client, api) -> None:
    built = _blind_stage_with_files()
    entry = db.session.get(Entry, built.entries[0].id)
    row = db.session.scalar(
        select(EntryFile).where(EntryFile.entry_id == entry.id).order_by(EntryFile.position)
    )
    original = NAMES[0][1]
    for person in (built.organiser, built.participants[0]):
        assert [f["name"] for f in api(person).get(f"/entries/{entry.id}").get_json()["files"]][0] == original
        login(client, person)
        response = client.get(f"/contests/entries/{entry.id}/files/{row.file_id}")
        assert response.status_code == 200 and quote(original) in response.headers["Content-Disposition"]
        client.post("/auth/logout")


def test_a_stage_that_is_not_blind_shows_jurors_the_original_names(app, api) -> None:
    built = jury_stage(entries=1, jurors=1)
    files = [Upload(NAMES[0][1], io.BytesIO(PDF))]
    entry = submit_entry(
        db.session.get(Stage, built.stage.id),
        built.participations[0],
        files=files,
        actor=built.participants[0],
        now=NOW,
    )
    db.session.commit()
    assert api(built.jurors[0]).get(f"/entries/{entry.id}").get_json()["files"][0]["name"] == NAMES[0][1]


def test_neutral_file_name_keeps_only_a_plain_extension(app) -> None:
    assert blind.neutral_file_name(17, 1, "PDF").endswith("17 — файл 1.pdf") or blind.neutral_file_name(
        17, 1, "PDF"
    ).endswith("17 — file 1.pdf")
    assert "." not in blind.neutral_file_name(17, 2, "p df")
