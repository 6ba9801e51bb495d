"""Signing in and out: the HTML login opens a session, the API login issues a token; both pass the
same throttled credential check (`account_services.authenticate`)."""

from __future__ import annotations

from datetime import datetime

from app import sessions
from app.account_services import authenticate, issue_token
from app.accounts import User
from app.extensions import db


def log_in(email: str, password: str, address: str, *, now: datetime) -> User:
    """Check the credentials and open a session; the view hands the user to Flask-Login."""
    user = authenticate(email, password, address, now=now, commit=False)
    sessions.open_session(user, now)
    db.session.commit()
    return user


def log_in_for_token(email: str, password: str, address: str, *, now: datetime) -> str:
    """Check the credentials and issue an API token (returned once, stored hashed)."""
    user = authenticate(email, password, address, now=now, commit=False)
    return issue_token(user)


def log_out(user: User) -> None:
    """End this browser's session only; a copy of its cookies no longer signs anyone in."""
    sessions.close_session(user)
    db.session.commit()


def start_session(user: User, *, now: datetime) -> None:
    """Open a session for a user who has just proved themselves another way (registration)."""
    sessions.open_session(user, now)
    db.session.commit()
