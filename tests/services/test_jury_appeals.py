"""Jury appeals: filing during the window, resolving with changed points, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.notifications import Notification
from contest_engine.jury import appeals
from contest_engine.jury.models import (
    Appeal,
)
from contest_engine.jury.scores import stage_scores
from contest_engine.jury.sheets import save_scores
from contest_engine.models import Stage
from tests.factories.jury import jury_stage

NOW = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
LINKS = {
    "queue_url": "http://localhost/jury/",
    "set_password_url": lambda token: f"http://localhost/reset/{token}",
}
FULL = {"Содержание": 8, "Методика": 4}


def _published(built, hours: int = 72) -> None:  # type: ignore[no-untyped-def]
    stage = db.session.get(Stage, built.stage.id)
    stage.results_published_at = NOW
    stage.appeals_close_at = NOW + timedelta(hours=hours)
    db.session.commit()


def test_appeal_accepted_changes_scores_audits_and_notifies(app) -> None:
    built = jury_stage(entries=2, jurors=2)
    for entry, base in zip(built.entries, (8, 9), strict=True):
        for user in built.jurors:
            save_scores(entry, user, {"Содержание": base, "Методика": 4}, "", submit=True, now=NOW)
    _published(built)
    assert stage_scores(built.stage).scores[built.participations[1].id] == Fraction(17)
    appeal = appeals.file_appeal(built.entries[0], built.participants[0], "Прошу пересмотреть", now=NOW)
    with pytest.raises(Conflict):
        appeals.file_appeal(built.entries[0], built.participants[0], "Ещё раз", now=NOW)
    appeals.resolve_appeal(
        appeal,
        decision="accepted",
        score_changes={str(built.jurors[0].id): {"Содержание": 10}, built.jurors[1].id: {"Содержание": "10"}},
        reason="Недооценено содержание",
        actor=built.organiser,
        now=NOW,
    )
    scores = stage_scores(db.session.get(Stage, built.stage.id)).scores
    assert scores[built.participations[0].id] == Fraction(18) > scores[built.participations[1].id]
    stored = db.session.get(Appeal, appeal.id)
    assert stored.state == "accepted" and stored.changes[str(built.jurors[0].id)]["Содержание"] == ["8", "10"]
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "jury.appeal_accepted"))
    assert audit.reason == "Недооценено содержание"
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == built.participants[0].id)
        )
        == 1
    )
    with pytest.raises(Conflict):
        appeals.resolve_appeal(
            stored, decision="rejected", score_changes={}, reason="x", actor=built.organiser, now=NOW
        )


@pytest.mark.parametrize(
    ("decision", "changes", "reason", "field"),
    [
        ("maybe", {}, "r", "decision"),
        ("accepted", {}, "  ", "reason"),
        ("rejected", {"1": {"Содержание": 1}}, "r", "score_changes"),
        ("accepted", {"abc": {"Содержание": 1}}, "r", "score_changes.abc"),
        ("accepted", {"JUROR": {"Содержание": 99}}, "r", "score_changes.JUROR.Содержание"),
        ("accepted", {"999999": {"Содержание": 1}}, "r", "score_changes.999999"),
    ],
)
def test_resolve_appeal_rejects_bad_input(app, decision, changes, reason, field) -> None:
    built = jury_stage(entries=1, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=NOW)
    _published(built)
    appeal = appeals.file_appeal(built.entries[0], built.participants[0], "Текст", now=NOW)
    juror_id = str(built.jurors[0].id)
    changes = {k.replace("JUROR", juror_id): v for k, v in changes.items()}
    with pytest.raises(Invalid) as caught:
        appeals.resolve_appeal(
            appeal, decision=decision, score_changes=changes, reason=reason, actor=built.organiser, now=NOW
        )
    assert field.replace("JUROR", juror_id) in caught.value.fields
    assert db.session.get(Appeal, appeal.id).state == "open"


def test_appeal_outside_the_window_or_by_someone_else(app) -> None:
    built = jury_stage(entries=2, jurors=1)
    with pytest.raises(Conflict):
        appeals.file_appeal(built.entries[0], built.participants[0], "Рано", now=NOW)
    _published(built, hours=1)
    with pytest.raises(Forbidden):
        appeals.file_appeal(built.entries[0], built.participants[1], "Чужое", now=NOW)
    with pytest.raises(Invalid):
        appeals.file_appeal(built.entries[0], built.participants[0], "   ", now=NOW)
    with pytest.raises(Conflict):
        appeals.file_appeal(built.entries[0], built.participants[0], "Поздно", now=NOW + timedelta(hours=2))
