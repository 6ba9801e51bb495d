"""An audit entry's details as words: counts, names, points and moments in the viewer's zone, one
short phrase each — never a key, `None`, `True`, a Python list or an ISO timestamp."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from app.accounts import role_label
from app.audit import AuditEntry
from app.audit_grammar import sheet_changes
from app.contests.audit_names import Names, Person
from app.i18n import _
from app.templating import localtime, number
from contest_engine.messages import kind_label

Describe = Callable[[Mapping[str, Any], Names], list[str]]


def describe(entry: AuditEntry, names: Names) -> list[str]:
    """The phrases under an entry's sentence (none for a code this module does not know)."""
    rule = _RULES.get(entry.action)
    phrases = rule(entry.details or {}, names) if rule else []
    slot = names.slots.get(entry.object_id or 0) if entry.object_type == "slot" else None
    if slot is not None:
        phrases.append(_("Time: %(moment)s", moment=localtime(slot.starts_at)))
    return [phrase for phrase in phrases if phrase]


def _count(label: str, value: Any) -> str:
    return f"{label}: {number(value)}" if isinstance(value, int | float) and value else ""


def _moment(value: Any) -> str:
    try:
        return localtime(datetime.fromisoformat(str(value)))
    except ValueError:
        return ""


def _people(ids: Any, people: Mapping[int, Person]) -> str:
    listed = ids if isinstance(ids, list) else [ids]
    return ", ".join(people[i].name if i in people else _("(deleted)") for i in listed if isinstance(i, int))


def _points(value: str | None) -> str:
    return "—" if value is None else number(value)


def _sheet(points: Mapping[str, Any]) -> str:
    return "; ".join(
        f"{name}: {_points(None if value is None else str(value))}" for name, value in points.items()
    )


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterable[str]:
    for name, old, new in sheet_changes(before, after):
        yield f"{name}: {_points(old)} → {_points(new)}"


def _closes(details: Mapping[str, Any], names: Names) -> list[str]:
    moment = _moment(details.get("closes_at")) if details.get("closes_at") else ""
    return [_("Open until %(moment)s", moment=moment) if moment else ""]


def _stage_created(details: Mapping[str, Any], names: Names) -> list[str]:
    kind = details.get("kind")
    return [
        _("Kind: %(kind)s", kind=kind_label(kind))
        if kind in ("registration", "submission", "olympiad", "jury")
        else ""
    ]


def _stage_updated(details: Mapping[str, Any], names: Names) -> list[str]:
    return [_("The dates were changed") if details.get("moved") else ""]


def _advanced(details: Mapping[str, Any], names: Names) -> list[str]:
    following = names.stages.get(details.get("next_stage_id") or 0)
    return [
        _count(_("Advancing"), len(details.get("advanced") or [])) or _("Nobody advances"),
        _count(_("Do not advance"), len(details.get("eliminated") or [])),
        _("Next stage: «%(stage)s»", stage=following[0]) if following else "",
    ]


def _published(details: Mapping[str, Any], names: Names) -> list[str]:
    hours = details.get("appeal_hours")
    return [_("Appeals are accepted for %(hours)s h", hours=number(hours)) if hours else _("No appeals")]


def _awards(details: Mapping[str, Any], names: Names) -> list[str]:
    return [_count(_("Awards"), details.get("awarded")), _count(_("Withdrawn"), details.get("withdrawn"))]


def _imported(details: Mapping[str, Any], names: Names) -> list[str]:
    created = details.get("created", details.get("count"))
    return [_count(_("Added"), created), _count(_("Lines refused"), details.get("refused_lines"))]


def _registered(details: Mapping[str, Any], names: Names) -> list[str]:
    division = details.get("division")
    return [_("Category: «%(name)s»", name=division) if division else ""]


def _submitted(details: Mapping[str, Any], names: Names) -> list[str]:
    version = details.get("version")
    return [_("Version %(n)s", n=version) if isinstance(version, int) and version > 1 else ""]


def _configured(details: Mapping[str, Any], names: Names) -> list[str]:
    aggregation = {
        "mean": _("Mean"),
        "median": _("Median"),
        "trimmed_mean": _("Trimmed mean (without the highest and the lowest)"),
        "sum": _("Sum"),
    }.get(str(details.get("aggregation")), "")
    per_entry = details.get("jurors_per_entry")
    criteria = [str(name) for name in details.get("criteria") or []]
    return [
        _("Criteria: %(names)s", names=", ".join(criteria)) if criteria else "",
        _("Aggregation: %(name)s", name=aggregation.lower()) if aggregation else "",
        _("Jurors per entry: %(n)s", n=per_entry) if per_entry else _("Every juror scores every entry"),
        _("Blind review") if details.get("blind") else "",
    ]


