"""The course page's outline, kept ready between requests: the course's shape (courses.course_shape)
cached under the course's version, a student's marks under their own versions, and the student's
rows assembled from pieces built once per shape, language and time zone.

An edit of the course moves its version: the next request builds one new shape and new pieces, and
nothing else waits for it — a quiz attempt in progress reads none of this. A student's view, hand-in,
grade or quiz finish moves only that student's versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import render_template
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app import numbers, templating
from app.accounts import User
from app.i18n import _
from app.memo import remember
from courses.cache_keys import course_key
from courses.course_shape import CourseShape, course_shape, progress_versions
from courses.models import Course
from courses.progress import Learner, Outline, learner_state, outline, visible_parts

_TOKEN = "\x00csrf\x00"  # where the kept teacher's outline takes the viewer's CSRF token


@dataclass(frozen=True)
class Row:
    """One item's markup up to its marks, open and locked, and whether it counts for completion."""

    item_id: int
    open: str
    locked: str
    tracked: bool


@dataclass(frozen=True)
class Pieces:
    """Everything of a student's outline that is the same for every student (at one moment of the
    course's visibility, in one language and zone)."""

    modules: tuple[tuple[str, tuple[Row, ...]], ...]
    empty_module: str
    status: dict[str, str]
    done: str
    todo: str


def shape_of(course_id: int) -> CourseShape:
    return remember("course-shape", (course_id,), (course_key(course_id),), lambda: course_shape(course_id))


def teacher_outline_html(course: Course, *, authoring: bool, now: datetime, item_url: str) -> Markup:
    """A teacher's modules (templates/courses/_outline.html) kept ready per shape, visibility moment,
    language, zone and whether the viewer authors; the session's CSRF token (in every button's form)
    is taken out before keeping and put back for each viewer."""
    shape = shape_of(course.id)
    token = generate_csrf()
    locale, zone = str(get_locale() or "ru"), str(get_timezone())

    def build() -> str:
        html = render_template(
            "courses/_outline.html",
            course=course,
            outline=outline(course, shape, now=now),
            role=None,
            teaching=True,
            authoring=authoring,
            item_url=item_url,
        )
        return html.replace(token, _TOKEN)

    parts = (course.id, shape.token, shape.epoch(now), locale, zone, authoring, item_url)
    return Markup(remember("course-teacher", parts, (), build).replace(_TOKEN, token))  # noqa: S704


def empty_outline_html(course: Course, role: str | None) -> Markup:
    """A student's page when nothing is visible yet: the empty state, with the forum's link."""
    return Markup(  # noqa: S704 - a rendered template
        render_template(
            "courses/_outline.html",
            course=course,
            outline=Outline(course, [], None),
            role=role,
            teaching=False,
            authoring=False,
            item_url="",
        )
    )


def student_outline(course: Course, user: User, now: datetime, item_url: str) -> tuple[Outline, Markup]:
    """The student's progress and their rows as markup: three statements when nothing changed
    (the versions of the shape and of the student's marks; the pieces are keyed by the shape)."""
    shape = shape_of(course.id)
    user_id = user.id
    epoch = shape.epoch(now)
    learner = remember(
        "course-learner",
        (shape.token, user_id, epoch),
        progress_versions(shape, user_id),
        lambda: learner_state(shape, user_id, now),
    )
    locale, zone = str(get_locale() or "ru"), str(get_timezone())
    pieces = remember(
        "course-rows", (shape.token, epoch, locale, zone, item_url), (), lambda: _pieces(shape, now, item_url)
    )
    return Outline(course, [], learner.progress), _rows(pieces, learner, locale)


def _pieces(shape: CourseShape, now: datetime, item_url: str) -> Pieces:
    kinds = {
        "page": _("Page"),
        "link": _("Link"),
        "file": _("File"),
        "assignment": _("Assignment"),
        "quiz": _("Quiz"),
    }
    modules = []
    for module, items in visible_parts(shape, now):
        head = (
            f'<section class="card mb-3" id="module-{module.id}"><div class="card-header">'
            f'<h2 class="h5 mb-0">{escape(module.title)}</h2></div><ul class="list-group list-group-flush">'
        )
        rows = []
        for item in items:
            start = (
                f'<li class="list-group-item course-item" id="item-{item.id}" data-item="{item.id}"><div>'
                f'<span class="badge text-bg-light border">{kinds[item.kind]}</span> '
            )
            due = ""
            if item.due_at is not None:
                when = templating.localtime(item.due_at, fmt="short")
                due = f'<small class="text-muted ms-2">{escape(_("due %(when)s", when=when))}</small>'
            end = '</div><div class="course-item-marks">'
            title = escape(item.title)
            prerequisite = shape.item(item.prerequisite_id) if item.prerequisite_id else None
            locked = ""
            if prerequisite is not None:
                message = _("Locked: complete “%(title)s” first.", title=prerequisite.title)
                locked = (
                    f'{start}<span class="text-muted">{title}</span>'
                    f'<small class="text-muted d-block" data-locked>{escape(message)}</small>{due}{end}'
                )
            opened = f'{start}<a href="{item_url}{item.id}">{title}</a>{due}{end}'
            rows.append(Row(item.id, opened, locked, item.completion != "none"))
        modules.append((head, tuple(rows)))
    status = {
        "not_submitted": ("secondary", _("Not submitted")),
        "submitted": ("info", _("Submitted")),
        "late": ("warning", _("Submitted late")),
        "graded": ("success", _("Graded")),
    }
    return Pieces(
        modules=tuple(modules),
        empty_module=(
            f'<li class="list-group-item text-muted" data-empty-module>'
            f"{escape(_('No items in this module yet.'))}</li>"
        ),
        status={
            key: f'<span class="badge text-bg-{colour}" data-status="{key}">{escape(label)}</span>'
            for key, (colour, label) in status.items()
        },
        done=f'<span class="badge text-bg-success" data-complete>✓ {escape(_("done"))}</span>',
        todo=f'<span class="badge text-bg-light border" data-incomplete>{escape(_("to do"))}</span>',
    )


def _rows(pieces: Pieces, learner: Learner, locale: str) -> Markup:
    """The student's modules: the shared pieces with their own marks put in (a join, no template)."""
    out: list[str] = []
    marks = learner.marks
    for head, rows in pieces.modules:
        out.append(head)
        if not rows:
            out.append(pieces.empty_module)
        for row in rows:
            mark = marks[row.item_id]
            out.append(row.locked if mark.locked_by and row.locked else row.open)
            if mark.status is not None:
                out.append(pieces.status[mark.status.value])
            if mark.points is not None and mark.max_points:
                out.append('<span class="badge text-bg-light border" data-points>')
                out.append(_score(mark.points, mark.max_points, locale))
                out.append("</span>")
            if row.tracked:
                out.append(pieces.done if mark.complete else pieces.todo)
            out.append("</div></li>")
        out.append("</ul></section>")
    return Markup("".join(out))  # noqa: S704 - titles and labels escaped in _pieces, numbers formatted


@lru_cache(maxsize=4096)
def _score(points: object, out_of: object, locale: str) -> str:
    """«7 из 10», remembered: a student's page shows the same few grades again and again."""
    return numbers.score(points, out_of, locale)  # type: ignore[arg-type]
