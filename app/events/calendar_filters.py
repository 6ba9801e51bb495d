"""The calendar's filter bar (kinds, subjects, districts, institutions, associations), kept rendered.

Every calendar view shows it, and its choices are the network's lists — the same for everyone — so
it is built once per view, filters, language, zone and permission class. What it shows changes when
a school, district or association is renamed or a school moved (their services move «names» on) or
when one is added or removed, which the key catches through one small statement: each list's count
and highest id (`_fingerprint`). No entry holds anything personal: the bar is a GET form, no token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from app.accounts import District, Institution
from app.extensions import db
from app.memo import remember
from app.permissions.events import can_create_events, runs_calendar
from app.timeutil import DEFAULT_TIMEZONE
from community.associations.models import Association
from community.events.calendar import Filters
from community.events.labels import KIND_LABELS
from community.subjects import Subject, all_subjects

INSTITUTIONS_LISTED = 100  # the institution filter lists all only up to this many
BAR_VERSIONS = ("names",)
LISTS = (District, Institution, Association, Subject)


def page_common(view: str, keep: Mapping[str, str], filters: Filters) -> dict[str, Any]:
    """What every calendar view passes its template (viewer_common) and the filter bar, rendered
    (`filter_bar`)."""
    common = viewer_common(filters)
    zone, may_create, locale = common["zone"], common["may_create"], str(get_locale() or "ru")
    kept = tuple(keep.items())
    common["filter_bar"] = remember(
        "events.filter_bar",
        (view, kept, filters, locale, zone, may_create, fingerprint()),
        BAR_VERSIONS,
        lambda: render_bar(view, dict(kept), filters, zone, may_create),
    )
    return common


def viewer_common(filters: Filters) -> dict[str, Any]:
    """The filters, the kinds' labels, the viewer's permissions and zone."""
    return {
        "filters": filters,
        "args": filters.as_args(),
        "kind_labels": texts(KIND_LABELS),
        "may_create": can_create_events(current_user),
        "runs_calendar": runs_calendar(current_user),
        "zone": zone_of_viewer(),
    }


def render_bar(view: str, keep: dict[str, str], filters: Filters, zone: str, may_create: bool) -> Markup:
    """The bar's HTML (four small queries); callers keep it under «names» and `fingerprint()`."""
    html = render_template(
        "events/calendar_filters.html",
        view=view,
        keep=keep,
        filters=filters,
        args=filters.as_args(),
        kind_labels=texts(KIND_LABELS),
        districts=_choices(District.id, District.name),
        institutions=_institution_choices(filters),
        associations=_choices(Association.id, Association.name),
        subject_choices=[(s.id, s.label(str(get_locale() or "ru"))) for s in all_subjects()],
        may_create=may_create,
        zone=zone,
    )
    return Markup(html)


def fingerprint() -> tuple[Any, ...]:
    """Each list's count and highest id, in one statement: an added or removed entry changes it."""
    parts = []
    for model in LISTS:
        parts += [
            select(func.count(model.id)).scalar_subquery(),
            select(func.max(model.id)).scalar_subquery(),
        ]
    return tuple(db.session.execute(select(*parts)).one())


def texts(labels: Mapping[str, Any]) -> dict[str, str]:
    """Labels translated once per page (the grid prints a kind per event; a lazy string would look
    its translation up each time)."""
    return {value: str(label) for value, label in labels.items()}


def _choices(id_column: Any, name_column: Any) -> list[Any]:
    return list(db.session.execute(select(id_column, name_column).order_by(name_column)).all())


def _institution_choices(filters: Filters) -> list[Any] | None:
    """The chosen district's institutions; without a district, all of them when they are few (a large
    network's thousand schools would make every calendar page heavy), else None: pick a district."""
    query = select(Institution.id, Institution.name).order_by(Institution.name)
    if filters.district is not None:
        return list(db.session.execute(query.where(Institution.district_id == filters.district)).all())
    rows = list(db.session.execute(query.limit(INSTITUTIONS_LISTED + 1)).all())
    return rows if len(rows) <= INSTITUTIONS_LISTED else None


def zone_of_viewer() -> str:
    return current_user.timezone or DEFAULT_TIMEZONE