def _juror(details: Mapping[str, Any], names: Names) -> list[str]:
    division = names.divisions.get(details.get("division_id") or 0)
    institution = names.institutions.get(details.get("institution_id") or 0)
    return [
        _("Category: «%(name)s»", name=division) if division else "",
        _("Institution: %(name)s", name=institution) if institution else "",
    ]


def _allocated(details: Mapping[str, Any], names: Names) -> list[str]:
    return [
        _count(_("Assignments added"), details.get("added")),
        _count(_("Assignments removed"), details.get("dropped")),
    ]


def _moved(details: Mapping[str, Any], names: Names) -> list[str]:
    return [
        _(
            "From %(old)s to %(new)s",
            old=_people(details.get("from"), names.people),
            new=_people(details.get("to"), names.people),
        )
    ]


def _conflict(details: Mapping[str, Any], names: Names) -> list[str]:
    source = {
        "institution": _("same institution"),
        "declared_by_organiser": _("declared by the organiser"),
        "declared_by_juror": _("declared by the juror"),
    }.get(str(details.get("source")), "")
    return [_("Why: %(source)s", source=source) if source else ""]


def _score_submitted(details: Mapping[str, Any], names: Names) -> list[str]:
    after = details.get("after") or {}
    return [_("Points: %(points)s", points=_sheet(after)) if after else ""]


def _score_changed(details: Mapping[str, Any], names: Names) -> list[str]:
    return list(_changes(details.get("before") or {}, details.get("after") or {}))


def _appeal(details: Mapping[str, Any], names: Names) -> list[str]:
    phrases = []
    for juror_id, changes in (details.get("score_changes") or {}).items():
        person = names.people.get(int(juror_id)) if str(juror_id).isdigit() else None
        before = {name: pair[0] for name, pair in changes.items()}
        after = {name: pair[1] for name, pair in changes.items()}
        moves = ", ".join(_changes(before, after))
        phrases.append(f"{person.name if person else _('(deleted)')}: {moves}" if moves else "")
    return phrases


def _reminded(details: Mapping[str, Any], names: Names) -> list[str]:
    listed = _people(details.get("jurors") or [], names.people)
    return [_("Reminded: %(names)s", names=listed) if listed else ""]


def _sent_back(details: Mapping[str, Any], names: Names) -> list[str]:
    listed = _people(details.get("jurors") or [], names.people)
    return [_("Jurors: %(names)s", names=listed) if listed else ""]


def _certificates(details: Mapping[str, Any], names: Names) -> list[str]:
    return [_count(_("Certificates"), details.get("count"))]


def _title(details: Mapping[str, Any], names: Names) -> list[str]:
    title = details.get("title")
    return [_("Title: «%(title)s»", title=title) if title else ""]


def _user_created(details: Mapping[str, Any], names: Names) -> list[str]:
    role = details.get("role")
    try:
        return [_("Role: %(role)s", role=role_label(str(role)).lower())] if role else []
    except ValueError:
        return []


def _renamed(details: Mapping[str, Any], names: Names) -> list[str]:
    after = details.get("after") or {}
    return [_("New name: «%(name)s»", name=after.get("name"))] if after.get("name") else []


_RULES: dict[str, Describe] = {
    "contest.created": _title,
    "stage.created": _stage_created,
    "stage.updated": _stage_updated,
    "stage.reopened": _closes,
    "stage.extended": _closes,
    "stage.scheduled": _closes,
    "stage.advanced": _advanced,
    "stage.published": _published,
    "awards.computed": _awards,
    "participants.imported": _imported,
    "users.imported": _imported,
    "participant.registered": _registered,
    "entry.submitted": _submitted,
    "jury.configured": _configured,
    "jury.juror_added": _juror,
    "jury.allocated": _allocated,
    "jury.assignment_moved": _moved,
    "jury.conflict_declared": _conflict,
    "jury.score_submitted": _score_submitted,
    "jury.score_changed": _score_changed,
    "jury.appeal_accepted": _appeal,
    "jury.reminded": _reminded,
    "jury.entry_sent_back": _sent_back,
    "jury.certificates_issued": _certificates,
    "user.created": _user_created,
    "district.renamed": _renamed,
}
