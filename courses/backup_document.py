"""A course backup's document (course.json and questions.gift): read from the archive and checked
in full before the import writes anything, so a malformed backup imports nothing.

Every check raises BackupProblem with a translated message saying what is wrong and where.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain_errors import Invalid
from app.i18n import _
from courses import messages, rules
from courses.assignments import AssignmentSettings, check_assignment
from courses.backup_archive import BackupProblem, BoundedArchive
from courses.models import CompletionRule, ItemKind
from courses.quiz import quizzes as quiz_quizzes

FORMAT = "vmeste-course"
VERSION = 1
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # course.json and questions.gift, each
MAX_NUMBER = 100_000  # hours, weights, points and grades all fit below it


def not_a_backup() -> str:
    return _("This is not a course backup (a zip file with course.json).")


def need(condition: bool, message: str) -> None:
    if not condition:
        raise BackupProblem(message)


def text(data: dict[str, Any], key: str, limit: int = 200_000, default: str = "") -> str:
    """A text value at most `limit` long; missing or null gives the default."""
    value = data.get(key)
    if value is None:
        value = default
    need(isinstance(value, str) and len(value) <= limit, _("“%(key)s” must be text.", key=key))
    return str(value)


def moment(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise BackupProblem(_("“%(value)s” is not a date and time.", value=value)) from None
    need(parsed.tzinfo is not None, _("“%(value)s” has no time zone offset.", value=value))
    return parsed


def day(value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BackupProblem(_("“%(value)s” is not a date.", value=value)) from None


def number(value: Any, default: str | None = None) -> Decimal | None:
    if value is None:
        return Decimal(default) if default is not None else None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise BackupProblem(_("“%(value)s” is not a number.", value=value)) from None
    need(number.is_finite() and 0 <= number <= MAX_NUMBER, _("“%(value)s” is not a number.", value=value))
    return number


def _document(archive: BoundedArchive, name: str) -> str:
    data = archive.read(name, MAX_DOCUMENT_BYTES + 1)
    need(
        len(data) <= MAX_DOCUMENT_BYTES,
        _("%(name)s is larger than %(limit)s MB.", name=name, limit=MAX_DOCUMENT_BYTES // (1024 * 1024)),
    )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BackupProblem(not_a_backup()) from None


def read_backup(data: bytes) -> tuple[dict[str, Any], str, BoundedArchive]:
    archive = BoundedArchive(data)
    need("course.json" in archive.names, not_a_backup())
    try:
        document = json.loads(_document(archive, "course.json"))
    except (ValueError, RecursionError):
        raise BackupProblem(not_a_backup()) from None
    gift_text = _document(archive, "questions.gift") if "questions.gift" in archive.names else ""
    need(isinstance(document, dict) and document.get("format") == FORMAT, not_a_backup())
    need(document.get("version") == VERSION, _("Unsupported backup version."))
    return document, gift_text, archive


def first_in_cycle(links: list[int | None]) -> int | None:
    """The first item that waits for itself (its prerequisites lead back to it), else None.

    `links[i]` is item i's prerequisite; each item has at most one, so a walk either ends or
    comes back to a node on its own path: linear time however long the chains are."""
    done = [False] * len(links)
    for start in range(len(links)):
        path: dict[int, None] = {}
        node: int | None = start
        while node is not None and not done[node]:
            if node in path:
                return node
            path[node] = None
            node = links[node]
        for visited in path:
            done[visited] = True
    return None


def check_items(modules: list[Any], files: dict[Any, Any], question_names: set[str]) -> list[dict[str, Any]]:
    """Every module and item checked; the items in course order."""
    flat: list[dict[str, Any]] = []
    for module in modules:
        need(
            isinstance(module, dict) and isinstance(module.get("items", []), list),
            _("A module is malformed."),
        )
        text(module, "title", 255)
        moment(module.get("visible_from"))
        for item in module.get("items", []):
            _check_item(item, files, question_names)
            flat.append(item)
    links = [item.get("prerequisite") for item in flat]
    for link in links:
        need(link is None or link < len(flat), _("A prerequisite is malformed."))
    looping = first_in_cycle(links)
    need(
        looping is None,
        _(
            "“%(title)s” requires itself (directly or through its prerequisites), so it could "
            "never be opened.",
            title=flat[looping]["title"] if looping is not None else "",
        ),
    )
    return flat


def _check_item(item: Any, files: dict[str, str], question_names: set[str]) -> None:
    need(isinstance(item, dict), _("An item is malformed."))
    kind, completion = item.get("kind"), item.get("completion", "none")
    need(
        isinstance(kind, str) and kind in {k.value for k in ItemKind},
        _("Unknown item kind “%(kind)s”.", kind=kind),
    )
    need(
        isinstance(completion, str) and completion in {c.value for c in CompletionRule},
        _("Unknown completion condition."),
    )
    text(item, "title", 255)
    text(item, "body")
    text(item, "url", 1000)
    moment(item.get("visible_from"))
    number(item.get("weight"), "1")
    number(item.get("completion_points"))
    if kind == ItemKind.FILE:
        need(isinstance(item.get("file"), str) and item["file"] in files, _("A file item has no file."))
    if kind == ItemKind.ASSIGNMENT:
        need(isinstance(item.get("assignment"), dict), _("An assignment has no settings."))
        assignment_settings(item["assignment"])
    if kind == ItemKind.QUIZ:
        need(isinstance(item.get("quiz"), dict), _("A quiz has no settings."))
        quiz_settings(item["quiz"], question_names)
    prerequisite = item.get("prerequisite")
    need(
        prerequisite is None or (type(prerequisite) is int and prerequisite >= 0),
        _("A prerequisite is malformed."),
    )


def whole(value: Any, default: int | None) -> int | None:
    if value is None:
        return default
    need(type(value) is int, _("“%(value)s” is not a whole number.", value=value))
    return int(value)


def assignment_settings(data: dict[str, Any]) -> AssignmentSettings:
    """An assignment's settings, checked by the same rule as the editor's form."""
    try:
        rubric = rules.check_rubric(data.get("rubric", []))
    except rules.RubricError as error:
        raise BackupProblem(messages.text(error)) from None
    except (TypeError, AttributeError, ValueError) as error:
        raise BackupProblem(str(error) or _("An assignment has no settings.")) from None
    settings = AssignmentSettings(
        description=text(data, "description"),
        due_at=moment(data.get("due_at")),
        cutoff_at=moment(data.get("cutoff_at")),
        max_points=number(data.get("max_points"), "10") or Decimal(0),
        rubric=rubric,
        allow_text=bool(data.get("allow_text", True)),
        allow_files=bool(data.get("allow_files", True)),
        allowed_extensions=text(data, "allowed_extensions", 255, "pdf"),
        max_file_mb=whole(data.get("max_file_mb"), 10) or 0,
        max_files=whole(data.get("max_files"), 5) or 0,
        resubmission=bool(data.get("resubmission", True)),
    )
    try:
        check_assignment(settings)
    except Invalid as error:
        raise BackupProblem(error.message) from None
    return settings


def quiz_settings(data: dict[str, Any], question_names: set[str]) -> dict[str, Any]:
    """A quiz's settings for `create_quiz` (all but title and questions), checked by the quiz rules."""
    wanted = data.get("questions", [])
    need(
        isinstance(wanted, list) and all(isinstance(n, str) and n in question_names for n in wanted),
        _("A quiz uses questions missing from questions.gift."),
    )
    need(len(set(wanted)) == len(wanted), _("A question appears twice."))
    values = {
        "time_limit_minutes": whole(data.get("time_limit_minutes"), None),
        "attempts_allowed": whole(data.get("attempts_allowed"), None),
        "grading_method": str(data.get("grading_method", "highest")),
        "max_grade": number(data.get("max_grade"), "10"),
        "opens_at": moment(data.get("opens_at")),
        "closes_at": moment(data.get("closes_at")),
        "shuffle_questions": bool(data.get("shuffle_questions")),
        "shuffle_answers": bool(data.get("shuffle_answers")),
    }
    try:
        quiz_quizzes.check_settings(values)
    except Invalid as error:
        raise BackupProblem(error.message) from None
    return values


def file_list(document: dict[str, Any]) -> dict[str, str]:
    """The archive's files by path, with the names to show."""
    entries = document.get("files", [])
    need(isinstance(entries, list), _("The list of files is malformed."))
    files: dict[str, str] = {}
    for entry in entries:
        need(
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("name", ""), str | None),
            _("The list of files is malformed."),
        )
        files[entry["path"]] = entry.get("name") or "file"
    return files


def asset_list(document: dict[str, Any], files: dict[str, str]) -> list[dict[str, Any]]:
    """The page images among the files (an asset naming no file of the archive is left out)."""
    entries = document.get("assets", [])
    need(isinstance(entries, list), _("The list of files is malformed."))
    return [
        a for a in entries if isinstance(a, dict) and isinstance(a.get("path"), str) and a["path"] in files
    ]
