"""Jury room: a juror's score sheet for an entry — saving a draft, submitting, changing before
scoring closes — with the stored weighted total computed by the pure `rules.scoring.juror_total`.
Writes sheets and their criterion scores only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.jury.access import scoring_standing
from contest_engine.jury.closing import scoring_closed
from contest_engine.jury.messages import marks_invalid
from contest_engine.jury.models import TOTAL_SCALE, JuryCriterion, Score, ScoreSheet, SheetState
from contest_engine.jury.setup import stage_criteria
from contest_engine.jury.standing import refresh_standing, standing_key
from contest_engine.models import Entry, Stage
from contest_engine.rules import scoring

SAVE_RETRIES = 3


def save_scores(
    entry: Entry, juror: User, marks: Mapping[str, object], comment: str = "", *, submit: bool, now: datetime
) -> ScoreSheet:
    """Save a juror's sheet for an entry: a draft (some criteria may be empty) or submitted (all).

    A submitted sheet stays submitted: later saves must be complete and replace the marks until
    scoring closes. One sheet per juror and entry (unique); a concurrent save by the same juror
    that loses the insert race retries as an update, so both saves land on the one sheet.
    """
    stage = db.session.get(Stage, entry.stage_id)
    assert stage is not None
    assigned, conflicted = scoring_standing(juror.id, entry)
    if not assigned:
        raise Forbidden(_("This entry is not assigned to you."))
    if conflicted:
        raise Forbidden(
            _("You have a conflict of interest with this participant: your score cannot be saved.")
        )
    if scoring_closed(stage):
        raise Conflict(_("Scoring of this stage is closed."))
    criteria = stage_criteria(stage.id)
    if not criteria:
        raise Conflict(_("The organiser has not defined the criteria yet."))
    if len(comment) > 10000:
        message = _("Too long (at most %(n)s characters).", n=10000)
        raise Invalid(message, {"comment": message})
    entry_id, juror_id, stage_id = entry.id, juror.id, stage.id
    for attempt in range(SAVE_RETRIES):
        try:
            return _write_sheet(stage_id, entry_id, juror_id, criteria, marks, comment, submit, now)
        except IntegrityError:
            db.session.rollback()
            if attempt == SAVE_RETRIES - 1:
                raise Conflict(
                    _("The scores were saved at the same time elsewhere. Reload and try again.")
                ) from None
            criteria = stage_criteria(stage_id)
    raise AssertionError("unreachable")


def check_marks(
    criteria: list[JuryCriterion], marks: Mapping[str, object], complete: bool
) -> dict[str, Decimal]:
    """A juror's marks by criterion name, checked by the pure rule and to the column's 2 decimal
    places; refused by the field `criteria.<name>` (the appeal's resolution reuses it)."""
    rules = _rules(criteria)
    try:
        parsed = scoring.validate_marks(rules, marks, complete=complete)
    except scoring.MarkError as error:
        raise marks_invalid(error, rules) from None
    too_precise = {
        f"criteria.{k}": _("At most 2 decimal places.")
        for k, v in parsed.items()
        if v != v.quantize(Decimal("0.01"))
    }
    if too_precise:
        raise Invalid(_("Some points are invalid."), too_precise)
    return parsed


def sheet_weighted_total(criteria: list[JuryCriterion], points: Mapping[int, Decimal]) -> int | None:
    """The stored `ScoreSheet.weighted_total` for a sheet's points by criterion id: the pure
    `scoring.juror_total` (Σ points × weight, exact) in ten-thousandths, or None while some
    criterion has no points (a partial total must never rank as a final one)."""
    if any(criterion.id not in points for criterion in criteria):
        return None
    total = (
        Fraction(scoring.juror_total(_rules(criteria), {c.name: points[c.id] for c in criteria}))
        * TOTAL_SCALE
    )
    if total.denominator != 1:
        raise ValueError(f"{total / TOTAL_SCALE} has more than 4 decimal places")
    return total.numerator


def sheet_for(entry_id: int, juror_id: int) -> tuple[ScoreSheet | None, dict[int, Decimal]]:
    """A juror's sheet for an entry and its points by criterion id (for the scoring form)."""
    sheet = db.session.scalar(
        select(ScoreSheet).where(ScoreSheet.entry_id == entry_id, ScoreSheet.juror_id == juror_id)
    )
    if sheet is None:
        return None, {}
    points = {
        row.criterion_id: row.points
        for row in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))
    }
    return sheet, points


