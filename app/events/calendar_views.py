"""The network's calendar for every colleague: a list (soonest first, paginated), a month grid and a
week, with filters by district, institution, association, subject and kind; times in the viewer's zone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup

from app.events import bp
from app.events.calendar_filters import (
    fingerprint,
    page_common,
    render_bar,
    texts,
    viewer_common,
    zone_of_viewer,
)
from app.memo import remember
from app.pagination import page_args
from app.permissions import require
from app.permissions.events import can_see_calendar, runs_calendar
from app.timeutil import to_zone, utcnow
from community.events import calendar
from community.events.calendar import EVENTS_VERSION, Filters, Seen, Viewer
from community.events.labels import FORMAT_LABELS, KIND_LABELS

DAY_CELL_LIMIT = 4  # a busy day shows this many and a link to the rest
DAY_MARK = "0000-00-00"  # where a day's date goes in a link built once for every cell
# The month page's content also depends on institutions' districts (the district filter) and the
# filter bar's lists' names: app.institutions, app.districts and associations move "names" on.
GRID_VERSIONS = (EVENTS_VERSION, "names")


@bp.route("/events")
@login_required
def calendar_list() -> Any:
    require(can_see_calendar(current_user))
    filters = calendar.read_filters(request.args, strict=False, user_id=current_user.id)
    zone = _zone()
    first = _day(request.args.get("from")) or to_zone(utcnow(), zone).date()
    last = _day(request.args.get("to"))
    start = calendar.local_span(first, first, zone)[0]
    end = calendar.local_span(last + timedelta(days=1), last, zone)[0] if last else None
    page, per_page = page_args(request.args, 20, 100)
    found = calendar.list_rows(filters, viewer(), start, end, page, per_page)
    keep = {"from": first.isoformat(), **({"to": last.isoformat()} if last else {})}
    subjects = calendar.subjects_of([event.id for event in found.items], _locale())
    return render_template(
        "events/calendar_list.html",
        found=found,
        subjects=subjects,
        first=first,
        last=last,
        format_labels=texts(FORMAT_LABELS),
        **page_common("events.calendar_list", keep, filters),
    )


@bp.route("/events/month")
@login_required
def calendar_month() -> Any:
    require(can_see_calendar(current_user))
    filters = calendar.read_filters(request.args, strict=False, user_id=current_user.id)
    zone = _zone()
    today = to_zone(utcnow(), zone).date()
    shown = _month(request.args.get("month")) or today.replace(day=1)
    weeks = calendar.month_weeks(shown.year, shown.month)
    start, end = calendar.local_span(weeks[0][0], weeks[-1][-1] + timedelta(days=1), zone)
    seen = calendar.seen_by(viewer(), start, end)
    common = viewer_common(filters)
    key = (shown, filters, _locale(), zone, today, seen, common["may_create"], fingerprint())
    content = remember(
        "events.month", key, GRID_VERSIONS, lambda: _month_content(filters, seen, weeks, shown, today, zone)
    )
    return render_template("events/calendar_month.html", content=content, shown=shown)


def _month_content(
    filters: Filters, seen: Seen, weeks: list[list[date]], shown: date, today: date, zone: str
) -> Markup:
    """The month page's content (the filter bar, the month's title and arrows, the grid): the same
    for everyone with the same key, so built once per events version and change of the lists."""
    common = viewer_common(filters)
    view = "events.calendar_month"
    html = render_template(
        "events/_month_content.html",
        filter_bar=render_bar(view, {"month": shown.strftime("%Y-%m")}, filters, zone, common["may_create"]),
        grid=_month_grid(filters, seen, weeks, shown, today, zone),
        shown=shown,
        previous=(shown - timedelta(days=1)).replace(day=1),
        following=(shown + timedelta(days=32)).replace(day=1),
        view=view,
        args=common["args"],
    )
    return Markup(html)


def _month_grid(
    filters: Filters, seen: Seen, weeks: list[list[date]], shown: date, today: date, zone: str
) -> Markup:
    """The grid's HTML: the same for everyone who asks with the same key (the month, filters, locale,
    zone, today and what they may see), so it is built once per events version."""
    start, end = calendar.local_span(weeks[0][0], weeks[-1][-1] + timedelta(days=1), zone)
    args = filters.as_args()
    # Each cell links to its week and (when busy) to its day's list: two links built once, the day
    # put in by replacing a placeholder (a date's digits and dashes need no escaping).
    week_link = url_for("events.calendar_week", day=DAY_MARK, **args)
    day_link = url_for("events.calendar_list", **{"from": DAY_MARK, "to": DAY_MARK, **args})
    html = render_template(
        "events/_month_grid.html",
        weeks=weeks,
        days=calendar.month_cells(filters, seen, start, end, zone, DAY_CELL_LIMIT),
        shown=shown,
        today=today,
        week_links={day: week_link.replace(DAY_MARK, day.isoformat()) for week in weeks for day in week},
        day_link=day_link,
        day_mark=DAY_MARK,
        kind_labels=texts(KIND_LABELS),
    )
    return Markup(html)


@bp.route("/events/week")
@login_required
def calendar_week() -> Any:
    require(can_see_calendar(current_user))
    filters = calendar.read_filters(request.args, strict=False, user_id=current_user.id)
    zone = _zone()
    today = to_zone(utcnow(), zone).date()
    week = calendar.week_days(_day(request.args.get("day")) or today)
    start, end = calendar.local_span(week[0], week[-1] + timedelta(days=1), zone)
    seen = calendar.seen_by(viewer(), start, end)
    common = viewer_common(filters)
    key = (week[0], filters, _locale(), zone, today, seen, common["may_create"], fingerprint())
    content = remember(
        "events.week", key, GRID_VERSIONS, lambda: _week_content(filters, seen, week, today, zone)
    )
    return render_template("events/calendar_week.html", content=content)


def _week_content(filters: Filters, seen: Seen, week: list[date], today: date, zone: str) -> Markup:
    """The week page's content (filter bar, title and arrows, the days), kept as the month's is."""
    start, end = calendar.local_span(week[0], week[-1] + timedelta(days=1), zone)
    common = viewer_common(filters)
    view = "events.calendar_week"
    html = render_template(
        "events/_week_content.html",
        filter_bar=render_bar(view, {"day": week[0].isoformat()}, filters, zone, common["may_create"]),
        week=week,
        days=calendar.week_cells(calendar.events_between(filters, seen, start, end), zone),
        today=today,
        previous=week[0] - timedelta(days=7),
        following=week[0] + timedelta(days=7),
        view=view,
        args=common["args"],
        kind_labels=common["kind_labels"],
    )
    return Markup(html)


def viewer() -> Viewer:
    """The signed-in person as the calendar's queries see them (shared with the term plan)."""
    return Viewer(current_user.id, runs_calendar(current_user))


def _zone() -> str:
    return zone_of_viewer()


def _locale() -> str:
    return str(get_locale() or "ru")


def _day(raw: str | None) -> date | None:
    try:
        day = date.fromisoformat((raw or "").strip())
    except ValueError:
        return None
    return day if 1900 < day.year < 2200 else None


def _month(raw: str | None) -> date | None:
    """?month=2026-12 (a malformed value shows the current month)."""
    return _day(f"{(raw or '').strip()}-01")
