"""Contest room: a contest as the organiser describes it (`ContestSpec`, `StageSpec`) and every
problem with that description, by field, so a form shows them all. No writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.i18n import _
from app.timeutil import is_valid_timezone
from contest_engine.messages import advancement_problem, award_problem, between, timeline_problem, too_long
from contest_engine.models import Award, Contest, ContestKind, Division, Stage
from contest_engine.rules import advancement as advancement_rules
from contest_engine.rules import awards as award_rules
from contest_engine.rules.stages import StageKind, StageTimes, validate_timeline


@dataclass
class StageSpec:
    """One stage as the organiser describes it (API body or browser form)."""

    title: str
    kind: str
    opens_at: datetime
    closes_at: datetime
    advancement: dict[str, Any] | None = None
    jury: dict[str, Any] | None = None
    quiz_id: int | None = None
    description: str = ""
    tiebreak_by_time: bool = False
    accepts_text: bool = True
    accepts_link: bool = True
    accepts_files: bool = True
    file_types: str = "pdf,doc,docx,odt,ppt,pptx,jpg,png"
    max_file_mb: int = 10
    max_files: int = 3


@dataclass
class ContestSpec:
    title: str
    kind: str = ContestKind.TEACHER.value
    timezone: str = "Europe/Moscow"
    description: str = ""
    rules: str = ""
    divisions: list[str] = field(default_factory=list)
    stages: list[StageSpec] = field(default_factory=list)
    awards: list[dict[str, Any]] = field(default_factory=list)
    award_quota_percent: Decimal | float | int | None = None
    asks_institution: bool = True
    asks_grade: bool = False
    asks_subject: bool = False
    requires_consent: bool = True


def limit(column: Any) -> int:
    """A String column's length: text limits come from the models, so no text longer than its
    column reaches the database (PostgreSQL would refuse it with a server error)."""
    return int(column.type.length)


def column_too_long(column: Any) -> str:
    return too_long(limit(column))


def check_contest_spec(spec: ContestSpec) -> dict[str, str]:
    """Every problem with a contest description, as {field path: message}, so a form shows them all."""
    fields: dict[str, str] = {}
    if not spec.title.strip():
        fields["title"] = _("Enter the title.")
    elif len(spec.title.strip()) > limit(Contest.title):
        fields["title"] = column_too_long(Contest.title)
    if spec.kind not in {k.value for k in ContestKind}:
        fields["kind"] = _("Unknown contest kind.")
    if not is_valid_timezone(spec.timezone):
        fields["timezone"] = _("Unknown time zone.")
    names = [name.strip() for name in spec.divisions]
    if not names:
        fields["divisions"] = _("Add at least one division.")
    elif any(not name for name in names):
        fields["divisions"] = _("A division needs a name.")
    elif len(set(names)) != len(names):
        fields["divisions"] = _("Division names must differ.")
    elif any(len(name) > limit(Division.name) for name in names):
        fields["divisions"] = _(
            "A division's name is too long (at most %(n)s characters).", n=limit(Division.name)
        )
    if not spec.stages:
        fields["stages"] = _("Add at least one stage.")
    for error in validate_timeline([StageTimes(s.opens_at, s.closes_at) for s in spec.stages]):
        fields.setdefault(f"stages.{error.index}.{error.field}", timeline_problem(error))
    for index, stage in enumerate(spec.stages):
        prefix = f"stages.{index}"
        if not stage.title.strip():
            fields[f"{prefix}.title"] = _("Enter the title.")
        elif len(stage.title.strip()) > limit(Stage.title):
            fields[f"{prefix}.title"] = column_too_long(Stage.title)
        if len(stage.file_types) > limit(Stage.file_types):
            fields[f"{prefix}.file_types"] = column_too_long(Stage.file_types)
        if stage.kind not in {k.value for k in StageKind}:
            fields[f"{prefix}.kind"] = _("Unknown stage kind.")
            continue
        if stage.advancement is not None:
            fields.update(check_advancement(stage.advancement, f"{prefix}.advancement"))
        if stage.jury is not None and stage.kind not in (StageKind.SUBMISSION, StageKind.JURY):
            fields[f"{prefix}.jury"] = _("Only submission and jury stages have a jury.")
        if stage.kind == StageKind.JURY and stage.jury is None:
            fields[f"{prefix}.jury"] = _("A jury stage needs its jury: criteria and aggregation.")
        if stage.quiz_id is not None and stage.kind != StageKind.OLYMPIAD:
            fields[f"{prefix}.quiz_id"] = _("Only olympiad stages have a quiz.")
        elif stage.quiz_id is not None:
            fields[f"{prefix}.quiz_id"] = _(
                "Create the round after the contest, from the contest's own question bank."
            )
        if stage.max_file_mb < 1 or stage.max_file_mb > 100:
            fields[f"{prefix}.max_file_mb"] = between(1, 100)
        if stage.max_files < 0 or stage.max_files > 20:
            fields[f"{prefix}.max_files"] = between(0, 20)
    if spec.award_quota_percent is not None and not 0 <= Decimal(str(spec.award_quota_percent)) <= 100:
        fields["award_quota_percent"] = between(0, 100)
    for index, rule in enumerate(spec.awards):
        try:
            award_rules.parse_rules([rule])
        except award_rules.AwardRuleError as error:
            fields[f"awards.{index}"] = award_problem(error)
        else:
            if len(str(rule.get("title", "")).strip()) > limit(Award.title):
                fields[f"awards.{index}"] = column_too_long(Award.title)
    return fields


def check_advancement(config: dict[str, Any], prefix: str) -> dict[str, str]:
    try:
        advancement_rules.parse_rule(config)
    except advancement_rules.AdvancementRuleError as error:
        name, message = advancement_problem(error)
        return {f"{prefix}.{name}": message}
    return {}
