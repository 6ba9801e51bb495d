"""Signed-in browsers: how a login starts, is recognised on each request, and ends.

Each login gets a row (`LoginSession`) and a random key. Flask-Login keeps `User.get_id()` —
"user id:session version:key" — in the session cookie and in the remember cookie, and the user
loader checks all three in the one query that loads the user (a join on the session row), so no
request pays an extra query; the same statement brings the header's counters (app/header_facts.py).

- Logout deletes that login's row: a copy of the cookie, or of the remember cookie, taken before
  is dead, while the user's other browsers stay signed in (bumping the version would also have
  ended them — a teacher logging out of a school computer would lose their phone's session).
- A password change or reset and a deactivation raise the user's `session_version`, which ends
  every session of theirs at once; the rows go too.
- A login lasts at most the longer of PERMANENT_SESSION_LIFETIME and REMEMBER_COOKIE_DURATION
  (14 days): the tick job prunes older rows, which ends those sessions.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select

from app import header_facts
from app.accounts import LoginSession, User, hash_token
from app.extensions import db, rows_changed

# Built once: the user, joined with this login's row, and the header's facts (app/header_facts.py),
# so a signed-in page pays one statement before its own.
_LOAD_USER = (
    select(User, *header_facts.columns())
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(User.id == header_facts.USER_ID, LoginSession.key_hash == bindparam("key_hash"))
)


def open_session(user: User, now: datetime) -> None:
    """Start a login for `user` (the object then gives Flask-Login the new id). The caller commits."""
    key = secrets.token_urlsafe(24)
    db.session.add(LoginSession(user_id=user.id, key_hash=hash_token(key), created_at=now))
    user.login_key = key


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user, if this login is still open and their version current."""
    parts = session_id.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or not parts[2]:
        return None  # an id from before session versions, or a forged one
    user_id, version, key = int(parts[0]), int(parts[1]), parts[2]
    row = db.session.execute(_LOAD_USER, {"header_user_id": user_id, "key_hash": hash_token(key)}).first()
    if row is None:
        return None
    user = row[0]
    if not user.active or user.session_version != version:
        return None
    user.login_key = key
    header_facts.keep(user.id, *row[1:])
    return user


def close_session(user: User) -> None:
    """Logout: end this login only. The caller commits."""
    if user.login_key:
        db.session.execute(
            delete(LoginSession).where(
                LoginSession.user_id == user.id, LoginSession.key_hash == hash_token(user.login_key)
            )
        )
        user.login_key = ""


def end_all_sessions(user: User) -> None:
    """End every login of `user` (password change, reset, deactivation). The caller commits; a
    caller that keeps the current browser signed in opens a new session afterwards."""
    user.session_version = (user.session_version or 1) + 1
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.login_key = ""


def prune(now: datetime, max_age: timedelta) -> int:
    """Remove logins older than `max_age`: they end, and the table stays small."""
    return rows_changed(
        delete(LoginSession)
        .where(LoginSession.created_at < now - max_age)
        .execution_options(synchronize_session=False)
    )
