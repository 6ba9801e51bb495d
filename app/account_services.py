"""Use cases for people (accounts, sign-in, profiles, API tokens, reset links): each validates,
writes and commits once; institutions are in app/institutions.py.

Shared by the HTML views and the API so both apply the same rules.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit, login_throttle, sessions
from app.accounts import ApiToken, Institution, Role, User, hash_token
from app.cache_versions import bump
from app.domain_errors import Invalid
from app.email_address import InvalidEmail, clean_email
from app.extensions import db, rows_changed
from app.i18n import _
from app.security import check_password, hash_password
from app.timeutil import DEFAULT_TIMEZONE, is_valid_timezone, utcnow

MIN_PASSWORD_LENGTH = 8
UNUSABLE_PASSWORD = "!"  # no argon2 hash verifies against it


def normalise_email(email: str) -> str:
    """The lookup form of whatever was typed (the validator's form for every valid address)."""
    return email.strip().lower().replace("\x00", "")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def email_taken(email: str, *, except_id: int | None = None) -> bool:
    query = select(User.id).where(User.email == normalise_email(email))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH),
            {"password": _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH)},
        )


def create_user(
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role | str = Role.TEACHER,
    institution_id: int | None = None,
    actor: User | None = None,
    locale: str = "ru",
    timezone: str = DEFAULT_TIMEZONE,
    commit: bool = True,
) -> User:
    """Create one user. A duplicate e-mail is refused here and, for two requests at once, by the
    unique index (the loser gets the same message)."""
    full_name = full_name.strip()
    fields: dict[str, str] = {}
    try:
        email = clean_email(email)
    except InvalidEmail:
        fields["email"] = _("Enter a valid e-mail address.")
    else:
        if email_taken(email):
            fields["email"] = _("A user with this e-mail already exists.")
    if not full_name:
        fields["full_name"] = _("Enter the full name.")
    if role not in {r.value for r in Role}:
        fields["role"] = _("Unknown role.")
    if institution_id is not None and db.session.get(Institution, institution_id) is None:
        fields["institution_id"] = _("No such institution.")
    if len(password) < MIN_PASSWORD_LENGTH:
        fields["password"] = _("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH)
    if fields:
        raise Invalid(next(iter(fields.values())), fields)
    user = User(
        email=email,
        full_name=full_name,
        password_hash=hash_password(password),
        role=Role(role),
        institution_id=institution_id,
        locale=locale,
        timezone=timezone,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        message = _("A user with this e-mail already exists.")
        raise Invalid(message, {"email": message}) from None
    audit.record(
        "user.created",
        actor=actor,
        scope_type="site",
        object_type="user",
        object_id=user.id,
        details={"role": str(role)},
    )
    if commit:
        db.session.commit()
    return user


def register(*, email: str, full_name: str, password: str, institution_id: int | None) -> User:
    """Self-registration: everyone starts as a teacher; admins and organisers grant other roles."""
    return create_user(
        email=email, full_name=full_name, password=password, role=Role.TEACHER, institution_id=institution_id
    )


class LoginRefused(Exception):
    """Wrong credentials or too many tries; `message` is safe to show (it never says which
    credential was wrong). `retry_after` is set when the throttle asks the client to wait."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def authenticate(
    email: str, password: str, ip: str, *, now: datetime | None = None, commit: bool = True
) -> User:
    """Check credentials under the login throttle (app/login_throttle.py has the policy).

    The try is counted, and committed, before the password is checked: that is what keeps the
    count exact when many tries arrive at once. A success takes the try back."""
    now = now or utcnow()
    email = normalise_email(email)
    try:
        login_throttle.claim_try(email, ip, current_app.config, now)
    except login_throttle.Throttled as throttled:
        raise LoginRefused(_wait_message(throttled.seconds), retry_after=throttled.seconds) from None
    user = find_user_by_email(email)
    if user is None or not check_password(user.password_hash, password) or not user.active:
        raise LoginRefused(_("Wrong e-mail or password."))
    login_throttle.forgive_try(email, ip)
    if commit:
        db.session.commit()
    return user


def _wait_message(seconds: float) -> str:
    if seconds < 60:
        return _("Too many failed attempts. Try again in %(seconds)d s.", seconds=max(1, math.ceil(seconds)))
    return _("Too many failed attempts. Try again in %(minutes)d min.", minutes=math.ceil(seconds / 60))


def update_profile(
    user: User, *, full_name: str, institution_id: int | None, timezone: str, locale: str
) -> User:
    fields: dict[str, str] = {}
    if not full_name.strip():
        fields["full_name"] = _("Enter the full name.")
    if not is_valid_timezone(timezone):
        fields["timezone"] = _("Unknown time zone.")
    if locale not in current_app.config["LANGUAGES"]:
        fields["locale"] = _("Unknown language.")
    if institution_id is not None and db.session.get(Institution, institution_id) is None:
        fields["institution_id"] = _("No such institution.")
    if fields:
        raise Invalid(next(iter(fields.values())), fields)
    if user.institution_id != institution_id:
        # Jury conflicts of interest are judged by institution: every change is on the record.
        audit.record(
            "user.institution_changed",
            actor=user,
            scope_type="site",
            object_type="user",
            object_id=user.id,
            details={"institution_id": [user.institution_id, institution_id]},
        )
    if user.full_name != full_name.strip():
        bump("names")  # pages kept rendered with people's names (forum posts, library cards)
    user.full_name = full_name.strip()
    user.institution_id = institution_id
    user.timezone = timezone
    user.locale = locale
    db.session.commit()
    return user


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
        db.session.commit()


def admin_update_user(
    user: User, *, role: str, institution_id: int | None, active: bool, actor: User
) -> User:
    """Admins change roles and deactivate (never delete: a user's work and scores must stay)."""
    if role not in {r.value for r in Role}:
        raise Invalid(_("Unknown role."), {"role": _("Unknown role.")})
    if institution_id is not None and db.session.get(Institution, institution_id) is None:
        raise Invalid(_("No such institution."), {"institution_id": _("No such institution.")})
    if user.id == actor.id and (not active or role != Role.ADMIN):
        message = _("You cannot remove your own administrator access.")
        raise Invalid(message, {"role": message})
    changes: dict[str, list[Any]] = {}
    if user.role != role:
        changes["role"] = [str(user.role), role]
        bump("names")  # a visitor's kept results page shows pupils as numbers, adults by name
    if user.active != active:
        changes["active"] = [user.active, active]
    if user.institution_id != institution_id:
        changes["institution_id"] = [user.institution_id, institution_id]
    user.role = Role(role)
    user.institution_id = institution_id
    if user.active and not active:
        sessions.end_all_sessions(user)
    user.active = active
    if not active:
        revoke_tokens(user, utcnow())
    audit.record(
        "user.updated", actor=actor, scope_type="site", object_type="user", object_id=user.id, details=changes
    )
    db.session.commit()
    return user


# --- API tokens ---------------------------------------------------------------------------------


def issue_token(user: User, name: str = "api") -> str:
    """Return the raw token once; only its hash is stored."""
    raw = ApiToken.new_raw()
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(raw), name=name))
    db.session.commit()
    return raw


def user_for_token(raw: str) -> User | None:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.active:
        return None
    return token.user


def revoke_token(raw: str) -> bool:
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    db.session.commit()
    return True


# --- password reset -----------------------------------------------------------------------------


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    """The token carries a fragment of the current hash, so it dies once the password changes."""
    return _reset_serializer().dumps({"id": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def revoke_tokens(user: User, now: datetime) -> int:
    """Revoke every live API token of the user (deactivation, password reset); how many were live."""
    return rows_changed(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
