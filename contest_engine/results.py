"""Contest room: a stage's results — the stored ranking per division (written from the
standings), publication with the appeal window, the results pages and the CSV/XLSX exports."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, case, delete, func, literal, select, update
from sqlalchemy.exc import IntegrityError

from app import audit, exports
from app.accounts import Role, User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from app.pagination import Page
from contest_engine.clock import apply_clock, run_clock
from contest_engine.messages import between, status_labels
from contest_engine.models import Division, Participation, Stage, StageResult
from contest_engine.queries import OPEN_STATES, results_key
from contest_engine.result_rows import ResultRow, ranking_rows, unstored_page, unstored_results
from contest_engine.rules.search import LIKE_ESCAPE, fold, like_pattern
from contest_engine.rules.stages import StageAction, StageState, StageTransitionError, apply_action
from contest_engine.standings import Standings


def results_pending(stage: Stage) -> bool:
    """A closed stage whose ranking was never stored: its pages ask for it to be computed."""
    return stage.results_computed_at is None and stage.state not in OPEN_STATES


def compute_pending_results(stage_id: int, now: datetime) -> None:
    """Store the ranking of a stage that closed without one (run after a page's response, in its
    own write transaction: the caller commits). The clock's move is written first, since the page
    only saw it."""
    stage = db.session.get(Stage, stage_id)
    if stage is None:
        return
    apply_clock([stage], now)
    if results_pending(stage):
        write_results(stage, now=now)


def refresh_results(stage: Stage, *, now: datetime, scores: Standings | None = None) -> None:
    """Recompute the stored ranking (the organiser's "recalculate", and before publication);
    `scores` are standings the caller loaded in this transaction already."""
    write_results(stage, now=now, scores=scores)
    try:
        db.session.commit()
    except IntegrityError:  # another process wrote the same ranking at the same moment
        db.session.rollback()


def publish_results(stage: Stage, *, actor: User, now: datetime, appeal_hours: int = 72) -> Stage:
    """Make the ranking visible to participants and open appeals for `appeal_hours`. Publishing an
    already published stage changes nothing."""
    run_clock(now, contest_id=stage.contest_id)
    db.session.refresh(stage)
    if stage.state == StageState.PUBLISHED:
        return stage
    if not 0 <= appeal_hours <= 24 * 60:
        raise Invalid(between(0, 24 * 60), {"appeal_hours": between(0, 24 * 60)})
    try:
        apply_action(StageAction.PUBLISH, StageState(stage.state), now=now, closes_at=stage.closes_at)
    except StageTransitionError:
        raise Conflict(_("Only a closed stage's results can be published.")) from None
    old = stage.state
    won = (
        cast(
            CursorResult[Any],
            db.session.execute(
                update(Stage)
                .where(Stage.id == stage.id, Stage.state == old)
                .values(
                    state=StageState.PUBLISHED,
                    results_published_at=now,
                    appeals_close_at=now + timedelta(hours=appeal_hours),
                )
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
        == 1
    )
    if not won:
        db.session.rollback()
        db.session.refresh(stage)
        return stage
    write_results(stage, now=now)
    audit.record(
        "stage.published",
        actor=actor,
        scope_type="contest",
        scope_id=stage.contest_id,
        object_type="stage",
        object_id=stage.id,
        details={"appeal_hours": appeal_hours},
    )
    db.session.commit()
    db.session.refresh(stage)
    return stage


def pupil_label(participation_id: int) -> str:
    """What a visitor reads in place of a pupil's name: one neutral word and the participation's
    number, the same on every page and stage of the contest."""
    return str(_("Participant No. %(number)s", number=participation_id))


def pupil_participations(contest_id: int) -> set[int]:
    """The contest's participations held by pupils (one query): the pages a visitor reads put
    `pupil_label` in place of their names."""
    query = (
        select(Participation.id)
        .join(User, User.id == Participation.user_id)
        .where(Participation.contest_id == contest_id, _pupil())
    )
    return set(db.session.scalars(query))


def _pupil() -> Any:
    return User.role == Role.STUDENT


def _search_filter(pattern: str, names_visible: bool) -> Any:
    """The row's folded text matches; for a visitor a pupil's row only by institution or district
    (the fields after the name's separator), never by the name."""
    found = StageResult.search_text.like(pattern, escape=LIKE_ESCAPE)
    if names_visible:
        return found
    after_name = StageResult.search_text.like(f"% | %{pattern[1:]}", escape=LIKE_ESCAPE)
    return found & (~_pupil() | after_name)


def _results_query(
    stage: Stage, *, division_id: int | None = None, search: str = "", names_visible: bool = True
) -> Any:
    full_name = User.full_name if names_visible else case((_pupil(), literal(None)), else_=User.full_name)
    query = (
        select(
            StageResult.participation_id,
            User.id.label("user_id"),
            full_name.label("full_name"),
            Division.name.label("division"),
            Participation.institution_name,
            Participation.district,
            StageResult.score,
            StageResult.rank,
            StageResult.status,
            StageResult.advanced,
            StageResult.time_used_seconds,
        )
        .join(Participation, Participation.id == StageResult.participation_id)
        .join(User, User.id == Participation.user_id)
        .join(Division, Division.id == StageResult.division_id)
        .where(StageResult.stage_id == stage.id)
        .order_by(StageResult.position)
    )
    if division_id:
        query = query.where(StageResult.division_id == division_id)
    pattern = like_pattern(search)
    if pattern is not None:
        query = query.where(_search_filter(pattern, names_visible))
    return query


def results_page(
    stage: Stage,
    *,
    page: int,
    per_page: int,
    division_id: int | None = None,
    search: str = "",
    names_visible: bool = True,
) -> Page[ResultRow]:
    """One page of the stored ranking (computed now while none is stored): two queries at any size.
    The count reads only stage_result (its indexes; for a visitor's search the participants' roles
    too): the search matches the row's folded `search_text` (any case, Cyrillic included, ё as е),
    never the joined names. Without `names_visible` pupils' names are replaced by `pupil_label`."""
    if results_pending(stage):
        if names_visible:
            return unstored_page(stage, page=page, per_page=per_page, division_id=division_id, search=search)
        return _visitor_unstored_page(
            stage, page=page, per_page=per_page, division_id=division_id, search=search
        )
    query = _results_query(stage, division_id=division_id, search=search, names_visible=names_visible)
    page = max(1, page)
    count = select(func.count()).select_from(StageResult).where(StageResult.stage_id == stage.id)
    if division_id:
        count = count.where(StageResult.division_id == division_id)
    pattern = like_pattern(search)
    if pattern is not None:
        if not names_visible:
            count = count.join(Participation, Participation.id == StageResult.participation_id).join(
                User, User.id == Participation.user_id
            )
        count = count.where(_search_filter(pattern, names_visible))
    total = db.session.scalar(count) or 0
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    items = [ResultRow(*row) for row in rows]
    items = [row if row.full_name is not None else _masked(row) for row in items]
    return Page(items=items, page=page, per_page=per_page, total=total)


def _masked(row: ResultRow) -> ResultRow:
    return replace(row, full_name=pupil_label(row.participation_id))


def _visitor_unstored_page(
    stage: Stage, *, page: int, per_page: int, division_id: int | None, search: str
) -> Page[ResultRow]:
    """A visitor's page of a ranking not stored yet: pupils masked and found by institution or
    district only, like the stored one (one more query, for the participants' roles)."""
    rows = unstored_results(stage)
    ids = {row.user_id for row, _text, _division in rows}
    pupils = set(db.session.scalars(select(User.id).where(User.id.in_(ids), _pupil()))) if ids else set()
    folded = fold(search.replace("|", " "))
    kept = []
    for row, text, division in rows:
        pupil = row.user_id in pupils
        searched = text.split(" | ", 1)[-1] if pupil else text
        if (not division_id or division == division_id) and (not folded or folded in searched):
            kept.append(_masked(row) if pupil else row)
    page = max(1, page)
    return Page(
        items=kept[(page - 1) * per_page : page * per_page], page=page, per_page=per_page, total=len(kept)
    )


def all_results(stage: Stage) -> list[ResultRow]:
    if results_pending(stage):
        return [row for row, _text, _division in unstored_results(stage)]
    return [ResultRow(*row) for row in db.session.execute(_results_query(stage)).all()]


def own_result(stage_id: int, participation_id: int) -> StageResult | None:
    return db.session.scalar(
        select(StageResult).where(
            StageResult.stage_id == stage_id, StageResult.participation_id == participation_id
        )
    )


def _export_rows(stage: Stage) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Rank"),
        _("Participant"),
        _("Division"),
        _("Institution"),
        _("District"),
        _("Score"),
        _("Status"),
    ]
    labels = status_labels()
    rows = [
        [r.rank or "", r.full_name, r.division, r.institution, r.district, r.score_text, labels[r.status]]
        for r in all_results(stage)
    ]
    return [str(h) for h in headers], rows


def results_csv(stage: Stage, *, excel: bool = True) -> str:
    headers, rows = _export_rows(stage)
    return exports.csv_text(headers, rows, excel=excel)


def results_xlsx(stage: Stage) -> bytes:
    headers, rows = _export_rows(stage)
    return exports.xlsx_bytes(stage.title, headers, rows, fallback_title="results")


def write_results(
    stage: Stage,
    *,
    now: datetime,
    advanced: set[int] | None = None,
    confirmed: bool = False,
    scores: Standings | None = None,
) -> None:
    """Store the stage's ranking per division from its standings (4 places stored); `scores` are
    the standings the caller already loaded, so they are not loaded and ranked twice. Moves the
    stage's results version on, so cached results pages are built again."""
    rows = ranking_rows(stage, advanced=advanced, confirmed=confirmed, scores=scores).rows
    db.session.execute(delete(StageResult).where(StageResult.stage_id == stage.id))
    if rows:
        db.session.execute(cast(Table, StageResult.__table__).insert(), rows)
    stage.results_computed_at = now
    bump(results_key(stage.id))
