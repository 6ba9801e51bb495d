"""How the course forms are laid out: the item form for each kind (a teacher sees only what the
chosen kind needs) and the course form, in sections, with the rare settings folded under
«Дополнительно». The fields themselves (and their server-side checks) are the forms'
(app/courses/forms.py); this module only groups them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.i18n import lazy_ as _l

# Fields a kind never shows: an ungraded page, link or file has no points, weight or task.
HIDDEN_FIELDS = {
    "page": {"url", "upload", "description", "completion_points", "weight"},
    "link": {"body", "image", "upload", "completion_points", "weight"},
    "file": {"url", "image", "completion_points", "weight"},
    "assignment": {"url", "upload", "body", "image"},
    "quiz": {"url", "upload", "image"},
}

# What every kind shares in its «Дополнительно» fold: when students see it and when it counts as done.
_ACCESS = ("hidden", "visible_from", "completion", "completion_points", "prerequisite")


@dataclass(frozen=True)
class Section:
    """A titled group of fields; `folded` sections sit inside the «Дополнительно» fold."""

    key: str
    title: Any
    fields: tuple[str, ...]
    folded: bool = False


LAYOUT: dict[str, tuple[Section, ...]] = {
    "page": (
        Section("content", _l("Page"), ("title", "body", "image")),
        Section("advanced", _l("Access and completion"), _ACCESS, folded=True),
    ),
    "link": (
        Section("content", _l("Link"), ("title", "url", "body")),
        Section("advanced", _l("Access and completion"), _ACCESS, folded=True),
    ),
    "file": (
        Section("content", _l("File"), ("title", "upload", "body")),
        Section("advanced", _l("Access and completion"), _ACCESS, folded=True),
    ),
    "assignment": (
        Section("content", _l("Task"), ("title", "description", "due_at")),
        Section("grading", _l("Grading"), ("max_points",)),
        Section("handing-in", _l("How students hand in"), ("allow_text", "allow_files")),
        Section(
            "rules",
            _l("Files, deadlines and rubric"),
            ("cutoff_at", "resubmission", "allowed_extensions", "max_file_mb", "max_files", "rubric"),
            folded=True,
        ),
        Section("advanced", _l("Access, completion and weight"), (*_ACCESS, "weight"), folded=True),
    ),
    "quiz": (
        Section("content", _l("Quiz"), ("title", "body", "questions")),
        Section("timing", _l("Time and attempts"), ("time_limit_minutes", "attempts_allowed")),
        Section(
            "rules",
            _l("Grading and dates"),
            ("max_grade", "grading_method", "opens_at", "closes_at"),
            folded=True,
        ),
        Section("advanced", _l("Access, completion and weight"), (*_ACCESS, "weight"), folded=True),
    ),
}


COURSE_LAYOUT = (
    Section("course", _l("Course"), ("title", "summary", "hours")),
    Section("enrolment", _l("Who may enrol"), ("enrolment_mode", "enrolment_key")),
    Section(
        "dates", _l("Dates and the course total"), ("starts_on", "ends_on", "missing_grades"), folded=True
    ),
)


def sections(kind: str, form: Any) -> list[tuple[Section, list[Any]]]:
    """The item kind's sections with the form's bound fields."""
    return grouped(LAYOUT[kind], form)


def grouped(layout: tuple[Section, ...], form: Any) -> list[tuple[Section, list[Any]]]:
    """The layout's sections with the form's bound fields (those the form has), in order.

    A field the layout does not name still shows, in the first section, so that no field the form
    checks is ever hidden from the teacher by mistake."""
    placed: set[str] = set()
    result: list[tuple[Section, list[Any]]] = []
    for section in layout:
        bound = [form[name] for name in section.fields if name in form]
        placed.update(section.fields)
        if bound:
            result.append((section, bound))
    leftover = [
        field
        for field in form
        if field.name not in placed and field.type not in ("CSRFTokenField", "HiddenField")
    ]
    if leftover and result:
        result[0] = (result[0][0], result[0][1] + leftover)
    return result


def opened(fields: list[Any]) -> bool:
    """A fold opens by itself when one of its fields was refused, so the message is seen."""
    return any(field.errors for field in fields)
