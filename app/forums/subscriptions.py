"""Forum pages: a person's subscriptions (each with its mode), the subscribe control's POST from
forum, topic and association pages (templates/forums/_subscribe.html), and the one-click
unsubscribe page a letter links to.

The unsubscribe address works without signing in: a GET shows what the signed link turns off and a
button; a POST turns it off — the button's, or a mail client's own one-click POST (RFC 8058, body
`List-Unsubscribe=One-Click`), which carries no session and no CSRF token, so the view is exempt
from the CSRF check: the signature is the proof.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.forums import bp
from app.forums.place_lookup import place_titles
from app.forums.subscription_links import verify
from app.i18n import _
from app.input_guard import MAX_INT
from app.pagination import Page, page_args
from app.timeutil import utcnow
from app.view_actions import act
from community.associations.models import Association
from community.forums.models import Forum, Topic
from community.subscriptions import listing, subscriptions
from community.subscriptions.access import DIGEST_SCOPE, Scope

PER_PAGE = 50


@bp.route("/subscriptions", endpoint="subscriptions")
@login_required
def subscriptions_page():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args, PER_PAGE, 200)
    entries = listing.my_subscriptions(current_user)
    shown = Page(
        items=entries[(page - 1) * per_page : page * per_page],
        page=page,
        per_page=per_page,
        total=len(entries),
    )
    places = place_titles([entry.forum for entry in shown.items if entry.forum is not None])
    return render_template("forums/subscriptions.html", page=shown, places=places)


@bp.route("/subscriptions", methods=["POST"])
@login_required
def subscribe():  # type: ignore[no-untyped-def]
    back = _back(request.form.get("back", ""))
    target_id = _int(request.form.get("target_id", ""))
    if target_id is None:
        flash(_("Choose what to subscribe to."), "danger")
        return redirect(back)
    target, mode = request.form.get("target", ""), request.form.get("mode", "")

    def change() -> str:
        subscriptions.check_choice(target, mode)
        found = subscriptions.find_target(current_user, target, target_id)
        return str(subscriptions.subscribe(current_user, found, mode, now=utcnow()).mode)

    return act(change, done=_done, then=back)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):  # type: ignore[no-untyped-def]
    scope = verify(token)
    if scope is None:
        return render_template("forums/unsubscribe.html", scope=None, title="", outcome=None), 400
    title = _scope_title(scope)
    if request.method == "GET":
        return render_template("forums/unsubscribe.html", scope=scope, title=title, outcome=None, token=token)
    outcome = subscriptions.unsubscribe(scope, now=utcnow())
    return render_template("forums/unsubscribe.html", scope=scope, title=title, outcome=outcome, token=token)


@bp.app_template_global("subscription_state")
def subscription_state(target: str, target_id: int, forum: Forum | None = None) -> tuple[str, bool]:
    """(mode, forced) of the signed-in person's subscription, for the subscribe control's selector."""
    if not current_user.is_authenticated:
        return "off", False
    return listing.state(current_user, target, target_id, forum)


def _done(mode: str) -> str:
    if mode == "each":
        return _("Subscribed: a letter for every new post.")
    if mode == "digest":
        return _("Subscribed: new posts in the daily digest.")
    return _("Subscription turned off.")


def _scope_title(scope: Scope) -> str:
    """What the link turns off, in words (no more than its title: the link may be in anyone's hands)."""
    if scope.target == DIGEST_SCOPE:
        return _("the daily forum digest")
    if scope.target == "topic":
        topic = db.session.get(Topic, scope.target_id)
        return _("the topic “%(title)s”", title=topic.title) if topic else ""
    if scope.target == "association":
        association = db.session.get(Association, scope.target_id)
        return _("the forums of “%(name)s”", name=association.name) if association else ""
    forum = db.session.get(Forum, scope.target_id)
    return _("the forum “%(title)s”", title=forum.title) if forum else ""


def _back(value: str) -> str:
    """Where the control came from: a path of this site only (never another host)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return url_for("forums.subscriptions")


def _int(value: str) -> int | None:
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        return None
    return int(value) if 0 < int(value) <= MAX_INT else None
