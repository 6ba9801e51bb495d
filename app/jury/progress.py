"""Jury pages for the organiser while scoring runs: the jurors' progress and reminders, closing and
reopening scoring, and the scores overview."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup

from app.after_response import after_response
from app.i18n import _
from app.jury import bp
from app.jury.forms import ReasonForm
from app.jury.loading import managed
from app.memo import remember
from app.pagination import Page, page_args
from app.timeutil import utcnow
from app.view_actions import act
from contest_engine.jury.closing import close_scoring, reopen_scoring, scoring_closed
from contest_engine.jury.overview import entry_scores, scores_overview
from contest_engine.jury.progress import jury_progress, remind_late_jurors
from contest_engine.jury.setup import jury_config
from contest_engine.jury.standing import standing_key, standing_missing, store_missing_standing
from contest_engine.queries import results_key

OVERVIEW_PER_PAGE = 50  # what a screen shows; each row's points and comments on their own page


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
    query = tuple(sorted(request.args.items(multi=True)))  # the pagination links repeat it

    def build() -> Markup:
        pending = standing_missing(stage.id)
        if pending:  # scored before standings were stored: they are stored after this page
            stage_id = stage.id
            after_response(lambda: store_missing_standing(stage_id))
        data = scores_overview(stage, page=page, per_page=OVERVIEW_PER_PAGE, with_details=False)
        rows = Page(data.rows, page, OVERVIEW_PER_PAGE, data.total)
        return Markup(
            render_template("jury/_overview_body.html", stage=stage, data=data, page=rows, pending=pending)
        )

    # Kept per worker under the standing's version: every score, draft, appeal, allocation and
    # setting change moves it on (contest_engine.jury.standing). Participants' and jurors' names and
    # the divisions' names are read live: a rename moves «names», a contest's edit its results key.
    versions = (standing_key(stage.id), results_key(stage.id), "names")
    body = remember("jury.overview", (stage.id, page, query, str(get_locale())), versions, build)
    return render_template("jury/overview.html", stage=stage, contest=contest, body=body, active="overview")


@bp.route("/stages/<int:stage_id>/overview/<int:entry_id>")
@login_required
def overview_entry(stage_id: int, entry_id: int):  # type: ignore[no-untyped-def]
    """One row of the overview in full: each juror's points by criterion and comment."""
    stage, contest = managed(stage_id)
    row, criteria = entry_scores(stage, entry_id)
    if row is None:
        abort(404)
    return render_template(
        "jury/overview_entry.html",
        stage=stage,
        contest=contest,
        row=row,
        criteria=criteria,
        max_total=sum((c.max_points * c.weight for c in criteria), Decimal(0)),
        active="overview",
    )
