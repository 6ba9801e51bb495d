"""The layout's fixed parts rendered once per language and menu shape, not on every page.

Most of base.html is the same for everyone who sees the same menus in the same language: the
stylesheet links, the rooms in the header, the footer, the Markdown editor's words. Rendering them
again cost every signed-in page ~40 translated strings and ~30 links. A `{% call keep_fragment(...) %}`
block in a template is rendered on the first request for its key and kept in the app's memo
(app/memo.py, no data versions: templates and catalogues change only with a deployment).

The key is the application root, the request's language and the block's own `parts`; whatever else
the block shows must be in `parts`. For the header's menus that is `MenuFacts`, the answers of the
permission checks that decide which links a person sees — the block reads `menu.*` only, never
`current_user`. A kept block that needs the viewer's CSRF token writes `csrf_slot` where it goes
and passes `csrf=True`: each request puts its own token in.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app import permissions
from app.memo import remember
from app.permissions import events, jury, library, messaging, monitoring

# Letters and dashes only: tojson and HTML escaping leave it as it is, so it can be found again.
CSRF_SLOT = "kept-fragment-csrf-slot"


@dataclass(frozen=True)
class MenuFacts:
    """Which of the header's links a person sees (templates/base.html, templates/_nav_items.html)."""

    jury: bool
    my_materials: bool
    associations: bool
    forums: bool
    calendar: bool
    monitoring: bool
    admin: bool
    districts: bool
    message_reports: bool


def menu_facts(user: Any, jury_seat: bool | None) -> MenuFacts:
    """The permission checks behind the header's links, asked once per page (the jury seat comes
    with the user, app/header_facts.py; the monitoring scope only for those who may monitor)."""
    monitors = monitoring.can_view_monitoring(user) and not monitoring.monitoring_scope(user).empty
    return MenuFacts(
        jury=jury.has_jury_work(user, jury_seat),
        my_materials=library.can_publish_materials(user),
        associations=library.can_view_associations(user),
        forums=permissions.can_use_account(user),
        calendar=events.can_see_calendar(user),
        monitoring=bool(monitors),
        admin=permissions.is_admin(user),
        districts=monitoring.can_manage_districts(user),
        message_reports=messaging.can_see_message_reports(user),
    )


def keep_fragment(*parts: Hashable, caller: Callable[[], str], csrf: bool = False) -> Markup:
    """The call block's HTML for this root, language and `parts`, rendered on the first request."""
    key = (request.script_root, str(get_locale()), *parts)
    html = remember("layout-fragment", key, (), lambda: Markup(caller()))
    if csrf and CSRF_SLOT in html:  # a visitor's page has no slot, and gets no session for a token
        return Markup(html.replace(CSRF_SLOT, generate_csrf()))
    return html


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(keep_fragment=keep_fragment, menu_facts=menu_facts, csrf_slot=CSRF_SLOT)
