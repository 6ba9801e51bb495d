"""Thin views of the home area."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from app import account_services, institutions
from app.accounts import Institution
from app.extensions import csrf
from app.main import bp
from app.main.dashboard import panels_for
from app.main.forms import LanguageForm
from app.pagination import page_args
from app.permissions import can_use_account, can_view_network, require
from app.security import is_local_path


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.route("/dashboard")
@login_required
def dashboard():  # type: ignore[no-untyped-def]
    require(can_use_account(current_user))
    return render_template("main/dashboard.html", panels=panels_for(current_user))


@bp.route("/network")
@login_required
def network():  # type: ignore[no-untyped-def]
    require(can_view_network(current_user))
    page_number, per_page = page_args(request.args, default_per_page=100)
    page = institutions.network_page(page_number, per_page)
    districts: dict[str, list[tuple[Institution, int]]] = {}
    for institution, members in page.items:
        districts.setdefault(institution.district, []).append((institution, members))
    return render_template("main/network.html", districts=districts, page=page, total=page.total)


@bp.route("/language", methods=["POST"])
@csrf.exempt
def set_language():  # type: ignore[no-untyped-def]
    """A visitor's switch needs no token: it only sets their own session's language, and asking for
    one would give every anonymous page a session (the cached public pages are served without).
    A signed-in person's switch also changes their account, so it keeps the CSRF check."""
    form = LanguageForm() if current_user.is_authenticated else LanguageForm(meta={"csrf": False})
    if not form.validate_on_submit() or form.locale.data not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        account_services.set_locale(current_user, form.locale.data)
    target = form.next.data or url_for("main.index")
    if not is_local_path(target):
        target = url_for("main.index")
    return redirect(target)
