"""A course backup's document (course.json and questions.gift): read from the archive and checked
in full before the import writes anything, so a malformed backup imports nothing.

Every check raises BackupProblem with a translated message saying what is wrong and where.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.i18n import _
from courses import rules
from courses.backup_archive import BackupProblem, BoundedArchive
from courses.models import CompletionRule, ItemKind

FORMAT = "vmeste-course"
VERSION = 1
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # course.json and questions.gift, each


def not_a_backup() -> str:
    return _("This is not a course backup (a zip file with course.json).")


def need(condition: bool, message: str) -> None:
    if not condition:
        raise BackupProblem(message)


def text(data: dict[str, Any], key: str, limit: int = 200_000, default: str = "") -> str:
    value = data.get(key, default)
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
    need(number.is_finite() and number >= 0, _("“%(value)s” is not a number.", value=value))
    return number


def _document(archive: BoundedArchive, name: str) -> str:
    data = archive.read(name, MAX_DOCUMENT_BYTES + 1)
    need(len(data) <= MAX_DOCUMENT_BYTES, _("%(name)s is larger than %(limit)s MB.", name=name,
                                               limit=MAX_DOCUMENT_BYTES // (1024 * 1024)))
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
        need(isinstance(module, dict) and isinstance(module.get("items", []), list), _("A module is malformed."))
        text(module, "title", 255)
        moment(module.get("visible_from"))
        for item in module.get("items", []):
            _check_item(item, files, question_names)
            flat.append(item)
    links = [item.get("prerequisite") for item in flat]
    for link in links:
        need(link is None or link < len(flat), _("A prerequisite is malformed."))
    looping = first_in_cycle(links)
    need(looping is None, _("“%(title)s” requires itself (directly or through its prerequisites), so it could "
                             "never be opened.", title=flat[looping]["title"] if looping is not None else ""))
    return flat


def _check_item(item: Any, files: dict[Any, Any], question_names: set[str]) -> None:
    need(isinstance(item, dict), _("An item is malformed."))
    need(item.get("kind") in {k.value for k in ItemKind}, _("Unknown item kind “%(kind)s”.", kind=item.get("kind")))
    need(item.get("completion", "none") in {c.value for c in CompletionRule}, _("Unknown completion condition."))
    text(item, "title", 255)
    text(item, "body")
    moment(item.get("visible_from"))
    number(item.get("weight"), "1")
    number(item.get("completion_points"))
    if item["kind"] == ItemKind.FILE:
        need(item.get("file") in files, _("A file item has no file."))
    if item["kind"] == ItemKind.ASSIGNMENT:
        need(isinstance(item.get("assignment"), dict), _("An assignment has no settings."))
        a = item["assignment"]
        moment(a.get("due_at"))
        moment(a.get("cutoff_at"))
        number(a.get("max_points"), "10")
        try:
            rules.check_rubric(a.get("rubric", []))
        except rules.RubricError as error:
            raise BackupProblem(str(error)) from None
    if item["kind"] == ItemKind.QUIZ:
        need(isinstance(item.get("quiz"), dict), _("A quiz has no settings."))
        wanted = item["quiz"].get("questions", [])
        need(isinstance(wanted, list) and all(n in question_names for n in wanted),
              _("A quiz uses questions missing from questions.gift."))
    prerequisite = item.get("prerequisite")
    need(prerequisite is None or (type(prerequisite) is int and prerequisite >= 0), _("A prerequisite is malformed."))
