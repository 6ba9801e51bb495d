"""The accounts' tick job: forget quiet login-throttle keys and end logins past their lifetime."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from app import login_throttle, sessions
from app.extensions import db


def prune_accounts(now: datetime) -> list[str]:
    """Idempotent: a second run in the same minute finds nothing to remove."""
    config = current_app.config
    keys = login_throttle.prune(now, float(config["LOGIN_FORGET_SECONDS"]))
    max_age = max(config["PERMANENT_SESSION_LIFETIME"], config["REMEMBER_COOKIE_DURATION"])
    logins = sessions.prune(now, max_age)
    db.session.commit()
    if not keys and not logins:
        return []
    return [f"forgot {keys} throttle keys, ended {logins} expired logins"]
