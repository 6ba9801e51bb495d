"""Contest room: olympiad rounds — the contest's question bank, the stage's quiz and the contest
attempt policy (`contest_attempt_policy`, registered for "contest" quizzes by create_app in app/wiring.py).

The round is a quiz of the quiz engine; this module decides who may start it and caps each
attempt's deadline at the stage's close (the quiz engine takes the smaller of that and
start + time limit).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import aliased

from app import audit
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from contest_engine.models import Contest, Participation, Stage, StageParticipant
from contest_engine.queries import COMPETITIVE_KINDS
from contest_engine.rules.stages import StageKind, StageState, clock_state
from courses.quiz.bank_gift import export_gift, import_gift
from courses.quiz.banks import bank_for, create_bank
from courses.quiz.models import QuestionBank
from courses.quiz.policies import AttemptPolicy
from courses.quiz.quizzes import create_quiz


def find_contest_bank(contest: Contest) -> QuestionBank | None:
    """The contest's bank if it has one; writes nothing (pages that only show a link use it)."""
    if contest.bank_id is not None:
        bank = db.session.get(QuestionBank, contest.bank_id)
        if bank is not None:
            return bank
    return bank_for("contest", contest.id)


def _bank_in_transaction(contest: Contest) -> QuestionBank:
    """The contest's bank, created (flushed, not committed) for contests made before banks existed."""
    bank = find_contest_bank(contest) or create_bank("contest", contest.id, contest.title)
    if contest.bank_id != bank.id:
        contest.bank_id = bank.id
    return bank


def contest_bank(contest: Contest) -> Any:
    """The contest's own question bank, made on first use for contests created before it existed."""
    bank = _bank_in_transaction(contest)
    db.session.commit()
    return bank


def import_questions(contest: Contest, text: str, *, actor: User, valid_only: bool = False) -> Any:
    """GIFT into the contest's bank (all or nothing unless `valid_only`); returns the quiz engine's report.
    A lazily made bank joins the import's transaction: a refused import rolls it back, so a refusal
    writes nothing."""
    report = import_gift(_bank_in_transaction(contest), text, actor=actor, valid_only=valid_only)
    if report.refused:
        db.session.rollback()
    return report


def export_questions(contest: Contest) -> str:
    """The contest bank's questions in GIFT; a contest whose bank was never made has none (reading
    it makes no bank: an export is a GET)."""
    bank = find_contest_bank(contest)
    return export_gift(bank) if bank is not None else ""


def create_round(
    stage: Stage,
    contest: Contest,
    *,
    question_ids: Sequence[int],
    time_limit_minutes: int | None,
    max_grade: Decimal,
    shuffle: bool,
    actor: User,
    now: datetime,
) -> Any:
    """Make the stage's quiz from bank questions: one attempt each, open in the stage's window."""
    if stage.kind != StageKind.OLYMPIAD:
        raise Conflict(_("Only an olympiad stage has a round."))
    if stage.quiz_id is not None:
        raise Conflict(_("This stage already has its round."))
    if clock_state(stage.state, stage.opens_at, stage.closes_at, now) not in (
        StageState.SCHEDULED,
        StageState.DRAFT,
    ):
        raise Conflict(_("The stage has already opened: its round can no longer be set up."))
    if not question_ids:
        raise Invalid(
            _("Choose at least one question."), {"question_ids": _("Choose at least one question.")}
        )
    quiz = create_quiz(
        contest_bank(contest),
        title=stage.title,
        question_ids=list(question_ids),
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=1,
        grading_method="highest",
        max_grade=max_grade,
        opens_at=stage.opens_at,
        closes_at=stage.closes_at,
        shuffle_questions=shuffle,
        shuffle_answers=shuffle,
        review_when="after_close",
        actor=actor,
    )
    stage.quiz_id = quiz.id
    audit.record(
        "stage.round_created",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        object_type="stage",
        object_id=stage.id,
        details={"quiz_id": quiz.id},
    )
    db.session.commit()
    return quiz


def stage_for_quiz(quiz_id: int) -> Stage | None:
    return db.session.scalar(select(Stage).where(Stage.quiz_id == quiz_id))


def _admission_statement() -> Select[Stage, Participation, bool, bool]:
    """The quiz's stage, the user's participation in its contest, whether a competitive stage comes
    before it and whether the participation advanced into it (built once: building it cost more
    than running it)."""
    earlier = aliased(Stage)
    before = (
        select(earlier.id)
        .where(
            earlier.contest_id == Stage.contest_id,
            earlier.position < Stage.position,
            earlier.kind.in_(COMPETITIVE_KINDS),
        )
        .exists()
    )
    advanced = (
        select(StageParticipant.id)
        .where(StageParticipant.stage_id == Stage.id, StageParticipant.participation_id == Participation.id)
        .exists()
    )
    return (
        select(Stage, Participation, before, advanced)
        .outerjoin(
            Participation,
            and_(Participation.contest_id == Stage.contest_id, Participation.user_id == bindparam("user_id")),
        )
        .where(Stage.quiz_id == bindparam("quiz_id"))
        .limit(1)
    )


_ADMISSION = _admission_statement()


def _stage_and_admission(quiz_id: int, user_id: int) -> tuple[Stage, Participation | None, bool] | None:
    """The quiz's stage, the user's participation and whether it is admitted to the stage (a
    registration stage or the first competitive one admits everybody registered, a later one those
    who advanced), in one statement: the policy is asked on every start on contest day."""
    found = db.session.execute(_ADMISSION, {"quiz_id": quiz_id, "user_id": user_id}).first()
    if found is None:
        return None
    stage, participation, has_earlier, has_advanced = found
    admitted = stage.kind == StageKind.REGISTRATION or not has_earlier or bool(has_advanced)
    return stage, participation, admitted


def contest_attempt_policy(user: User, quiz: Any, now: datetime) -> Any:
    """A participant admitted to the stage may start its round while the stage is open; the attempt
    never outlives the stage (deadline_cap = stage close)."""
    found = _stage_and_admission(quiz.id, user.id)
    if found is None:
        return AttemptPolicy(False, _("This quiz is not a contest round."), None, True)
    stage, participation, admitted = found
    if participation is None:
        return AttemptPolicy(False, _("Only the contest's participants take this round."), None, True)
    state = clock_state(stage.state, stage.opens_at, stage.closes_at, now)
    if state != StageState.OPEN:
        if now < stage.opens_at:
            return AttemptPolicy(False, _("The round has not started yet."), stage.closes_at)
        return AttemptPolicy(False, _("The round is over."), stage.closes_at)
    if not admitted:
        return AttemptPolicy(False, _("You did not advance to this round."), stage.closes_at)
    return AttemptPolicy(True, "", stage.closes_at)