def _rules(criteria: list[JuryCriterion]) -> list[scoring.Criterion]:
    return [scoring.Criterion(c.name, c.max_points, c.weight) for c in criteria]


def _write_sheet(
    stage_id: int,
    entry_id: int,
    juror_id: int,
    criteria: list[JuryCriterion],
    marks: Mapping[str, object],
    comment: str,
    submit: bool,
    now: datetime,
) -> ScoreSheet:
    sheet = db.session.scalar(
        select(ScoreSheet).where(ScoreSheet.entry_id == entry_id, ScoreSheet.juror_id == juror_id)
    )
    if sheet is None:
        was_submitted = False
        parsed = check_marks(criteria, marks, complete=submit)
        sheet = ScoreSheet(
            stage_id=stage_id,
            entry_id=entry_id,
            juror_id=juror_id,
            state=SheetState.DRAFT,
            comment=comment,
            updated_at=now,
        )
        db.session.add(sheet)
        db.session.flush()
    else:
        # Takes the row lock on PostgreSQL: two saves of one sheet run one after the other, and the
        # state read after it is the one the other save committed (so only one of them audits).
        db.session.execute(update(ScoreSheet).where(ScoreSheet.id == sheet.id).values(updated_at=now))
        db.session.refresh(sheet)
        was_submitted = sheet.state == SheetState.SUBMITTED
        try:
            parsed = check_marks(criteria, marks, complete=submit or was_submitted)
        except Invalid:
            db.session.rollback()
            raise
    by_criterion = {
        s.criterion_id: s for s in db.session.scalars(select(Score).where(Score.sheet_id == sheet.id))
    }
    before = {c.name: str(by_criterion[c.id].points) for c in criteria if c.id in by_criterion}
    for criterion in criteria:
        row = by_criterion.get(criterion.id)
        if criterion.name in parsed:
            if row is None:
                db.session.add(
                    Score(sheet_id=sheet.id, criterion_id=criterion.id, points=parsed[criterion.name])
                )
            else:
                row.points = parsed[criterion.name]
        elif row is not None:
            db.session.delete(row)
    sheet.comment = comment
    sheet.updated_at = now
    if submit or was_submitted:
        sheet.state = SheetState.SUBMITTED
        sheet.submitted_at = now
    # The sheet's points are now exactly `parsed` (criteria without points were deleted above).
    sheet.weighted_total = (
        sheet_weighted_total(criteria, {c.id: parsed[c.name] for c in criteria if c.name in parsed})
        if sheet.state == SheetState.SUBMITTED
        else None
    )
    after = {k: str(v) for k, v in parsed.items()}
    # Audited only by the save that changed something: a repeated or concurrent identical submit
    # writes no second row.
    if was_submitted and after != before:
        audit.record(
            "jury.score_changed",
            actor=db.session.get(User, juror_id),
            scope_type="stage",
            scope_id=stage_id,
            object_type="entry",
            object_id=entry_id,
            details={"before": before, "after": after},
        )
    elif submit and not was_submitted:
        audit.record(
            "jury.score_submitted",
            actor=db.session.get(User, juror_id),
            scope_type="stage",
            scope_id=stage_id,
            object_type="entry",
            object_id=entry_id,
            details={"after": after},
        )
    if was_submitted or sheet.state == SheetState.SUBMITTED:
        refresh_standing(stage_id)
    else:  # a draft changes nobody's standing, only the overview's «draft» mark
        bump(standing_key(stage_id))
    db.session.commit()
    return sheet
