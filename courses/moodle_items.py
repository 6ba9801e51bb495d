"""Moodle course restore: one activity of a section as the items of a module — a page or a label as
a page, a URL as a link, a file resource (or each file of a folder) as a file item, an assignment
with its dates, points and submission types, a quiz over the restored bank. Everything else is
reported and left behind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.accounts import User
from app.domain_errors import Invalid
from app.extensions import db
from app.i18n import _
from community.forums import places as forum_places
from community.forums.models import ForumKind, ForumScope
from courses.assignments import AssignmentSettings, apply_assignment, check_assignment
from courses.files import ITEM_FILE_RULES
from courses.models import Assignment, CompletionRule, Course, Item, ItemKind, Module
from courses.moodle_backup_read import Activity, ActivityRef, ModuleInfo, text
from courses.moodle_files import MoodleFiles, Report
from courses.moodle_question_types import plain
from courses.moodle_quizzes import BankRestore, add_quiz, decimal_or, moment

FILE_GROUPS = {
    "document": "doc,docx,odt,pdf,rtf,txt",
    "image": "jpg,jpeg,png,gif,webp",
    "spreadsheet": "xls,xlsx,ods,csv",
    "presentation": "ppt,pptx,odp",
    "archive": "zip",
    "audio": "mp3",
    "video": "mp4",
}
MB = 1024 * 1024


@dataclass
class Place:
    """Where items go, and what every mapping needs."""

    course: Course
    module: Module
    actor: User
    files: MoodleFiles
    bank: BankRestore | None
    report: Report

    def module_page(self, title: str, body: str) -> None:
        """A page at the top of the module (a section's summary)."""
        db.session.add(
            Item(
                course_id=self.course.id,
                module_id=self.module.id,
                position=0,
                kind=ItemKind.PAGE,
                title=title[:255],
                body=body,
            )
        )


def add_items(
    place: Place, ref: ActivityRef, info: ModuleInfo, activity: Activity, position: int
) -> list[Item]:
    """The activity's items at `position` onwards in the module (none when it is not carried over)."""
    title = (plain(activity.fields.get("name", "")) or plain(ref.title) or ref.modname)[:255]
    if info.restricted:
        place.report(
            title, _("Its access restrictions are not carried over: the item is open to everyone enrolled.")
        )
    fields, context = activity.fields, activity.context_id

    def relinked(area: str, body: str) -> str:
        spot = (context, f"mod_{ref.modname}", area, None)
        return place.files.relink(body, place.course, spot, place.actor.id, title, place.report)

    def item(kind: ItemKind, **values: Any) -> Item:
        return Item(
            course_id=place.course.id,
            module_id=place.module.id,
            position=position,
            kind=kind,
            title=values.pop("title", title),
            hidden=not info.visible,
            completion=_completion(info, kind, fields),
            **values,
        )

    if ref.modname == "page":
        return [item(ItemKind.PAGE, body=relinked("content", fields.get("content", "")))]
    if ref.modname == "label":
        body = relinked("intro", fields.get("intro", ""))
        label_title = (plain(fields.get("name", "")) or plain(body) or _("Label"))[:255]
        return [item(ItemKind.PAGE, title=label_title, body=body)]
    if ref.modname == "url":
        address = fields.get("externalurl", "").strip()
        if not address.startswith(("http://", "https://")) or len(address) > 1000:
            place.report(title, _("The address “%(url)s” is not a web address; left out.", url=address[:200]))
            return []
        return [item(ItemKind.LINK, url=address, body=relinked("intro", fields.get("intro", "")))]
    if ref.modname in ("resource", "folder"):
        return _file_items(place, ref, activity, title, item, relinked("intro", fields.get("intro", "")))
    if ref.modname == "assign":
        settings = _assignment(activity, relinked("intro", fields.get("intro", "")), title, place.report)
        assignment = Assignment(course_id=place.course.id)
        apply_assignment(assignment, settings)
        db.session.add(assignment)
        db.session.flush()
        return [item(ItemKind.ASSIGNMENT, assignment_id=assignment.id)]
    if ref.modname == "quiz":
        if place.bank is None:
            place.report(title, _("The backup holds no question bank; the quiz is left out."))
            return []
        quiz = add_quiz(place.bank, title, activity, relinked("intro", fields.get("intro", "")), place.report)
        return [item(ItemKind.QUIZ, quiz_id=quiz.id)]
    if ref.modname == "forum":
        _forum(place, ref, activity, title)
        return []
    place.report(title, _("Activities of the type “%(type)s” are not supported; left out.", type=ref.modname))
    return []


def _forum(place: Place, ref: ActivityRef, activity: Activity, title: str) -> None:
    """Moodle's news forum is the course's own news forum; any other becomes a discussion forum of
    the course (on its Forums page, not among the module's items). Discussions are users' posts."""
    if activity.fields.get("type") == "news":
        return
    forum_places.ensure_forum(
        ForumScope.COURSE,
        place.course.id,
        f"moodle-{ref.module_id}",
        kind=ForumKind.DISCUSSION,
        title=title,
        description=plain(activity.fields.get("intro", "")),
        position=2,
        created_by_id=place.actor.id,
    )
    place.report(
        title,
        _("Now on the course's Forums page; its discussions (users' posts) are not carried over."),
    )


def _file_items(
    place: Place, ref: ActivityRef, activity: Activity, title: str, item: Any, body: str
) -> list[Item]:
    """A resource's main file, or every file of a folder (each its own item, named after it), with
    the activity's description."""
    entries = place.files.area(activity.context_id, f"mod_{ref.modname}", "content")
    if ref.modname == "resource":
        if len(entries) > 1:
            place.report(title, _("Only its main file is carried over (it had %(n)s).", n=len(entries)))
        entries = sorted(entries, key=lambda e: -e.sortorder)[:1]
    if not entries:
        place.report(title, _("The backup holds no file for it; left out."))
        return []
    items = []
    for entry in entries:
        stored = place.files.store(entry, ITEM_FILE_RULES, place.actor.id, title, place.report)
        if stored is None:
            continue
        name = title if ref.modname == "resource" else f"{title}: {entry.filename}"[:255]
        db.session.flush()
        items.append(item(ItemKind.FILE, title=name, file_id=stored.id, body=body))
    return items


def _completion(info: ModuleInfo, kind: ItemKind, fields: dict[str, str]) -> CompletionRule:
    """Moodle's completion tracking in our rules (a manual tick becomes "viewed")."""
    if info.completion == 0:
        return CompletionRule.NONE
    if kind in (ItemKind.ASSIGNMENT, ItemKind.QUIZ) and info.completion_grade:
        return CompletionRule.GRADED
    if kind == ItemKind.ASSIGNMENT and fields.get("completionsubmit") == "1":
        return CompletionRule.SUBMITTED
    return CompletionRule.VIEWED


def _assignment(activity: Activity, description: str, title: str, report: Report) -> AssignmentSettings:
    """The assignment's settings, brought within our limits (each change is reported)."""
    fields = activity.fields
    configs = {
        (text(c, "plugin").removeprefix("assignsubmission_"), text(c, "name")): text(c, "value")
        for c in activity.element.findall("plugin_configs/plugin_config")
        if text(c, "subtype") == "assignsubmission"
    }
    allow_text = configs.get(("onlinetext", "enabled")) == "1"
    allow_files = configs.get(("file", "enabled")) == "1"
    if not allow_text and not allow_files:
        report(title, _("In Moodle it took no online submissions; here students may hand in text or files."))
        allow_text = allow_files = True
    grade = decimal_or(fields.get("grade", "0"), Decimal(0))
    points = min(grade, Decimal(10_000))
    if grade <= 0:
        report(title, _("It was graded on a scale or not graded in Moodle; here it is out of 10 points."))
        points = Decimal(10)
    instructions = fields.get("activity", "")
    size = int(decimal_or(configs.get(("file", "maxsubmissionsizebytes"), "0"), Decimal(0)))
    due, cutoff = moment(fields.get("duedate", "0")), moment(fields.get("cutoffdate", "0"))
    settings = AssignmentSettings(
        description=description + (f"\n\n{instructions}" if instructions.strip() else ""),
        due_at=due,
        cutoff_at=cutoff if cutoff and (due is None or cutoff >= due) else None,
        max_points=max(Decimal("0.01"), points),
        allow_text=allow_text,
        allow_files=allow_files,
        allowed_extensions=_extensions(configs.get(("file", "filetypeslist"), "")),
        max_file_mb=min(64, max(1, math.ceil(size / MB))) if size > 0 else 10,
        max_files=min(
            20, max(1, int(decimal_or(configs.get(("file", "maxfilesubmissions"), "5"), Decimal(5))))
        ),
    )
    try:
        check_assignment(settings)
    except Invalid:  # a limit we did not foresee: our defaults, still with the dates and points
        settings = AssignmentSettings(description=settings.description, max_points=settings.max_points)
        check_assignment(settings)
    return settings


def _extensions(raw: str) -> str:
    """Moodle's accepted file types (".pdf,.docx", or groups such as "document") as our list."""
    found: list[str] = []
    for part in raw.replace(";", ",").replace(" ", ",").split(","):
        part = part.strip().lower()
        if part.startswith(".") and part[1:].isalnum():
            found.append(part[1:])
        elif part in FILE_GROUPS:
            found.extend(FILE_GROUPS[part].split(","))
    return ",".join(dict.fromkeys(found)) or AssignmentSettings().allowed_extensions
