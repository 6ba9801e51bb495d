"""Jury pages for the juror: the queue, an entry with its materials and the scoring form, the
entry's files (neutral names in a blind stage), and withdrawing from an entry over a conflict."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.jury import bp
from app.jury.forms import ReasonForm, score_form, typed_number
from app.jury.loading import stage_and_contest
from app.pagination import Page, page_args, paginate
from app.permissions import is_admin, require
from app.permissions import jury as can
from app.timeutil import utcnow
from app.uploads import send_stored
from app.view_actions import act, submit
from contest_engine.jury import blind
from contest_engine.jury.certificates import juror_certificates
from contest_engine.jury.closing import scoring_closed
from contest_engine.jury.conflicts import declare_conflict
from contest_engine.jury.models import ConflictSource
from contest_engine.jury.setup import stage_criteria
from contest_engine.jury.sheets import save_scores, sheet_for
from contest_engine.jury.work import (
    juror_queue_query,
    juror_stages,
    next_to_score,
    organised_jury_stages,
    queue_item,
)
from contest_engine.models import Entry, EntryFile, Participation, Stage


@bp.route("/")
@login_required
def queue():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args)
    result = paginate(juror_queue_query(current_user.id), page, per_page, scalars=False)
    items = Page([queue_item(row) for row in result.items], result.page, result.per_page, result.total)
    return render_template(
        "jury/queue.html",
        page=items,
        stages=juror_stages(current_user.id),
        organised=organised_jury_stages(current_user, is_admin(current_user)),
        certificates=juror_certificates(current_user.id),
    )


@bp.route("/entries/<int:entry_id>", methods=["GET", "POST"])
@login_required
def entry(entry_id: int):  # type: ignore[no-untyped-def]
    """The juror's entry page: materials, criteria with their levels, the scoring form."""
    entry_row = db.get_or_404(Entry, entry_id)
    require(can.can_score_entry(current_user, entry_row))
    stage, contest = stage_and_contest(entry_row.stage_id)
    criteria = stage_criteria(stage.id)
    sheet, points = sheet_for(entry_row.id, current_user.id)
    form = score_form(
        criteria,
        {f"c{c.id}": typed_number(points[c.id]) for c in criteria if c.id in points}
        | {"comment": sheet.comment if sheet else ""},
    )
    if form.validate_on_submit():
        submitting = request.form.get("action") == "submit"
        marks = {c.name: form[f"c{c.id}"].data for c in criteria if (form[f"c{c.id}"].data or "").strip()}
        message, then = _after_saving(entry_row.id, submitting)
        done = submit(
            form,
            lambda: save_scores(
                entry_row, current_user, marks, form.comment.data or "", submit=submitting, now=utcnow()
            ),
            done=message,
            then=then,
        )
        if done:
            return done
    sees_names = can.can_see_names(current_user, stage)
    return render_template(
        "jury/entry.html",
        entry=entry_row,
        stage=stage,
        contest=contest,
        criteria=criteria,
        form=form,
        sheet=sheet,
        closed=scoring_closed(stage),
        sees_names=sees_names,
        participant=_participant(entry_row) if sees_names else None,
        files=_entry_files(entry_row.id, sees_names),
        conflict_form=ReasonForm(),
    ), form_status(form)


@bp.route("/entries/<int:entry_id>/files/<int:file_id>")
@login_required
def entry_file(entry_id: int, file_id: int):  # type: ignore[no-untyped-def]
    entry_row = db.get_or_404(Entry, entry_id)
    require(can.can_score_entry(current_user, entry_row))
    stage = db.get_or_404(Stage, entry_row.stage_id)
    named = {
        attached.id: (attached, name)
        for attached, name in _entry_files(entry_id, can.can_see_names(current_user, stage))
    }
    if file_id not in named:
        abort(404)
    attached, name = named[file_id]
    return send_stored(attached.file, download_name=name)


@bp.route("/entries/<int:entry_id>/conflict", methods=["POST"])
@login_required
def declare_own_conflict(entry_id: int):  # type: ignore[no-untyped-def]
    """ "I know this participant": the juror withdraws from the entry."""
    entry_row = db.get_or_404(Entry, entry_id)
    require(can.can_score_entry(current_user, entry_row))
    stage = db.session.get(Stage, entry_row.stage_id)
    assert stage is not None
    return act(
        lambda: declare_conflict(
            stage.contest_id,
            current_user.id,
            entry_row.participation_id,
            source=ConflictSource.DECLARED_BY_JUROR,
            actor=current_user,
        ),
        done=_("Thank you: the entry was withdrawn from your queue and the organiser will reassign it."),
        then=url_for("jury.queue"),
        refused=url_for("jury.entry", entry_id=entry_id),
    )


def _after_saving(entry_id: int, submitting: bool) -> tuple[str, str]:
    """Where a save leads: a draft stays on its entry; submitted scores lead to the next entry
    waiting for this juror (the queue when none is left), as a juror works through a pile."""
    if not submitting:
        return _("Draft saved."), url_for("jury.entry", entry_id=entry_id)
    following = next_to_score(current_user.id, entry_id)
    if following is None:
        return _("Scores submitted. Every entry assigned to you is scored."), url_for("jury.queue")
    return _("Scores submitted. Here is the next entry."), url_for("jury.entry", entry_id=following)


def _participant(entry_row: Entry) -> tuple[str, str]:
    """(name, institution) of the entry's author, for those who may see names."""
    participation = db.session.get(Participation, entry_row.participation_id)
    assert participation is not None
    person = db.session.get(User, participation.user_id)
    return person.full_name if person else "", participation.institution_name


def _entry_files(entry_id: int, sees_names: bool) -> list[tuple[EntryFile, str]]:
    """The entry's files with the names this viewer is shown (neutral ones for a blind juror)."""
    files = db.session.scalars(
        select(EntryFile).where(EntryFile.entry_id == entry_id).order_by(EntryFile.position)
    )
    return [
        (attached, blind.file_name(attached.file, entry_id=entry_id, number=number, sees_names=sees_names))
        for number, attached in enumerate(files, start=1)
    ]
