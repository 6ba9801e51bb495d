"""Configuration classes. Values come from the environment or instance/config.py, never from code."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from app.timeutil import DEFAULT_TIMEZONE

ROOT = Path(__file__).resolve().parent.parent


def database_url(instance_path: str) -> str:
    """DATABASE_URL when given (postgres:// and postgresql:// both mean psycopg 3), else SQLite."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / 'vmeste.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def translation_directories() -> str:
    """One catalogue folder per room (translations/<room>/ru/...), merged by Flask-Babel."""
    folders = sorted(p for p in (ROOT / "translations").iterdir() if p.is_dir())
    return ";".join(str(p) for p in folders)


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # A ping on every checkout notices a restarted PostgreSQL before a request fails on a dead
    # connection; a SQLite file has no server to lose, so create_app turns it off there.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = DEFAULT_TIMEZONE
    LANGUAGES = {"ru": "Русский", "en": "English"}

    # A round can last longer than an hour: the CSRF token lives as long as the session.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False

    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    UPLOAD_DIR: str | None = None  # default: instance/uploads

    # How many reverse proxies in front of the app may set X-Forwarded-For (ProxyFix): 0 trusts
    # none (the header is ignored); 1 behind the README's nginx.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)

    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_KIB = 19 * 1024
    # The login throttle (app/login_throttle.py): free tries per account+address, per account and
    # per address, then a pause doubling from LOGIN_DELAY_SECONDS up to LOGIN_DELAY_MAX_SECONDS.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 20
    LOGIN_MAX_FAILURES_PER_IP = 50
    LOGIN_DELAY_SECONDS = 2
    LOGIN_DELAY_MAX_SECONDS = 15 * 60
    LOGIN_FORGET_SECONDS = 24 * 3600
    PASSWORD_RESET_MAX_AGE = 2 * 3600

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") in {"1", "true", "yes"}
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "") in {"1", "true", "yes"}
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Вместе <noreply@vmeste.local>")
    MAIL_OUTBOX_DIR: str | None = None  # default: instance/outbox
    # The outbox (app/mail_delivery.py): a failed letter waits MAIL_RETRY_SECONDS, doubling up to
    # MAIL_RETRY_MAX_SECONDS, and is given up after MAIL_MAX_TRIES tries.
    MAIL_MAX_TRIES = 8
    MAIL_RETRY_SECONDS = 60
    MAIL_RETRY_MAX_SECONDS = 6 * 3600

    API_PER_PAGE_MAX = 200

    # The library's moderation queue is flagged (queue page, moderator's dashboard) once a version
    # has waited longer than this many days.
    LIBRARY_QUEUE_DAYS = int(os.environ.get("LIBRARY_QUEUE_DAYS", "3") or 3)

    # A forum post may be corrected by its author for this many minutes after posting (409 after).
    FORUM_EDIT_MINUTES = int(os.environ.get("FORUM_EDIT_MINUTES", "30") or 30)

    # Monitoring's summary tables are recomputed by the clock when older than this many minutes.
    MONITORING_EVERY_MINUTES = int(os.environ.get("MONITORING_EVERY_MINUTES", "60") or 60)

    # Several app nodes share their rate limits through Redis (app/shared_store.py); empty: each
    # worker keeps its own. REDIS_PREFIX keeps one Redis usable by several sites.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "vmeste:")

    # How many built fragments each worker keeps (app/memo.py), least recently used dropped first.
    MEMO_SIZE = int(os.environ.get("MEMO_SIZE", "2048") or 2048)


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    WTF_CSRF_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_KIB = 64
    LOGIN_MAX_FAILURES_PER_IP = 1000
    REDIS_URL = ""  # tests of Redis ask for it themselves (tests/test_shared_store.py)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
