"""Jury scoring services: the spec, saving sheets, closing, stage scores and the overview."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from contest_engine.jury import conflicts
from contest_engine.jury.closing import close_scoring
from contest_engine.jury.jurors import add_stage_juror
from contest_engine.jury.models import (
    ConflictSource,
    JuryAssignment,
    JuryConfig,
    Score,
    ScoreSheet,
    SheetState,
)
from contest_engine.jury.overview import scores_overview
from contest_engine.jury.scores import aggregate_entry, stage_scores
from contest_engine.jury.setup import configure_stage_jury, spec_of
from contest_engine.jury.sheets import save_scores, sheet_for
from contest_engine.jury.spec import SpecError, parse_spec
from contest_engine.models import Entry, Stage
from tests.factories.accounts import juror
from tests.factories.jury import jury_stage

NOW = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
FULL = {"Содержание": 8, "Методика": "4,5"}


def test_configure_stage_jury_stores_criteria_and_settings(app) -> None:
    built = jury_stage(entries=0, jurors=0, aggregation="trimmed_mean", blind=True, jurors_per_entry=3)
    spec = spec_of(built.stage)
    assert [c["name"] for c in spec["criteria"]] == ["Содержание", "Методика"]
    assert spec["criteria"][1]["max_points"] == "5" and spec["criteria"][1]["weight"] == "2"
    assert spec["criteria"][0]["levels"][0] == {"points": "0", "text": "не раскрыто"}
    assert spec["aggregation"] == "trimmed_mean" and spec["blind"] is True and spec["jurors_per_entry"] == 3


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"criteria": []}, "criteria"),
        ({"criteria": [{"name": "", "max_points": 5}]}, "criteria.0.name"),
        ({"criteria": [{"name": "A", "max_points": 0}]}, "criteria.0.max_points"),
        ({"criteria": [{"name": "A", "max_points": "abc"}]}, "criteria.0.max_points"),
        ({"criteria": [{"name": "A", "max_points": 5, "weight": -1}]}, "criteria.0.weight"),
        ({"criteria": [{"name": "A", "max_points": 5.555}]}, "criteria.0.max_points"),
        ({"criteria": [{"name": "A", "max_points": 5}, {"name": "A", "max_points": 5}]}, "criteria.1.name"),
        ({"criteria": [{"name": "A", "max_points": 5}], "aggregation": "best"}, "aggregation"),
        ({"criteria": [{"name": "A", "max_points": 5}], "jurors_per_entry": 0}, "jurors_per_entry"),
        ({"criteria": [{"name": "A", "max_points": 5}], "blind": "yes"}, "blind"),
        (
            {"criteria": [{"name": "A", "max_points": 5}], "scoring_due_at": "2027-01-01T10:00"},
            "scoring_due_at",
        ),
    ],
)
def test_parse_spec_rejects_bad_input(spec, field) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(spec)
    assert field in caught.value.problems


def test_configure_stage_jury_refuses_a_bad_spec_by_field_with_translated_text(app) -> None:
    built = jury_stage(entries=0, jurors=0)
    with pytest.raises(Invalid) as caught:
        configure_stage_jury(
            built.stage, {"criteria": [{"name": "A", "max_points": 0}], "blind": "yes"}, actor=built.organiser
        )
    assert caught.value.fields == {
        "criteria.0.max_points": "Нужно число больше 0, не более 2 знаков после запятой.",
        "blind": "Должно быть true или false.",
    }


def test_criteria_cannot_change_once_scored(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=NOW)
    with pytest.raises(Conflict):
        configure_stage_jury(
            built.stage, {"criteria": [{"name": "X", "max_points": 3}]}, actor=built.organiser
        )


def test_save_draft_then_submit_then_change(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    entry, user = built.entries[0], built.jurors[0]
    sheet = save_scores(entry, user, {"Содержание": 7}, "черновик", submit=False, now=NOW)
    assert sheet.state == SheetState.DRAFT
    with pytest.raises(Invalid) as caught:
        save_scores(entry, user, {"Содержание": 7}, "", submit=True, now=NOW)
    assert "criteria.Методика" in caught.value.fields
    sheet = save_scores(entry, user, FULL, "готово", submit=True, now=NOW)
    assert sheet.state == SheetState.SUBMITTED
    _, points = sheet_for(entry.id, user.id)
    assert sorted(points.values()) == [Decimal("4.5"), Decimal(8)]
    save_scores(entry, user, {"Содержание": 9, "Методика": 5}, "", submit=False, now=NOW)
    sheet, points = sheet_for(entry.id, user.id)
    assert sheet.state == SheetState.SUBMITTED and sorted(points.values()) == [Decimal(5), Decimal(9)]
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1


@pytest.mark.parametrize(
    ("marks", "field"),
    [
        ({"Содержание": 11, "Методика": 1}, "criteria.Содержание"),
        ({"Содержание": -1, "Методика": 1}, "criteria.Содержание"),
        ({"Содержание": "много", "Методика": 1}, "criteria.Содержание"),
        ({"Содержание": True, "Методика": 1}, "criteria.Содержание"),
        ({"Содержание": 1.005, "Методика": 1}, "criteria.Содержание"),
        ({"Содержание": 1, "Методика": 1, "Оформление": 2}, "criteria.Оформление"),
    ],
)
def test_save_scores_rejects_bad_points(app, marks, field) -> None:
    built = jury_stage(entries=1, jurors=1)
    with pytest.raises(Invalid) as caught:
        save_scores(built.entries[0], built.jurors[0], marks, "", submit=True, now=NOW)
    assert field in caught.value.fields
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0


def test_unassigned_and_conflicted_jurors_are_refused(app) -> None:
    built = jury_stage(entries=1, jurors=2)
    outsider = juror()
    db.session.commit()
    with pytest.raises(Forbidden):
        save_scores(built.entries[0], outsider, FULL, "", submit=True, now=NOW)
    conflicts.declare_conflict(
        built.contest.id,
        built.jurors[0].id,
        built.participations[0].id,
        source=ConflictSource.DECLARED_BY_ORGANISER,
        actor=built.organiser,
    )
    with pytest.raises(Forbidden):
        save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=NOW)


def test_same_institution_is_a_conflict(app) -> None:
    built = jury_stage(entries=1, jurors=0)
    colleague = juror(institution=built.participants[0].institution)
    add_stage_juror(built.stage, colleague, actor=built.organiser)
    db.session.add(
        JuryAssignment(stage_id=built.stage.id, entry_id=built.entries[0].id, juror_id=colleague.id)
    )
    db.session.commit()
    with pytest.raises(Forbidden):
        save_scores(built.entries[0], colleague, FULL, "", submit=True, now=NOW)


def test_scoring_after_close_is_a_conflict(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    close_scoring(built.stage, actor=built.organiser, now=NOW)
    with pytest.raises(Conflict):
        close_scoring(built.stage, actor=built.organiser, now=NOW)
    with pytest.raises(Conflict):
        save_scores(built.entries[0], built.jurors[0], FULL, "", submit=True, now=NOW)


def _in_thread(app, work, errors):  # type: ignore[no-untyped-def]
    def run() -> None:
        with app.app_context():
            try:
                work()
            except Exception as error:  # noqa: BLE001 - reported to the test
                errors.append(error)
            finally:
                db.session.remove()

    return threading.Thread(target=run)


def test_two_jurors_saving_at_once_are_both_kept(app) -> None:
    built = jury_stage(entries=1, jurors=2)
    entry_id, juror_ids = built.entries[0].id, [u.id for u in built.jurors]
    errors: list[Exception] = []

    def save(juror_id: int):  # type: ignore[no-untyped-def]
        def work() -> None:
            from app.accounts import User

            save_scores(
                db.session.get(Entry, entry_id),
                db.session.get(User, juror_id),
                FULL,
                "",
                submit=True,
                now=NOW,
            )

        return work

    threads = [_in_thread(app, save(jid), errors) for jid in juror_ids]
    db.session.commit()  # end the main thread's transaction: SQLite's writers queue on BEGIN IMMEDIATE
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 2


def test_one_juror_saving_twice_at_once_leaves_one_sheet(app) -> None:
    built = jury_stage(entries=1, jurors=1)
    entry_id, juror_id = built.entries[0].id, built.jurors[0].id
    errors: list[Exception] = []

    def work() -> None:
        from app.accounts import User

        save_scores(
            db.session.get(Entry, entry_id), db.session.get(User, juror_id), FULL, "", submit=True, now=NOW
        )

    threads = [_in_thread(app, work, errors) for _ in range(4)]
    db.session.commit()  # end the main thread's transaction: SQLite's writers queue on BEGIN IMMEDIATE
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1
    assert db.session.scalar(select(func.count()).select_from(Score)) == 2


def test_stage_scores_aggregate_and_block(app) -> None:
    built = jury_stage(entries=2, jurors=3, aggregation="trimmed_mean")
    marks = [
        {"Содержание": 10, "Методика": 5},
        {"Содержание": 6, "Методика": 2},
        {"Содержание": 2, "Методика": 0},
    ]
    for user, m in zip(built.jurors, marks, strict=True):
        save_scores(built.entries[0], user, m, "", submit=True, now=NOW)
    save_scores(built.entries[1], built.jurors[0], FULL, "", submit=True, now=NOW)
    result = stage_scores(db.session.get(Stage, built.stage.id))
    assert result.scores == {built.participations[0].id: Fraction(10)}  # totals 20, 10, 2 → middle 10
    assert len(result.blocked) == 1
    blocked = result.blocked[0]
    assert blocked.entry_id == built.entries[1].id
    assert sorted(blocked.missing_jurors) == sorted(u.id for u in built.jurors[1:])


def test_overview_spread_disagreement_and_rank(app) -> None:
    built = jury_stage(entries=2, jurors=2, threshold=3)
    save_scores(
        built.entries[0], built.jurors[0], {"Содержание": 10, "Методика": 5}, "", submit=True, now=NOW
    )
    save_scores(built.entries[0], built.jurors[1], {"Содержание": 2, "Методика": 5}, "", submit=True, now=NOW)
    save_scores(built.entries[1], built.jurors[0], {"Содержание": 9, "Методика": 5}, "", submit=True, now=NOW)
    save_scores(built.entries[1], built.jurors[1], {"Содержание": 8, "Методика": 5}, "", submit=True, now=NOW)
    overview = scores_overview(built.stage)
    first, second = overview.rows
    assert first.entry_id == built.entries[1].id and first.rank == 1 and first.score_display == "18.50"
    assert first.disagreement is False
    assert second.rank == 2 and second.spread == 8 and second.disagreement is True


def test_overview_runs_a_fixed_number_of_queries(app, count_queries) -> None:
    small = jury_stage(entries=2, jurors=2)
    stage = db.session.get(Stage, small.stage.id)
    with count_queries() as few:
        scores_overview(stage)
    large = jury_stage(entries=12, jurors=4)
    for entry in large.entries[:6]:
        for user in large.jurors:
            save_scores(entry, user, FULL, "", submit=True, now=NOW)
    db.session.expire_all()
    stage = db.session.get(Stage, large.stage.id)
    with count_queries() as many:
        scores_overview(stage)
    assert few.count == many.count


def test_overview_aggregation_on_scaled_integers_matches_scoring_aggregate() -> None:
    """The overview aggregates jurors' integer sums (hundredths × hundredths) and divides once;
    every method must give exactly what scoring.aggregate gives on the Decimal totals."""
    import random

    from contest_engine.rules import scoring

    rng = random.Random(11)
    for _ in range(300):
        totals = [rng.randint(0, 300_000) for _ in range(rng.randint(1, 8))]
        for method in scoring.Aggregation:
            expected = scoring.aggregate([Decimal(t) / Decimal(10_000) for t in totals], method)
            assert aggregate_entry(totals, [], JuryConfig(aggregation=method)).score == expected
    with pytest.raises(ValueError):
        scoring.aggregate([], "mean")
    assert aggregate_entry([], [], JuryConfig(aggregation="mean")).score is None


def test_mark_errors_carry_codes_that_the_messages_module_words() -> None:
    """The form's text comes from the rule's codes, never from its English reasons."""
    from contest_engine.jury.messages import marks_invalid
    from contest_engine.rules import scoring

    rules = [
        scoring.Criterion("A", Decimal(10)),
        scoring.Criterion("B", Decimal(5)),
        scoring.Criterion("D", Decimal(1)),
    ]
    with pytest.raises(scoring.MarkError) as caught:
        scoring.validate_marks(rules, {"A": 11, "B": "x", "C": 1, "D": -1})
    assert caught.value.codes == {
        "A": "above_maximum",
        "B": "not_a_number",
        "C": "unknown_criterion",
        "D": "below_zero",
    }
    with pytest.raises(scoring.MarkError) as missing:
        scoring.validate_marks(rules, {"A": 1})
    assert missing.value.codes == {"B": "missing", "D": "missing"}
    caught.value.errors = {name: "reworded" for name in caught.value.errors}
    assert set(marks_invalid(caught.value, rules).fields) == {
        "criteria.A",
        "criteria.B",
        "criteria.C",
        "criteria.D",
    }
    assert "reworded" not in marks_invalid(caught.value, rules).fields.values()


def test_stage_scores_carry_the_highest_possible_score(app) -> None:
    """Every criterion at its maximum (10 × 1 + 5 × 2); with `sum`, once per juror an entry gets."""
    mean = jury_stage(entries=1, jurors=3)
    assert stage_scores(mean.stage).max_score == Decimal(20)
    summed = jury_stage(entries=1, jurors=3, aggregation="sum")
    assert stage_scores(summed.stage).max_score == Decimal(60)
    per_entry = jury_stage(entries=2, jurors=3, aggregation="sum", jurors_per_entry=2)
    assert stage_scores(per_entry.stage).max_score == Decimal(40)
