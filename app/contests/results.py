"""Contest pages for results: a stage's ranking (in full for organisers and after publication,
else the viewer's own line), its CSV/XLSX export, the awards and the diploma PDF."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.after_response import after_response
from app.contests import bp
from app.contests.access import contest_or_404, stage_or_404
from app.contests.results_cache import DivisionChoice, anonymous_page, results_table
from app.documents.delivery import document_response
from app.extensions import db
from app.i18n import _
from app.pagination import page_args
from app.permissions import contests as can
from app.permissions import require
from app.tabular_http import csv_response, excel_wanted, xlsx_response
from app.timeutil import utcnow
from app.view_actions import act
from contest_engine.awards import AwardItem, compute_awards, contest_awards
from contest_engine.clock import see_clock
from contest_engine.diplomas import award_paper
from contest_engine.messages import status_labels
from contest_engine.models import Award, Participation, Stage
from contest_engine.queries import (
    award_ids,
    contest_stages,
    final_stage,
    find_participation,
)
from contest_engine.results import (
    compute_pending_results,
    own_result,
    pupil_label,
    pupil_participations,
    results_csv,
    results_pending,
    results_xlsx,
)


@bp.route("/stages/<int:stage_id>/results")
def results_view(stage_id: int):  # type: ignore[no-untyped-def]
    if not current_user.is_authenticated and not session:  # nothing personal, not even a flash
        served = anonymous_page(stage_id, lambda: _results_page(stage_id))
        if served is not None:
            return served
    return _results_page(stage_id)


def _results_page(stage_id: int) -> str:
    """The page; reads only (the clock's move is seen from the stage's times, a ranking still to be
    computed is stored after the response). For a visitor the layout asks for no CSRF token (the
    language switch needs none from them), so the page kept for visitors holds nothing personal."""
    stage, contest = stage_or_404(stage_id)
    now = utcnow()
    see_clock([stage], now)
    page, per_page = page_args(request.args, 50)
    division_id = request.args.get("division", type=int)
    search = request.args.get("q", "").strip()
    table_html = own = None
    divisions: tuple[DivisionChoice, ...] = ()
    if can.can_see_full_results(current_user, stage):
        _queue_pending(stage, now)
        table_html, _total, divisions = results_table(
            stage,
            page=page,
            per_page=per_page,
            division_id=division_id,
            search=search,
            names_visible=can.can_see_pupil_names(current_user),
        )
    elif current_user.is_authenticated:
        participation = find_participation(contest.id, current_user.id)
        own = own_result(stage.id, participation.id) if participation else None
    return render_template(
        "contests/results.html",
        stage=stage,
        contest=contest,
        table_html=table_html,
        own=own,
        divisions=divisions,
        division_id=division_id,
        q=search,
        names_visible=can.can_see_pupil_names(current_user),
        organiser=can.can_organise_contest(current_user, contest.id),
        labels=status_labels(),
    )


def _queue_pending(stage: Stage, now: datetime) -> None:
    """A closed stage without a stored ranking: this page shows it computed now, and it is stored
    once the response is sent (a GET does not write)."""
    if results_pending(stage):
        stage_id = stage.id
        after_response(lambda: compute_pending_results(stage_id, now))


@bp.route("/stages/<int:stage_id>/results.<any(csv, xlsx):fmt>")
@login_required
def results_export(stage_id: int, fmt: str):  # type: ignore[no-untyped-def]
    stage, contest = stage_or_404(stage_id)
    require(can.can_see_full_results(current_user, stage))
    see_clock([stage], utcnow())
    _queue_pending(stage, utcnow())
    name = f"results-{contest.id}-{stage.position}.{fmt}"
    if fmt == "csv":
        return csv_response(results_csv(stage, excel=excel_wanted(current_user)), name)
    return xlsx_response(results_xlsx(stage), name)


@bp.route("/<int:contest_id>/awards", methods=["GET", "POST"])
def awards(contest_id: int):  # type: ignore[no-untyped-def]
    contest = contest_or_404(contest_id)
    organiser = can.can_organise_contest(current_user, contest.id)
    here = url_for("contests.awards", contest_id=contest.id)
    if request.method == "POST":
        require(organiser)
        if not FlaskForm().validate_on_submit():
            return redirect(here)
        return act(
            lambda: compute_awards(contest, actor=current_user, now=utcnow()),
            done=lambda items: _("Awards computed: %(n)s.", n=len(items)),
            then=here,
        )
    final = final_stage(contest_stages(contest.id))
    visible = organiser or (final is not None and final.results_published_at is not None)
    mine = None
    if current_user.is_authenticated and not organiser:
        participation = find_participation(contest.id, current_user.id)
        mine = participation.id if participation else None
    return render_template(
        "contests/awards.html",
        contest=contest,
        items=_awards_shown(contest.id) if visible else [],
        organiser=organiser,
        visible=visible,
        mine=mine,
        award_ids=award_ids(contest.id),
    )


def _awards_shown(contest_id: int) -> list[AwardItem]:
    """The awards list; a visitor reads pupils as numbers, as in the ranking."""
    items = contest_awards(contest_id)
    if can.can_see_pupil_names(current_user) or not items:
        return items
    pupils = pupil_participations(contest_id)
    return [
        replace(item, full_name=pupil_label(item.participation_id))
        if item.participation_id in pupils
        else item
        for item in items
    ]


@bp.route("/awards/<int:award_id>/diploma.pdf")
@login_required
def diploma(award_id: int):  # type: ignore[no-untyped-def]
    award = db.session.get(Award, award_id)
    if award is None:
        abort(404)
    contest = contest_or_404(award.contest_id)
    participation = db.session.get(Participation, award.participation_id)
    if not (
        can.can_organise_contest(current_user, contest.id)
        or (participation is not None and participation.user_id == current_user.id)
    ):
        abort(404)
    verify_url = url_for("verify", code=award.certificate_code, _external=True)
    return document_response(award_paper(award, contest), verify_url)
