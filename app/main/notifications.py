"""The notifications page: the list by kind (all or only the unread, paginated), marking one or all
read, and the person's per-kind settings (in the app, by e-mail, in the daily digest)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField

from app.forms_common import form_status
from app.i18n import _, lazy_
from app.main import bp
from app.main.forms import EmptyForm
from app.pagination import page_args
from app.permissions import can_use_account, require
from app.timeutil import utcnow
from app.view_actions import act, submit
from community.notices import inbox, preferences
from community.notices.kinds import Choice, Kind
from community.notices.labels import kind_label

PER_PAGE = 30
CHANNELS = (
    ("in_app", lazy_("In the app")),
    ("by_email", lazy_("By e-mail")),
    ("in_digest", lazy_("In the daily digest")),
)


class SettingsForm(FlaskForm):
    """Three switches per kind, named `<kind>-<channel>`; built once with every kind's fields."""

    def choices(self) -> dict[Kind, Choice]:
        return {
            kind: Choice(*(bool(self[f"{kind.value}-{channel}"].data) for channel, _label in CHANNELS))
            for kind in Kind
        }


for _kind in Kind:
    for _channel, _label in CHANNELS:
        setattr(SettingsForm, f"{_kind.value}-{_channel}", BooleanField(_label))


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications_page():  # type: ignore[no-untyped-def]
    """The list; a POST (the "mark all as read" button) marks every notification read."""
    require(can_use_account(current_user))
    if request.method == "POST":
        return act(
            lambda: inbox.mark_read(current_user.id, None, now=utcnow()),
            done=_("All notifications are marked as read."),
            then=url_for("main.notifications_page"),
        )
    unread_only = request.args.get("unread") == "1"
    page_number, per_page = page_args(request.args, default_per_page=PER_PAGE)
    page = inbox.notifications_page(
        current_user.id, unread_only=unread_only, page=page_number, per_page=per_page
    )
    return render_template(
        "main/notifications.html", page=page, unread_only=unread_only, kind_label=kind_label, form=EmptyForm()
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def notification_read(notification_id: int):  # type: ignore[no-untyped-def]
    """Mark one read (someone else's id changes nothing) and go back to the list."""
    require(can_use_account(current_user))
    return act(
        lambda: inbox.mark_read(current_user.id, [notification_id], now=utcnow()),
        done=_("Marked as read."),
        then=url_for("main.notifications_page", unread=request.args.get("unread") or None),
    )


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def notification_settings():  # type: ignore[no-untyped-def]
    require(can_use_account(current_user))
    form = SettingsForm()
    if form.validate_on_submit():
        saved = submit(
            form,
            lambda: preferences.save_choices(current_user, form.choices()),
            done=_("Your notification settings are saved."),
            then=url_for("main.notification_settings"),
        )
        if saved is not None:
            return saved
    elif request.method == "GET":
        _fill(form, preferences.choices_of(current_user.id))
    rows = [(kind, kind_label(kind), [form[f"{kind.value}-{c}"] for c, _l in CHANNELS]) for kind in Kind]
    return render_template(
        "main/notification_settings.html", form=form, rows=rows, channels=CHANNELS
    ), form_status(form)


def _fill(form: Any, choices: dict[Kind, Choice]) -> None:
    for kind, choice in choices.items():
        form[f"{kind.value}-in_app"].data = choice.in_app
        form[f"{kind.value}-by_email"].data = choice.by_email
        form[f"{kind.value}-in_digest"].data = choice.in_digest
