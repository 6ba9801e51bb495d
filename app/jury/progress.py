"""Jury pages for the organiser while scoring runs: the jurors' progress and reminders, closing and
reopening scoring, and the scores overview."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from app.i18n import _
from app.jury import bp
from app.jury.forms import ReasonForm
from app.jury.loading import managed
from app.pagination import Page, page_args
from app.timeutil import utcnow
from app.view_actions import act
from contest_engine.jury.closing import close_scoring, reopen_scoring, scoring_closed
from contest_engine.jury.overview import scores_overview
from contest_engine.jury.progress import jury_progress, remind_late_jurors
from contest_engine.jury.setup import jury_config

OVERVIEW_PER_PAGE = 100


@bp.route("/stages/<int:stage_id>/progress")
@login_required
def progress(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = managed(stage_id)
    config = jury_config(stage)
    return render_template(
        "jury/progress.html",
        stage=stage,
        contest=contest,
        config=config,
        rows=jury_progress(stage, utcnow()),
        closed=scoring_closed(stage, config),
        reopen=ReasonForm(),
        active="progress",
    )


@bp.route("/stages/<int:stage_id>/remind", methods=["POST"])
@login_required
def remind(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = managed(stage_id)
    return act(
        lambda: remind_late_jurors(
            stage, actor=current_user, now=utcnow(), queue_url=url_for("jury.queue", _external=True)
        ),
        done=lambda late: _("Reminders sent: %(n)d.", n=len(late)),
        then=url_for("jury.progress", stage_id=stage.id),
    )


@bp.route("/stages/<int:stage_id>/close", methods=["POST"])
@login_required
def close(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = managed(stage_id)
    return act(
        lambda: close_scoring(stage, actor=current_user, now=utcnow()),
        done=_("Scoring is closed."),
        then=url_for("jury.progress", stage_id=stage.id),
    )


@bp.route("/stages/<int:stage_id>/reopen", methods=["POST"])
@login_required
def reopen(stage_id: int):  # type: ignore[no-untyped-def]
    stage, _contest = managed(stage_id)
    form = ReasonForm()
    return act(
        lambda: reopen_scoring(stage, actor=current_user, reason=form.reason.data or ""),
        done=_("Scoring is open again."),
        then=url_for("jury.progress", stage_id=stage.id),
    )


@bp.route("/stages/<int:stage_id>/overview")
@login_required
def overview(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = managed(stage_id)
    page, _per_page = page_args(request.args, default_per_page=OVERVIEW_PER_PAGE)
    data = scores_overview(stage, page=page, per_page=OVERVIEW_PER_PAGE)
    rows = Page(
        data.rows[(page - 1) * OVERVIEW_PER_PAGE : page * OVERVIEW_PER_PAGE],
        page,
        OVERVIEW_PER_PAGE,
        len(data.rows),
    )
    return render_template(
        "jury/overview.html",
        stage=stage,
        contest=contest,
        data=data,
        page=rows,
        flagged=sum(1 for r in data.rows if r.disagreement),
        blocked=sum(1 for r in data.rows if r.score is None),
        active="overview",
    )
