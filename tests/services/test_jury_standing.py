"""Jury standings kept with the entries: after every write that can change them (a score, a draft,
an appeal, an allocation, a juror removed, the aggregation changed, scoring closed) the stored rows
equal a fresh computation from the sheets; two jurors scoring at once leave them right; the
overview reads them with a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from sqlalchemy import delete, select

from app.cache_versions import current
from app.extensions import db
from contest_engine.jury import appeals
from contest_engine.jury.assignment import allocate_stage
from contest_engine.jury.closing import close_scoring
from contest_engine.jury.jurors import remove_stage_juror
from contest_engine.jury.models import EntryStanding, JuryAssignment, StageJuror
from contest_engine.jury.overview import entry_scores, scores_overview
from contest_engine.jury.setup import set_jury_spec, spec_of
from contest_engine.jury.sheets import save_scores
from contest_engine.jury.standing import compute_standing, refresh_standing, standing_key
from contest_engine.models import Stage
from tests.concurrency import at_once_words, skip_memory_database
from tests.conftest import login
from tests.factories.jury import jury_stage

NOW = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)


def _stored(stage_id: int) -> list[dict]:  # type: ignore[type-arg]
    db.session.expire_all()
    rows = db.session.scalars(
        select(EntryStanding).where(EntryStanding.stage_id == stage_id).order_by(EntryStanding.position)
    )
    columns = [c.name for c in EntryStanding.__table__.columns]
    return [{c: getattr(row, c) for c in columns} for row in rows]


def _agrees(stage_id: int) -> None:
    assert _stored(stage_id) == compute_standing(stage_id)


def test_scores_keep_the_standing_and_rank_per_division(app) -> None:
    built = jury_stage(entries=3, jurors=2)
    stage_id = built.stage.id  # the factory wrote entries and assignments directly: no rows yet
    first, second, third = built.entries
    save_scores(first, built.jurors[0], {"Содержание": 6, "Методика": 3}, "", submit=True, now=NOW)
    _agrees(stage_id)
    assert all(row["rank"] is None for row in _stored(stage_id))  # a juror still missing everywhere
    for entry, points in ((first, 6), (second, 9), (third, 9)):
        for user in built.jurors:
            save_scores(entry, user, {"Содержание": points, "Методика": 3}, "", submit=True, now=NOW)
    _agrees(stage_id)
    ranks = {row["entry_id"]: row["rank"] for row in _stored(stage_id)}
    assert ranks == {second.id: 1, third.id: 1, first.id: 3}
    version = current([standing_key(stage_id)])
    save_scores(first, built.jurors[0], {"Содержание": 10, "Методика": 5}, "", submit=True, now=NOW)
    _agrees(stage_id)
    assert current([standing_key(stage_id)]) > version
    row = next(r for r in _stored(stage_id) if r["entry_id"] == first.id)
    assert Fraction(row["score_num"], row["score_den"]) == Fraction(6 + 6 + 10 + 10, 2)  # weights 1 and 2


def test_a_draft_moves_the_version_but_no_standing(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    before = _stored(built.stage.id)
    version = current([standing_key(built.stage.id)])
    save_scores(built.entries[0], built.jurors[0], {"Содержание": 4}, "", submit=False, now=NOW)
    assert _stored(built.stage.id) == before
    assert current([standing_key(built.stage.id)]) > version


def test_appeal_aggregation_removal_and_closing_keep_the_standing(app) -> None:
    built = jury_stage(entries=2, jurors=3)
    stage_id = built.stage.id
    for entry, base in zip(built.entries, (5, 8), strict=True):
        for n, user in enumerate(built.jurors):
            save_scores(entry, user, {"Содержание": base + n, "Методика": 2}, "", submit=True, now=NOW)
    stage = db.session.get(Stage, stage_id)
    stage.results_published_at, stage.appeals_close_at = NOW, NOW + timedelta(hours=72)
    db.session.commit()
    appeal = appeals.file_appeal(built.entries[0], built.participants[0], "Прошу пересмотреть", now=NOW)
    appeals.resolve_appeal(
        appeal,
        decision="accepted",
        score_changes={built.jurors[0].id: {"Содержание": 10}},
        reason="Ошибка в сумме",
        actor=built.organiser,
        now=NOW,
    )
    _agrees(stage_id)
    spec = spec_of(db.session.get(Stage, stage_id))
    spec["aggregation"] = "median"
    set_jury_spec(db.session.get(Stage, stage_id), spec, actor=built.organiser)
    _agrees(stage_id)
    assert any(row["score_den"] == 1 for row in _stored(stage_id))  # a median of three totals
    close_scoring(db.session.get(Stage, stage_id), actor=built.organiser, now=NOW)
    _agrees(stage_id)


def test_removing_a_juror_without_scores_unblocks_the_entries(app) -> None:
    built = jury_stage(entries=2, jurors=2)
    for entry in built.entries:
        save_scores(entry, built.jurors[0], {"Содержание": 7, "Методика": 4}, "", submit=True, now=NOW)
    assert all(row["missing"] == 1 for row in _stored(built.stage.id))
    juror = db.session.scalar(select(StageJuror).where(StageJuror.user_id == built.jurors[1].id))
    remove_stage_juror(juror, actor=built.organiser)
    _agrees(built.stage.id)
    assert [row["missing"] for row in _stored(built.stage.id)] == [0, 0]
    assert all(row["rank"] is not None for row in _stored(built.stage.id))


def test_two_jurors_scoring_at_once_leave_the_standing_right(app) -> None:
    skip_memory_database()
    built = jury_stage(entries=2, jurors=2)
    stage_id = built.stage.id
    entries = [e.id for e in built.entries]
    jurors = [u.id for u in built.jurors]
    for user in built.jurors:
        save_scores(built.entries[0], user, {"Содержание": 5, "Методика": 5}, "", submit=True, now=NOW)

    def scores(entry_id: int, juror_id: int, points: int):  # type: ignore[no-untyped-def]
        def call() -> None:
            from_db = db.session.get
            save_scores(
                from_db(type(built.entries[0]), entry_id),
                from_db(type(built.jurors[0]), juror_id),
                {"Содержание": points, "Методика": 5},
                "",
                submit=True,
                now=NOW,
            )

        return call

    db.session.commit()
    words = at_once_words(app, [scores(entries[1], jurors[0], 8), scores(entries[1], jurors[1], 2)])
    assert words == ["ok", "ok"]
    _agrees(stage_id)
    assert [row["rank"] for row in _stored(stage_id)] == [1, 1]  # (8 + 10 + 2 + 10) / 2 == 5 + 10: a tie


def test_refresh_writes_only_what_changed(app, count_queries) -> None:
    built = jury_stage(entries=4, jurors=2)
    for entry in built.entries:
        for user in built.jurors:
            save_scores(entry, user, {"Содержание": 5, "Методика": 5}, "", submit=True, now=NOW)
    with count_queries() as counter:
        refresh_standing(built.stage.id)
    writes = [s for s in counter.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1  # the version's upsert alone
    db.session.rollback()


def test_overview_reads_stored_rows_in_a_fixed_number_of_queries(app, count_queries) -> None:
    counts = []
    for entries, jurors in ((2, 2), (12, 4)):
        built = jury_stage(entries=entries, jurors=jurors)
        for entry in built.entries[: entries // 2]:
            for user in built.jurors:
                save_scores(entry, user, {"Содержание": 5, "Методика": 5}, "", submit=True, now=NOW)
        db.session.expire_all()
        stage = db.session.get(Stage, built.stage.id)
        with count_queries() as counter:
            overview = scores_overview(stage, page=1, per_page=5)
        counts.append(counter.count)
        assert overview.total == entries and overview.blocked == entries - entries // 2
        assert len(overview.rows) == min(5, entries)
        assigned = db.session.scalars(select(JuryAssignment).where(JuryAssignment.stage_id == stage.id)).all()
        assert sum(len(r.marks) for r in overview.rows) == sum(
            1 for a in assigned if a.entry_id in {r.entry_id for r in overview.rows}
        )
    assert counts[0] == counts[1], counts


def test_allocation_lists_every_entry_waiting_for_its_jurors(app) -> None:
    built = jury_stage(entries=3, jurors=2, allocate=False)
    allocate_stage(db.session.get(Stage, built.stage.id), actor=built.organiser)
    _agrees(built.stage.id)
    assert [row["missing"] for row in _stored(built.stage.id)] == [2, 2, 2]


def test_a_stage_scored_before_standings_were_kept_is_shown_then_stored(app, client) -> None:
    built = jury_stage(entries=2, jurors=1)
    for entry in built.entries:
        save_scores(entry, built.jurors[0], {"Содержание": 5, "Методика": 5}, "", submit=True, now=NOW)
    db.session.execute(delete(EntryStanding))  # as after the upgrade that added the table
    db.session.commit()
    row, _criteria = entry_scores(db.session.get(Stage, built.stage.id), built.entries[0].id)
    assert row is not None and row.score == 15 and row.marks[0].points  # computed, not read
    login(client, built.organiser)
    page = client.get(f"/jury/stages/{built.stage.id}/overview").get_data(as_text=True)
    assert "обновите страницу" in page
    _agrees(built.stage.id)  # stored after that response
    page = client.get(f"/jury/stages/{built.stage.id}/overview").get_data(as_text=True)
    assert "обновите страницу" not in page and page.count("data-entry=") == 2
