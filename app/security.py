"""Passwords, the login rate limit, local redirect targets and the security headers every response carries."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, current_app
from sqlalchemy import delete, func, or_, select

from app.accounts import LoginAttempt
from app.extensions import db
from app.timeutil import utcnow


def is_local_path(target: str) -> bool:
    """A redirect target on this site: a path, never another host ("//host/…" or "https://…")."""
    return target.startswith("/") and not target.startswith("//")


def _hasher() -> PasswordHasher:
    """argon2id; the cost comes from config so the test suite can run cheaply."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_KIB"],
        parallelism=1,
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def login_blocked_for(email: str, ip: str) -> int:
    """Minutes until another try is allowed for this e-mail or address; 0 when not blocked."""
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    since = utcnow() - window
    email = email.strip().lower()
    counts = db.session.execute(
        select(
            func.count().filter(LoginAttempt.email == email),
            func.count().filter(LoginAttempt.ip == ip),
            func.min(LoginAttempt.at),
        ).where(LoginAttempt.at >= since, or_(LoginAttempt.email == email, LoginAttempt.ip == ip))
    ).one()
    by_email, by_ip, oldest = counts
    if by_email >= config["LOGIN_MAX_FAILURES"] or by_ip >= config["LOGIN_MAX_FAILURES_PER_IP"]:
        remaining = (oldest + window) - utcnow() if oldest else window
        return max(1, int(remaining.total_seconds() // 60) + 1)
    return 0


def record_failed_login(email: str, ip: str) -> None:
    db.session.add(LoginAttempt(email=email.strip().lower(), ip=ip))
    cutoff = utcnow() - timedelta(days=1)
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    db.session.commit()


def clear_failed_logins(email: str) -> None:
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email.strip().lower()))
    db.session.commit()


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
