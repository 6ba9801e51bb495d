"""Jury pages: the demo-lesson schedule of a final — seeing it (organisers, jurors, finalists) and
its calendar file, the organiser's slots, a finalist picking a free slot."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.jury import bp
from app.jury.forms import AssignSlotForm, SlotForm, choices
from app.jury.loading import managed, stage_and_contest
from app.permissions import jury as can
from app.permissions import require
from app.timeutil import parse_local, utcnow
from app.view_actions import act, submit
from contest_engine.jury import open_lessons
from contest_engine.jury import schedule as slots
from contest_engine.jury.models import DemoSlot
from contest_engine.jury.setup import jury_config
from contest_engine.models import Stage


@bp.route("/stages/<int:stage_id>/schedule", methods=["GET", "POST"])
@login_required
def schedule(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_and_contest(stage_id)
    require(can.can_view_schedule(current_user, stage))
    manages = can.can_manage_jury(current_user, stage)
    slot_form = SlotForm()
    if request.method == "POST":
        require(manages)
        if slot_form.validate_on_submit():
            done = submit(
                slot_form,
                lambda: slots.create_slot(
                    stage,
                    starts_at=parse_local(slot_form.starts_at.data, contest.timezone),
                    duration_minutes=slot_form.duration_minutes.data or 0,
                    location=slot_form.location.data or "",
                    actor=current_user,
                ),
                done=_("Slot added."),
                then=url_for("jury.schedule", stage_id=stage.id),
            )
            if done:
                return done
    config = jury_config(stage)
    views = slots.stage_slots(stage, current_user, show_names=can.can_see_names(current_user, stage))
    is_juror = can.is_stage_juror(current_user, stage.id)
    is_finalist = not manages and not is_juror
    can_pick = is_finalist and config.slot_pick_deadline is not None and utcnow() <= config.slot_pick_deadline
    return render_template(
        "jury/schedule.html",
        stage=stage,
        contest=contest,
        slots=views,
        manages=manages,
        config=config,
        can_pick=can_pick,
        is_juror=is_juror,
        is_finalist=is_finalist,
        active="schedule",
        **_slot_forms(stage, slot_form),
    ), form_status(slot_form)


@bp.route("/stages/<int:stage_id>/schedule.ics")
@login_required
def schedule_ics(stage_id: int):  # type: ignore[no-untyped-def]
    stage, contest = stage_and_contest(stage_id)
    require(can.can_view_schedule(current_user, stage))
    everyone = can.can_manage_jury(current_user, stage) or can.is_stage_juror(current_user, stage.id)
    shown = [
        view.slot
        for view in slots.stage_slots(stage, current_user, show_names=False)
        if everyone or view.mine
    ]
    text = slots.slots_ics(
        shown,
        title=_("Demo lesson: %(contest)s", contest=contest.title),
        host=request.host.split(":")[0] or "vmeste",
        now=utcnow(),
    )
    return Response(
        text,
        mimetype="text/calendar",
        headers={"Content-Disposition": f"attachment; filename=demo-lessons-{stage.id}.ics"},
    )


@bp.route("/stages/<int:stage_id>/schedule/open", methods=["POST"])
@login_required
def open_lessons_switch(stage_id: int):  # type: ignore[no-untyped-def]
    """The organiser opens (open=1) or closes (open=0) the final's demo lessons to colleagues."""
    stage, _contest = managed(stage_id)
    choice = request.form.get("open")
    if choice not in ("0", "1"):
        flash(_("Choose to open or to close the demo lessons."), "danger")
        return redirect(url_for("jury.schedule", stage_id=stage.id))
    opening = choice == "1"
    return act(
        lambda: open_lessons.set_open(stage, opening, actor=current_user),
        done=_("The demo lessons are open to colleagues in the network calendar.")
        if opening
        else _("The demo lessons are no longer open to colleagues."),
        then=url_for("jury.schedule", stage_id=stage.id),
    )


@bp.route("/slots/<int:slot_id>/assign", methods=["POST"])
@login_required
def assign_slot(slot_id: int):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(DemoSlot, slot_id)
    stage, _contest = managed(slot.stage_id)
    back = url_for("jury.schedule", stage_id=stage.id)
    form = AssignSlotForm()
    form.participation_id.choices = choices([(0, "")] + slots.finalists(stage))
    if not form.validate_on_submit():
        flash(_("Choose a finalist."), "danger")
        return redirect(back)
    return act(
        lambda: slots.assign_slot(slot, form.participation_id.data or None, actor=current_user),
        done=_("Schedule updated."),
        then=back,
    )


@bp.route("/slots/<int:slot_id>/delete", methods=["POST"])
@login_required
def delete_slot(slot_id: int):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(DemoSlot, slot_id)
    stage, _contest = managed(slot.stage_id)
    return act(
        lambda: slots.delete_slot(slot, actor=current_user),
        done=_("Slot deleted."),
        then=url_for("jury.schedule", stage_id=stage.id),
    )


@bp.route("/slots/<int:slot_id>/pick", methods=["POST"])
@login_required
def pick_slot(slot_id: int):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(DemoSlot, slot_id)
    stage = db.get_or_404(Stage, slot.stage_id)
    require(can.can_view_schedule(current_user, stage) and can.can_pick_slot(current_user, stage))
    return act(
        lambda: slots.pick_slot(slot, current_user, now=utcnow()),
        done=_("The slot is yours."),
        then=url_for("jury.schedule", stage_id=stage.id),
    )


def _slot_forms(stage: Stage, slot_form: SlotForm | None = None) -> dict[str, Any]:
    assign = AssignSlotForm(formdata=None)
    assign.participation_id.choices = choices([(0, _("— free —"))] + slots.finalists(stage))
    return {"slot_form": slot_form or SlotForm(formdata=None), "assign": assign}
