"""Thin views: parse the form, call one account service, render or redirect."""

from __future__ import annotations

import math

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import refresh as refresh_babel
from flask_login import current_user, login_required, login_user, logout_user

from app import account_services, passwords
from app.accounts import User
from app.auth import bp
from app.auth.forms import ChangePasswordForm, ForgotForm, LoginForm, ProfileForm, RegisterForm, ResetForm
from app.forms_common import form_status, institution_choices, timezone_choices
from app.i18n import _
from app.login import log_in, log_out, start_session
from app.permissions import can_use_account, require
from app.security import client_address, is_local_path
from app.timeutil import utcnow
from app.view_actions import submit


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
        done = submit(
            form,
            lambda: _register_and_sign_in(form),
            done=lambda user: _("Welcome, %(name)s! Your account is ready.", name=user.full_name),
            then=url_for("main.dashboard"),
        )
        if done:
            return done
    return render_template("auth/register.html", form=form), form_status(form)


def _register_and_sign_in(form: RegisterForm) -> User:
    user = account_services.register(
        email=form.email.data or "",
        full_name=form.full_name.data or "",
        password=form.password.data or "",
        institution_id=form.institution.data or None,
    )
    start_session(user, now=utcnow())
    login_user(user)
    return user


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            user = log_in(form.email.data or "", form.password.data or "", client_address(), now=utcnow())
        except account_services.LoginRefused as refused:
            form.form_errors.append(refused.message)
            status = 422
            if refused.retry_after is not None:
                status, headers = 429, {"Retry-After": str(max(1, math.ceil(refused.retry_after)))}
        else:
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next(url_for("main.dashboard")))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
@login_required
def logout():  # type: ignore[no-untyped-def]
    log_out(current_user._get_current_object())
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():  # type: ignore[no-untyped-def]
    form = ForgotForm()
    if form.validate_on_submit():
        passwords.request_password_reset(
            form.email.data or "", lambda token: url_for("auth.reset", token=token, _external=True)
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
        done = submit(
            form,
            lambda: passwords.reset_password(token, form.password.data or "", now=utcnow()),
            done=_("Your password has been changed. Log in with the new one."),
            then=url_for("auth.login"),
            field="password",
        )
        if done:
            return done
    return render_template("auth/reset.html", form=form), form_status(form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    require(can_use_account(current_user))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies

        def change() -> User:
            user = passwords.change_password(
                current_user._get_current_object(),
                current=form.current_password.data or "",
                new=form.password.data or "",
                now=utcnow(),
            )
            login_user(user, remember=remembered)  # this browser goes on under its new login
            return user

        done = submit(
            form,
            change,
            done=_("Your password has been changed. Your other sessions have ended."),
            then=url_for("auth.profile"),
            field="password",
        )
        if done:
            return done
    return render_template("auth/password.html", form=form), form_status(form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():  # type: ignore[no-untyped-def]
    require(can_use_account(current_user))
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    form.institution.choices = institution_choices()
    form.timezone.choices = timezone_choices(current_user.timezone)
    form.locale.choices = list(current_app.config["LANGUAGES"].items())
    if request.method == "GET":
        form.institution.data = current_user.institution_id or 0
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: _save_profile(form),
            done=lambda _user: _("Profile saved."),
            then=url_for("auth.profile"),
        )
        if done:
            return done
    return render_template("auth/profile.html", form=form), form_status(form)


def _save_profile(form: ProfileForm) -> User:
    user = account_services.update_profile(
        current_user,
        full_name=form.full_name.data or "",
        institution_id=form.institution.data or None,
        timezone=form.timezone.data or "",
        locale=form.locale.data or "ru",
    )
    refresh_babel()  # the confirmation, worded after this, speaks the new language
    return user
