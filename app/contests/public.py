"""Contest pages for everyone: the list of contests and a contest's page (with the viewer's own
status at each stage when they take part)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.contests import bp
from app.contests.access import contest_or_404
from app.pagination import page_args, paginate
from app.permissions import contests as can
from app.timeutil import utcnow
from contest_engine.clock import see_clock
from contest_engine.messages import kind_label, state_label
from contest_engine.models import Contest
from contest_engine.participant import stage_statuses
from contest_engine.queries import contest_divisions, contest_stages, current_stage, find_participation
from contest_engine.registration import registration_open


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args, 20)
    query = can.visible_contests(current_user).order_by(Contest.created_at.desc(), Contest.id.desc())
    return render_template("contests/index.html", page=paginate(query, page, per_page))


@bp.route("/<int:contest_id>")
def view(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    now = utcnow()
    stages = contest_stages(contest.id)
    see_clock(stages, now)  # a page never shows a stale state, and never writes: the tick job does
    participation = find_participation(contest.id, current_user.id) if current_user.is_authenticated else None
    statuses = stage_statuses(stages, participation) if participation is not None else {}
    return render_template(
        "contests/view.html",
        contest=contest,
        stages=stages,
        divisions=contest_divisions(contest.id),
        participation=participation,
        current=current_stage(stages, now),
        statuses=statuses,
        organiser=can.can_organise_contest(current_user, contest.id),
        registration_open=registration_open(stages, now),
        now=now,
        kind_label=kind_label,
        state_label=state_label,
    )
