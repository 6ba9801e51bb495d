"""Contest room: editing a contest after it is created — its texts and time zone, what registration
asks for, its divisions (renamed, added, removed while empty) and its awards."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts import User
from app.cache_versions import bump
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _
from app.timeutil import is_valid_timezone
from community.forums.models import Forum, ForumScope
from contest_engine.messages import award_problem, between
from contest_engine.models import Contest, Division, Participation
from contest_engine.queries import contest_divisions, contest_stages, results_key
from contest_engine.rules import awards as award_rules
from contest_engine.spec import column_too_long, limit


@dataclass(frozen=True)
class DivisionEdit:
    """A division as the organiser leaves it: `key` is a stored division's id (None for a new one)."""

    key: int | None
    name: str


@dataclass
class ContestEdit:
    """What the organiser may change on a created contest."""

    title: str
    description: str
    rules: str
    timezone: str
    asks_institution: bool
    asks_grade: bool
    asks_subject: bool
    requires_consent: bool
    divisions: list[DivisionEdit] | None = None
    awards: list[dict[str, Any]] | None = None
    award_quota_percent: Decimal | None = None


def update_contest(contest: Contest, edit: ContestEdit, *, actor: User) -> Contest:
    """Save the organiser's edit: every problem by its field at once, nothing written on a refusal.

    A division is removed only while nobody is registered in it and it has no forum of its own
    (the participants' entries, results and talk stay attached to it); renaming one keeps them.
    """
    divisions = contest_divisions(contest.id)
    fields = _problems(edit)
    if edit.divisions is not None:
        fields.update(_division_problems(edit.divisions, divisions))
    if fields:
        raise Invalid(_("The contest cannot be saved: check the marked fields."), fields)
    contest.title, contest.description, contest.rules = edit.title.strip(), edit.description, edit.rules
    contest.timezone = edit.timezone
    contest.asks_institution, contest.asks_grade = edit.asks_institution, edit.asks_grade
    contest.asks_subject, contest.requires_consent = edit.asks_subject, edit.requires_consent
    if edit.awards is not None:
        contest.award_rules = list(edit.awards)
        contest.award_quota_percent = edit.award_quota_percent
    bump(*(results_key(stage.id) for stage in contest_stages(contest.id)))  # titles, divisions
    audit.record(
        "contest.updated",
        actor=actor,
        scope_type="contest",
        scope_id=contest.id,
        object_type="contest",
        object_id=contest.id,
    )
    try:
        if edit.divisions is not None:
            _apply_divisions(contest, edit.divisions, divisions)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            _("Someone registered in a division at the same moment; reload the page and try again.")
        ) from None
    return contest


def _problems(edit: ContestEdit) -> dict[str, str]:
    fields: dict[str, str] = {}
    if not edit.title.strip():
        fields["title"] = _("Enter the title.")
    elif len(edit.title.strip()) > limit(Contest.title):
        fields["title"] = column_too_long(Contest.title)
    if not is_valid_timezone(edit.timezone):
        fields["timezone"] = _("Unknown time zone.")
    if edit.award_quota_percent is not None and not 0 <= edit.award_quota_percent <= 100:
        fields["award_quota_percent"] = between(0, 100)
    for index, rule in enumerate(edit.awards or []):
        try:
            award_rules.parse_rules([rule])
        except award_rules.AwardRuleError as error:
            fields[f"awards.{index}"] = award_problem(error)
    return fields


def _division_problems(wanted: list[DivisionEdit], stored: list[Division]) -> dict[str, str]:
    names = [item.name.strip() for item in wanted]
    if not names:
        return {"divisions": _("Add at least one division.")}
    if any(not name for name in names):
        return {"divisions": _("A division needs a name.")}
    if len({name.casefold() for name in names}) != len(names):
        return {"divisions": _("Division names must differ.")}
    if any(len(name) > limit(Division.name) for name in names):
        return {
            "divisions": _(
                "A division's name is too long (at most %(n)s characters).", n=limit(Division.name)
            )
        }
    known = {division.id for division in stored}
    if any(item.key is not None and item.key not in known for item in wanted):
        return {"divisions": _("This division is not in the contest; reload the page.")}
    kept = {item.key for item in wanted}
    removed = [division for division in stored if division.id not in kept]
    busy = _busy_divisions([division.id for division in removed])
    if busy:
        taken = ", ".join(f"«{division.name}»" for division in removed if division.id in busy)
        return {
            "divisions": _(
                "Participants or a forum belong to %(names)s: rename the division instead of removing it.",
                names=taken,
            )
        }
    return {}


def _busy_divisions(ids: list[int]) -> set[int]:
    """The divisions someone is registered in or that have a forum (two queries at most)."""
    if not ids:
        return set()
    registered = db.session.scalars(
        select(Participation.division_id)
        .where(Participation.division_id.in_(ids))
        .group_by(Participation.division_id)
    )
    talked = db.session.scalars(
        select(Forum.scope_id)
        .where(Forum.scope == ForumScope.DIVISION, Forum.scope_id.in_(ids))
        .group_by(Forum.scope_id)
    )
    return set(registered) | set(talked)


def _apply_divisions(contest: Contest, wanted: list[DivisionEdit], stored: list[Division]) -> None:
    """Rename, reorder, add and remove; names pass through a placeholder so a swap of two names
    never trips the one-name-per-contest constraint mid-flush."""
    by_id = {division.id: division for division in stored}
    kept = {item.key for item in wanted if item.key is not None}
    for division in stored:
        if division.id not in kept:
            db.session.delete(division)
        else:
            division.name = f"#{division.id}#"
    db.session.flush()
    for position, item in enumerate(wanted):
        if item.key is not None:
            division = by_id[item.key]
            division.name, division.position = item.name.strip(), position
        else:
            db.session.add(Division(contest_id=contest.id, name=item.name.strip(), position=position))
    db.session.flush()
