"""Passwords: asking for a reset link, resetting, and changing one's own.

Each ends the user's other sessions (app.sessions); a reset, which proves only the mailbox and not
the old password, also revokes every API token and clears the account's login throttle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app

from app import audit, login_throttle, sessions
from app.account_services import (
    check_new_password,
    find_user_by_email,
    make_reset_token,
    revoke_tokens,
    user_for_reset_token,
)
from app.accounts import User
from app.domain_errors import Conflict, Invalid
from app.extensions import db
from app.i18n import _, force_locale
from app.mail import send_mail
from app.security import check_password, hash_password


def request_password_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Queue a reset letter for an active account (`link_for(token)` makes the URL). Says nothing
    about whether the address exists: the caller shows the same answer either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = link_for(make_reset_token(user))
    with force_locale(user.locale):
        send_mail(
            user.email,
            _("Vmeste: password reset"),
            _(
                "Hello, %(name)s!\n\nTo set a new password, open this link within %(hours)d hours:\n"
                "%(link)s\n\nIf you did not ask for it, ignore this letter.",
                name=user.full_name,
                link=link,
                hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
            ),
        )
    db.session.commit()


def reset_password(token: str, password: str, *, now: datetime) -> User:
    """Set a new password from a reset link: every session and API token of the user ends."""
    user = user_for_reset_token(token)
    if user is None:
        raise Conflict(_("This reset link has expired or has already been used. Request a new one."))
    check_new_password(password)
    user.password_hash = hash_password(password)
    sessions.end_all_sessions(user)
    revoked = revoke_tokens(user, now)
    login_throttle.forget_account(user.email)
    audit.record(
        "user.password_reset",
        actor=user,
        scope_type="site",
        object_type="user",
        object_id=user.id,
        details={"tokens_revoked": int(revoked or 0)},
    )
    db.session.commit()
    return user


def change_password(user: User, *, current: str, new: str, now: datetime) -> User:
    """The signed-in user's own change: the other sessions end, this one goes on under a new login
    (its id changes with the version, so the caller signs it in again with `user`)."""
    if not check_password(user.password_hash, current):
        message = _("The current password is wrong.")
        raise Invalid(message, {"current_password": message})
    check_new_password(new)
    user.password_hash = hash_password(new)
    sessions.end_all_sessions(user)
    sessions.open_session(user, now)
    audit.record(
        "user.password_changed", actor=user, scope_type="site", object_type="user", object_id=user.id
    )
    db.session.commit()
    return user
