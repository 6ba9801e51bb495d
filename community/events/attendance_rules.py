"""Pure rules of attendance, feedback and the follow-up of an event: when a check-in is open, whether
a typed code matches, a feedback score, the recording's address and a library material's number.

Nothing here reads the database or the clock: services pass `now` and the event's times in.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from community.rules import RuleError, bounded_text

# Attendees may check in from a quarter of an hour before the start (people join early) to the end.
CHECKIN_OPENS_BEFORE = timedelta(minutes=15)
COMMENT_LIMIT = 2000
URL_LIMIT = 1000
MAX_MATERIALS = 20
SCORES = range(1, 6)
_MATERIAL_PATH = re.compile(r"/library/materials/(\d+)(?:[/?#].*)?$")


def checkin_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    return starts_at - CHECKIN_OPENS_BEFORE, ends_at


def check_window(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """A check-in (by code or by the host's mark) belongs to the event's time: refused before the
    window opens; a self check-in after the end is refused too (the host may still mark later)."""
    opens, closes = checkin_window(starts_at, ends_at)
    if now < opens:
        raise RuleError("checkin_not_open", "code")
    if now > closes:
        raise RuleError("checkin_closed", "code")


def check_marking_time(starts_at: datetime, now: datetime) -> None:
    """The host marks who came from the moment check-in opens; afterwards at any time (a paper list)."""
    if now < starts_at - CHECKIN_OPENS_BEFORE:
        raise RuleError("marking_not_open", "user_ids")


def new_checkin_code() -> str:
    """Six digits an attendee types from the host's screen (a random one per event)."""
    return f"{secrets.randbelow(1_000_000):06d}"


def normalise_code(value: object) -> str:
    """What the attendee typed, forgiving spaces and dashes («482 913», «482-913»)."""
    text = value if isinstance(value, str) else ""
    return re.sub(r"[\s\-]", "", text)


def check_code(expected: str, typed: object) -> None:
    """The typed code against the event's (compared in constant time); an empty one is 'required'."""
    code = normalise_code(typed)
    if not code:
        raise RuleError("required", "code")
    if not expected or not hmac.compare_digest(code.encode(), normalise_code(expected).encode()):
        raise RuleError("wrong_code", "code")


def clean_score(value: object) -> int:
    """A whole number from 1 to 5 (a string from a form is accepted when it is one)."""
    if isinstance(value, bool):
        raise RuleError("score_range", "score")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value not in SCORES:
        raise RuleError("score_range", "score")
    return value


def clean_comment(value: object) -> str:
    return bounded_text(value, field="comment", limit=COMMENT_LIMIT, required=False)


def clean_recording_url(value: object) -> str:
    """The recording's address: http(s) only (a javascript: link must never reach a page); empty
    clears it."""
    url = bounded_text(value, field="recording_url", limit=URL_LIMIT, required=False)
    if url and not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE):
        raise RuleError("not_http", "recording_url")
    return url


def material_id_of(value: object) -> int:
    """A library material by its number or its page's address (…/library/materials/12)."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise RuleError("required", "material")
    if text.isdigit():
        number = int(text)
    else:
        found = _MATERIAL_PATH.search(text)
        if found is None:
            raise RuleError("not_material", "material")
        number = int(found.group(1))
    if not 1 <= number <= 2_147_483_647:
        raise RuleError("not_material", "material")
    return number


def average(scores_total: int, count: int) -> Decimal | None:
    """The mean score to two places (half up), None when nobody answered."""
    if count <= 0:
        return None
    return (Decimal(scores_total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
