"""Score sheets' stored juror totals: equal to a fresh recomputation after every write and the backfill."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from contest_engine.jury import appeals
from contest_engine.jury.models import Score, ScoreSheet, SheetState
from contest_engine.jury.overview import scores_overview
from contest_engine.jury.setup import stage_criteria
from contest_engine.jury.sheets import TOTAL_SCALE, save_scores
from contest_engine.models import Stage
from contest_engine.rules import scoring
from tests.factories.jury import jury_stage
from tests.services.test_jury_work import NOW


def _published(built, hours: int = 72) -> None:  # type: ignore[no-untyped-def]
    stage = db.session.get(Stage, built.stage.id)
    stage.results_published_at = NOW
    stage.appeals_close_at = NOW + timedelta(hours=hours)
    db.session.commit()


def _recomputed_totals(stage_id: int) -> dict[int, Decimal | None]:
    """Each sheet's juror total computed afresh from its criterion points (scoring.juror_total),
    None unless the sheet is submitted with points for every criterion."""
    criteria = stage_criteria(stage_id)
    rules = [scoring.Criterion(c.name, c.max_points, c.weight) for c in criteria]
    names = {c.id: c.name for c in criteria}
    expected: dict[int, Decimal | None] = {}
    for sheet in db.session.scalars(select(ScoreSheet).where(ScoreSheet.stage_id == stage_id)):
        marks = {
            names[s.criterion_id]: s.points
            for s in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))
        }
        complete = sheet.state == SheetState.SUBMITTED and set(marks) == set(names.values())
        expected[sheet.id] = scoring.juror_total(rules, marks) if complete else None
    return expected


def _stored_totals(stage_id: int) -> dict[int, Decimal | None]:
    db.session.expire_all()
    return {
        sheet_id: None if total is None else Decimal(total) / TOTAL_SCALE
        for sheet_id, total in db.session.execute(
            select(ScoreSheet.id, ScoreSheet.weighted_total).where(ScoreSheet.stage_id == stage_id)
        )
    }


def test_stored_sheet_totals_equal_a_fresh_recomputation(app) -> None:
    """ScoreSheet.weighted_total follows every score write: drafts (none), submissions,
    resubmissions and an accepted appeal, with criteria weights other than 1."""
    criteria = [
        {"name": "Содержание", "max_points": 10, "weight": "1.5"},
        {"name": "Методика", "max_points": 5, "weight": "0.25"},
        {"name": "Оформление", "max_points": 3, "weight": 3},
    ]
    built = jury_stage(entries=3, jurors=3, criteria=criteria, aggregation="median")
    stage_id = built.stage.id

    def check() -> dict[int, Decimal | None]:
        stored = _stored_totals(stage_id)
        assert stored == _recomputed_totals(stage_id)
        return stored

    first, second, third = built.entries
    save_scores(first, built.jurors[0], {"Содержание": "7,25"}, "", submit=False, now=NOW)  # a draft
    assert set(check().values()) == {None}
    save_scores(
        first,
        built.jurors[0],
        {"Содержание": "7.25", "Методика": "4.5", "Оформление": 2},
        "",
        submit=True,
        now=NOW,
    )
    for entry, base in ((first, 6), (second, 9), (third, 3)):
        for user in built.jurors:
            if (entry, user) == (third, built.jurors[2]):
                save_scores(entry, user, {"Содержание": 1}, "", submit=False, now=NOW)  # stays a draft
            elif (entry, user) != (first, built.jurors[0]):
                save_scores(
                    entry,
                    user,
                    {"Содержание": base, "Методика": "3.75", "Оформление": "1.01"},
                    "",
                    submit=True,
                    now=NOW,
                )
    stored = check()
    assert sum(total is None for total in stored.values()) == 1
    save_scores(
        second,
        built.jurors[1],
        {"Содержание": "9.99", "Методика": 0, "Оформление": 3},
        "",
        submit=True,
        now=NOW,
    )  # a resubmission
    check()
    _published(built)
    appeal = appeals.file_appeal(first, built.participants[0], "Прошу пересмотреть", now=NOW)
    appeals.resolve_appeal(
        appeal,
        decision="accepted",
        score_changes={str(built.jurors[1].id): {"Содержание": 10, "Оформление": "0.5"}},
        reason="Недооценено",
        actor=built.organiser,
        now=NOW,
    )
    stored = check()
    sheet = {
        s.juror_id: s.id
        for s in db.session.scalars(select(ScoreSheet).where(ScoreSheet.entry_id == first.id))
    }
    assert (
        stored[sheet[built.jurors[1].id]]
        == Decimal("10") * Decimal("1.5") + Decimal("3.75") * Decimal("0.25") + Decimal("0.5") * 3
    )
    # The overview reads the stored totals and still agrees with scoring.aggregate on fresh totals.
    overview = scores_overview(db.session.get(Stage, stage_id))
    fresh = _recomputed_totals(stage_id)
    for row in overview.rows:
        totals = [fresh[m.sheet_id] for m in row.marks if m.sheet_id is not None]
        if None in totals:
            assert row.score is None and row.entry_id == third.id
        else:
            assert row.score == scoring.aggregate(totals, "median")
            assert [m.total for m in row.marks] == totals


def test_migration_backfill_gives_the_stored_totals(app) -> None:
    """0006_jury_totals fills weighted_total for existing sheets exactly as the services keep it."""
    import importlib.util
    from pathlib import Path

    from sqlalchemy import text, update

    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0006_jury_totals.py"
    spec = importlib.util.spec_from_file_location("migration_0006_jury_totals", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    criteria = [
        {"name": "Содержание", "max_points": 10, "weight": "1.5"},
        {"name": "Методика", "max_points": 5, "weight": 2},
    ]
    built = jury_stage(entries=2, jurors=2, criteria=criteria)
    save_scores(
        built.entries[0], built.jurors[0], {"Содержание": "7.25", "Методика": "4.5"}, "", submit=True, now=NOW
    )
    save_scores(built.entries[0], built.jurors[1], {"Содержание": "3.5"}, "", submit=False, now=NOW)
    save_scores(
        built.entries[1], built.jurors[0], {"Содержание": 10, "Методика": 0}, "", submit=True, now=NOW
    )
    kept = _stored_totals(built.stage.id)
    db.session.execute(update(ScoreSheet).values(weighted_total=None))
    db.session.execute(text(migration.BACKFILL))
    db.session.commit()
    assert _stored_totals(built.stage.id) == kept == _recomputed_totals(built.stage.id)
    assert sorted(str(t) for t in kept.values() if t is not None) == ["15", "19.875"]
