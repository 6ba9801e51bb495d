"""The login throttle: a growing pause instead of a lock-out (OWASP ASVS 5.0, V6.3).

Policy. Every try is counted under three keys: the account and the client address together
(`pair`), the account alone (`account`), and the address alone (`address`). Each key has a number
of free tries (`LOGIN_MAX_FAILURES`, 5, for the pair; `LOGIN_MAX_FAILURES_PER_ACCOUNT`, 20;
`LOGIN_MAX_FAILURES_PER_IP`, 50). Past them, each further try on that key must wait a pause that
doubles with every try — `LOGIN_DELAY_SECONDS` × 2^(tries − free), capped at
`LOGIN_DELAY_MAX_SECONDS` (15 min) — counted from the last try. A try refused for its pause is not
counted, so the pause never grows while nobody checks a password. A key is forgotten after
`LOGIN_FORGET_SECONDS` without tries. A successful login removes its pair key and takes its own
try back from the account and address keys.

So a guesser on one account gets 5 quick tries from one address, then ever slower ones; the
owner, signing in from another address, only meets the account's pause once the account has had
20 failures from everywhere; and 50 bad logins from one address (random e-mails) slow down that
address only. Nobody is locked out for good: after the pause one try always goes through.

Exactness. A try claims its slot on all three keys in one transaction *before* the password is
checked (a compare-and-set `UPDATE … WHERE tries = :seen`, or an INSERT guarded by the primary
key, retried on a lost race), and the claim is committed at once: forty simultaneous guesses get
exactly the free tries, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts import LoginThrottle
from app.extensions import db, rows_changed

CLAIM_RETRIES = 20


@dataclass(frozen=True)
class KeyState:
    tries: int
    last_try_at: datetime | None
    next_try_at: datetime | None


@dataclass(frozen=True)
class Limits:
    free: int
    base_seconds: float
    max_seconds: float
    forget_seconds: float


def current_tries(state: KeyState, limits: Limits, now: datetime) -> int:
    """Tries that still count: none once the key has been quiet for the forget period."""
    if state.last_try_at is None or now - state.last_try_at >= timedelta(seconds=limits.forget_seconds):
        return 0
    return state.tries


def wait_seconds(state: KeyState, limits: Limits, now: datetime) -> float:
    """How long this key makes the next try wait (0: it may go now)."""
    if current_tries(state, limits, now) < limits.free or state.next_try_at is None:
        return 0.0
    return max(0.0, (state.next_try_at - now).total_seconds())


def pause_after(tries: int, limits: Limits) -> float:
    """The pause a key imposes after its `tries`-th counted try."""
    if tries < limits.free:
        return 0.0
    return min(limits.base_seconds * 2 ** (tries - limits.free), limits.max_seconds)


def limits_from(config: Mapping[str, Any]) -> dict[str, Limits]:
    def make(free_key: str) -> Limits:
        return Limits(
            int(config[free_key]),
            float(config["LOGIN_DELAY_SECONDS"]),
            float(config["LOGIN_DELAY_MAX_SECONDS"]),
            float(config["LOGIN_FORGET_SECONDS"]),
        )

    return {
        "pair": make("LOGIN_MAX_FAILURES"),
        "account": make("LOGIN_MAX_FAILURES_PER_ACCOUNT"),
        "address": make("LOGIN_MAX_FAILURES_PER_IP"),
    }


def throttle_keys(email: str, address: str) -> dict[str, str]:
    return {"pair": f"pair:{address}:{email}", "account": f"account:{email}", "address": f"address:{address}"}


class Throttled(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def claim_try(email: str, address: str, config: Mapping[str, Any], now: datetime) -> None:
    """Count one try on every key and commit, or raise `Throttled` (counting nothing)."""
    limits = limits_from(config)
    keys = throttle_keys(email, address)
    for _ in range(CLAIM_RETRIES):
        if _claim_once(keys, limits, now):
            db.session.commit()
            return
        db.session.rollback()
    raise Throttled(1.0)  # a storm of simultaneous tries on one key: the loser simply waits


def _claim_once(keys: dict[str, str], limits: dict[str, Limits], now: datetime) -> bool:
    rows = {
        row.key: row
        for row in db.session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.key.in_(keys.values()))
            .execution_options(populate_existing=True)
        )
    }
    states = {kind: _state(rows.get(key)) for kind, key in keys.items()}
    wait = max(wait_seconds(states[kind], limits[kind], now) for kind in keys)
    if wait > 0:
        db.session.rollback()
        raise Throttled(wait)
    for kind, key in keys.items():
        seen = rows.get(key)
        tries = current_tries(states[kind], limits[kind], now) + 1
        values = {
            "tries": tries,
            "last_try_at": now,
            "next_try_at": now + timedelta(seconds=pause_after(tries, limits[kind])),
        }
        if seen is None:
            try:
                with db.session.begin_nested():
                    db.session.add(LoginThrottle(key=key, **values))
            except IntegrityError:
                return False
        else:
            won = rows_changed(
                update(LoginThrottle)
                .where(
                    LoginThrottle.key == key,
                    LoginThrottle.tries == seen.tries,
                    LoginThrottle.last_try_at == seen.last_try_at,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if won != 1:
                return False
    return True


def _state(row: LoginThrottle | None) -> KeyState:
    if row is None:
        return KeyState(0, None, None)
    return KeyState(row.tries, row.last_try_at, row.next_try_at)


def forgive_try(email: str, address: str) -> None:
    """After a successful login: this address is the owner's (drop the pair key), and the try
    was not a guess (take it back from the account and address counts). The caller commits."""
    keys = throttle_keys(email, address)
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == keys["pair"]))
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key.in_([keys["account"], keys["address"]]), LoginThrottle.tries > 0)
        .values(tries=LoginThrottle.tries - 1)
        .execution_options(synchronize_session=False)
    )


def forget_account(email: str) -> None:
    """A password reset proves the owner: their account's count starts again. The caller commits."""
    pattern = "pair:%:" + email.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    db.session.execute(
        delete(LoginThrottle)
        .where((LoginThrottle.key == f"account:{email}") | LoginThrottle.key.like(pattern, escape="\\"))
        .execution_options(synchronize_session=False)
    )


def prune(now: datetime, forget_seconds: float) -> int:
    """Drop keys quiet for longer than the forget period (they count nothing any more)."""
    return rows_changed(
        delete(LoginThrottle)
        .where(LoginThrottle.last_try_at < now - timedelta(seconds=forget_seconds))
        .execution_options(synchronize_session=False)
    )
