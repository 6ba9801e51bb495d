"""Thin views: parse the form, call one account service, render or redirect."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import refresh as refresh_babel
from flask_login import current_user, login_required, login_user, logout_user

from app import account_services
from app.auth import bp
from app.auth.forms import ForgotForm, LoginForm, ProfileForm, RegisterForm, ResetForm
from app.domain_errors import DomainError
from app.forms_common import apply_domain_error, form_status, institution_choices, timezone_choices
from app.i18n import _, force_locale
from app.mail import send_mail
from app.permissions import can_use_account, require
from app.security import is_local_path


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    return target if is_local_path(target) else default


@bp.route("/register", methods=["GET", "POST"])
def register():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    form.institution.choices = institution_choices()
    if form.validate_on_submit():
        try:
            user = account_services.register(
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                password=form.password.data or "",
                institution_id=form.institution.data or None,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.full_name), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register.html", form=form), form_status(form)


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = account_services.authenticate(form.email.data or "", form.password.data or "", _client_ip())
        except account_services.LoginRefused as refused:
            form.form_errors.append(refused.message)
            status = 422
        else:
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next(url_for("main.dashboard")))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():  # type: ignore[no-untyped-def]
    form = ForgotForm()
    if form.validate_on_submit():
        user = account_services.find_user_by_email(form.email.data or "")
        if user is not None and user.active:
            token = account_services.make_reset_token(user)
            link = url_for("auth.reset", token=token, _external=True)
            with force_locale(user.locale):
                send_mail(
                    user.email,
                    _("Vmeste: password reset"),
                    _("Hello, %(name)s!\n\nTo set a new password, open this link within %(hours)d hours:\n%(link)s\n\n"
                      "If you did not ask for it, ignore this letter.",
                      name=user.full_name, link=link,
                      hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600),
                )
        # The same answer whether or not the address exists: no account discovery.
        flash(_("If this address is registered, a letter with a reset link has been sent to it."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):  # type: ignore[no-untyped-def]
    if account_services.user_for_reset_token(token) is None:
        flash(_("This reset link has expired or has already been used. Request a new one."), "danger")
        return redirect(url_for("auth.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            account_services.reset_password(token, form.password.data or "")
        except DomainError as error:
            apply_domain_error(form, error, "password")
        else:
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), form_status(form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():  # type: ignore[no-untyped-def]
    require(can_use_account(current_user))
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    form.institution.choices = institution_choices()
    form.timezone.choices = timezone_choices()
    form.locale.choices = list(current_app.config["LANGUAGES"].items())
    if request.method == "GET":
        form.institution.data = current_user.institution_id or 0
    if form.validate_on_submit():
        try:
            account_services.update_profile(
                current_user,
                full_name=form.full_name.data or "",
                institution_id=form.institution.data or None,
                timezone=form.timezone.data or "",
                locale=form.locale.data or "ru",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            refresh_babel()  # the confirmation speaks the language just chosen
            flash(_("Profile saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form), form_status(form)


def _client_ip() -> str:
    return request.remote_addr or "unknown"
