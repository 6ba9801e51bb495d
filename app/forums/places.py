"""Forum pages: the forum index (/forums/: the network's forum and those of the places the viewer
belongs to, the most recently active first) and a place's forums (a course's news and forum, an
association's forum, a contest's forum with its stages' and divisions' ones), where a contest's
organiser opens a forum for a stage or a division.

The pages only read: a place gets its forums where it is made, and the network's forum and those of
places made before forums existed are opened by the clock (app/forums/backfill.py); until then the
place's page says its forums are being opened and offers nothing to write.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.forums import bp
from app.forums.place_lookup import (
    contest_part_forums,
    find_place,
    my_forums_query,
    part_forum_title,
    place_titles,
    readable_forums,
)
from app.i18n import _
from app.pagination import page_args, paginate
from app.permissions import forums as can
from app.permissions import require
from app.permissions.contests import can_organise_contest
from app.timeutil import utcnow
from app.view_actions import act
from community.forums import places, reading
from community.forums.models import ForumScope
from contest_engine.models import Division, Stage
from contest_engine.queries import contest_divisions, contest_stages


@bp.route("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args, 30)
    result = paginate(my_forums_query(current_user.id), page, per_page)
    names = place_titles(result.items)
    rows = [(forum, names.get((str(forum.scope), forum.scope_id), "")) for forum in result.items]
    unread = reading.unread_topics_by_forum(current_user.id, [f.id for f in result.items], now=utcnow())
    return render_template("forums/index.html", page=result, rows=rows, unread=unread)


@bp.route("/<any(course, contest, association):scope>/<int:scope_id>")
@login_required
def place(scope: str, scope_id: int):  # type: ignore[no-untyped-def]
    place_scope = ForumScope(scope)
    found = find_place(place_scope, scope_id)
    if found is None or not can.can_read_place(current_user, place_scope, scope_id):
        abort(404)
    forums = readable_forums(current_user, found)
    openable: dict[str, list[tuple[int, str]]] = {}
    if place_scope == ForumScope.CONTEST and can_organise_contest(current_user, scope_id):
        openable = _openable_parts(scope_id)
    unread = reading.unread_topics_by_forum(current_user.id, [f.id for f in forums], now=utcnow())
    return render_template(
        "forums/place.html",
        place=found,
        forums=forums,
        openable=openable,
        unread=unread,
        opening=places.lacks_default_forums(place_scope, forums),
    )


@bp.route("/stage/<int:stage_id>/open", methods=["POST"])
@login_required
def open_stage_forum(stage_id: int):  # type: ignore[no-untyped-def]
    stage = db.get_or_404(Stage, stage_id)
    return _open_part(ForumScope.STAGE, stage.id, stage.contest_id, stage.title)


@bp.route("/division/<int:division_id>/open", methods=["POST"])
@login_required
def open_division_forum(division_id: int):  # type: ignore[no-untyped-def]
    division = db.get_or_404(Division, division_id)
    return _open_part(ForumScope.DIVISION, division.id, division.contest_id, division.name)


def _open_part(scope: ForumScope, scope_id: int, contest_id: int, name: str):  # type: ignore[no-untyped-def]
    require(can_organise_contest(current_user, contest_id))
    back = url_for("forums.place", scope="contest", scope_id=contest_id)
    return act(
        lambda: places.open_part_forum(
            scope, scope_id, contest_id=contest_id, title=part_forum_title(scope, name), actor=current_user
        ),
        done=lambda result: _("The forum is open.") if result[1] else _("This forum was already open."),
        then=back,
    )


def _openable_parts(contest_id: int) -> dict[str, list[tuple[int, str]]]:
    """The stages and divisions that have no forum yet, for the organiser's buttons."""
    opened = {(str(forum.scope), forum.scope_id) for forum in contest_part_forums(contest_id)}
    return {
        "stage": [(s.id, s.title) for s in contest_stages(contest_id) if ("stage", s.id) not in opened],
        "division": [
            (d.id, d.name) for d in contest_divisions(contest_id) if ("division", d.id) not in opened
        ],
    }
