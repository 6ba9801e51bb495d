"""Contest room: the one place where the pure rules' error codes and the stage, kind and result
states become translated text. Rewording a message here never changes which field shows it."""

from __future__ import annotations

from typing import Any

from app.domain_errors import Conflict, DomainError, Invalid
from app.i18n import _
from contest_engine.models import ResultStatus
from contest_engine.rules.advancement import AdvancementRuleError
from contest_engine.rules.awards import AwardRuleError
from contest_engine.rules.stages import StageKind, StageState, StageTransitionError, TimelineError


def state_label(state: StageState | str) -> str:
    """A stage's state as a phrase with its own subject («этап открыт»), so it agrees whatever the
    stage is called («Регистрация» is feminine, «Финал» masculine); pages capitalise it in badges."""
    labels = {
        StageState.DRAFT: _("stage draft"),
        StageState.SCHEDULED: _("stage not started yet"),
        StageState.OPEN: _("stage open"),
        StageState.CLOSED: _("stage closed"),
        StageState.JUDGING: _("jury at work"),
        StageState.PUBLISHED: _("results published"),
    }
    return str(labels[StageState(state)])


def kind_label(kind: StageKind | str) -> str:
    labels = {
        StageKind.REGISTRATION: _("Registration"),
        StageKind.SUBMISSION: _("Submission"),
        StageKind.OLYMPIAD: _("Olympiad round"),
        StageKind.JURY: _("Jury stage"),
    }
    return str(labels[StageKind(kind)])


def status_labels() -> dict[str, str]:
    """A participant's result status at a stage, as the results pages and exports show it."""
    return {
        ResultStatus.RANKED: _("ranked"),
        ResultStatus.ADVANCED: _("advanced"),
        ResultStatus.ELIMINATED: _("did not advance"),
        ResultStatus.BLOCKED: _("waiting for jury scores"),
        ResultStatus.NO_ENTRY: _("no entry"),
    }


def too_long(limit: int) -> str:
    return _("Too long (at most %(n)s characters).", n=limit)


def between(low: Any, high: Any) -> str:
    return _("Must be between %(lo)s and %(hi)s.", lo=low, hi=high)


def advancement_problem(error: AdvancementRuleError) -> tuple[str, str]:
    """(the rule's field at fault, the message) for a bad advancement rule."""
    by_code = {
        "top_percent_range": ("value", _("The percentage must be above 0 and at most 100.")),
        "top_n_whole": ("value", _("Must be a whole number, 0 or more.")),
        "value_missing": ("value", _("This rule needs a value.")),
        "value_not_taken": ("value", _("This rule takes no value.")),
        "unknown_ties": ("ties", _("Unknown tie policy.")),
        "unknown_rule": ("rule", _("Unknown advancement rule.")),
    }
    return by_code.get(error.code, ("value", _("The value is invalid.")))


def award_problem(error: AwardRuleError) -> str:
    """The message for a bad award rule or an award computation the rules refuse."""
    by_code = {
        "ranks": _("Ranks must be [from, to] with 1 ≤ from ≤ to."),
        "top_percent": _("The percentage must be above 0 and at most 100."),
        "title": _("An award needs a title."),
        "max_missing": _("A rule needs the maximum possible score, and this stage has none."),
    }
    return str(by_code.get(error.code, _("The award rule is invalid.")))


def timeline_problem(error: TimelineError) -> str:
    by_code = {
        "close_before_open": _("The stage must close after it opens."),
        "overlap": _("The stage overlaps the previous one: it must open after that one closes."),
    }
    return str(by_code.get(error.code, _("The time must carry an offset, e.g. +03:00.")))


def transition_refusal(error: StageTransitionError, state: StageState) -> DomainError:
    """The domain error for an organiser's stage action the stage rules refuse."""
    if error.code == "reason_missing":
        return Invalid(
            _("Give a reason: participants will see the stage open again."), {"reason": _("Give a reason.")}
        )
    if error.code in ("close_missing", "close_not_later", "close_past"):
        message = _("The closing time must be later than now and than the current one.")
        return Invalid(message, {"closes_at": message})
    return Conflict(_("This cannot be done now: %(state)s.", state=state_label(state)))
