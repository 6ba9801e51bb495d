"""Importing users from a table (admins and organisers): the page, and its template to fill in."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from app.accounts import ROLE_LABELS
from app.admin import bp
from app.admin.forms import UserImportForm
from app.exports import csv_text, xlsx_bytes
from app.forms_common import form_status
from app.i18n import _
from app.permissions import can_create_users, can_manage_users, require
from app.tabular_http import csv_response, excel_wanted, file_bytes, xlsx_response
from app.tabular_views import ImportShown, run_import
from app.user_import import import_users

# The header of the template: Russian for Russian users (the reader takes either language).
TEMPLATE_HEADERS = {
    "ru": ("Почта", "ФИО", "Роль", "Учреждение"),
    "en": ("email", "full_name", "role", "institution"),
}


@bp.route("/users/import", methods=["GET", "POST"])
@login_required
def user_import():  # type: ignore[no-untyped-def]
    require(can_create_users(current_user))
    form = UserImportForm()
    shown = ImportShown()
    if form.validate_on_submit():
        outcome = run_import(
            form,
            lambda: import_users(
                file_bytes(form.file.data), actor=current_user, valid_only=bool(form.valid_only.data)
            ),
            written=lambda result: result.created,
            done=lambda result: _("Users created: %(n)s.", n=result.created),
            then=url_for("admin.users" if can_manage_users(current_user) else "admin.user_import"),
        )
        if not isinstance(outcome, ImportShown):
            return outcome
        shown = outcome
    return render_template(
        "admin/user_import.html", form=form, shown=shown, roles=ROLE_LABELS, headers=_headers()
    ), form_status(form)


@bp.route("/users/import/template.<any(csv, xlsx):fmt>")
@login_required
def user_import_template(fmt: str):  # type: ignore[no-untyped-def]
    """An empty table with the header the import reads, in the user's language."""
    require(can_create_users(current_user))
    name = _("users") + "." + fmt
    if fmt == "csv":
        return csv_response(csv_text(_headers(), [], excel=excel_wanted(current_user)), name)
    return xlsx_response(xlsx_bytes(_("Users"), _headers(), []), name)


def _headers() -> tuple[str, ...]:
    return TEMPLATE_HEADERS["ru" if str(get_locale()).startswith("ru") else "en"]
