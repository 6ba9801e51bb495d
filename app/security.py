"""Passwords, the client's address, local redirect targets and the security headers every response carries.

The login throttle itself is app.login_throttle; sessions are app.sessions."""

from __future__ import annotations

from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix


def is_local_path(target: str) -> bool:
    r"""A redirect target on this site: a path, never another host.

    Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example/` and
    `/\evil.example` mean `//evil.example/`; any control character, backslash or second leading
    slash is refused (a CR/LF would also break the Location header)."""
    if not target.startswith("/") or "\\" in target:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    parts = urlsplit(target)
    return not target.startswith("//") and not parts.scheme and not parts.netloc


def client_address() -> str:
    """The client's IP address: `remote_addr`, which ProxyFix has already taken from
    X-Forwarded-For as deep as TRUSTED_PROXIES says (0: the header is ignored)."""
    return (request.remote_addr or "unknown")[:64]


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


def trust_proxies(app: Flask) -> None:
    """Behind nginx (TRUSTED_PROXIES = 1) the client is the last X-Forwarded-For hop; with 0 the
    header is anyone's to forge and is not read."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    trust_proxies(app)
    app.after_request(add_security_headers)
