"""Pure rules of the publication certificate: its serial number and the reason of a revocation.

The serial is derived, not stored as a counter: «МБ-<year of publication>-<material id, six digits>»
is unique because the material id is, readable on paper, and the same every time it is printed.
"""

from __future__ import annotations

from community.rules import RuleError

SERIAL_PREFIX = "МБ"  # «методическая библиотека»
REASON_LIMIT = 1000


def serial_number(year: int, material_id: int) -> str:
    """«МБ-2026-000123»: the year the material was published (in the site's zone) and its id."""
    if material_id < 1:
        raise ValueError("a serial needs a saved material")
    return f"{SERIAL_PREFIX}-{year:04d}-{material_id:06d}"


def clean_reason(reason: str | None) -> str:
    """A revocation is explained to the author and on the public check page: a reason is required."""
    text = (reason or "").strip()
    if not text:
        raise RuleError("required", "reason")
    if len(text) > REASON_LIMIT:
        raise RuleError("too_long", "reason", limit=REASON_LIMIT)
    return text
