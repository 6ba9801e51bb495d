"""Pure rules of methodical associations: what a valid association looks like and who may hold which
place in one. Plain values in, a `RuleError` (code + field) out; community/library/messages.py words it."""

from __future__ import annotations

from community.rules import RuleError

NAME_LIMIT = 255
DISTRICT_LIMIT = 255
DESCRIPTION_LIMIT = 5000
JOIN_POLICIES = ("open", "request")
ROLES = ("leader", "member")


def check_association(name: str, description: str, district: str, join_policy: str) -> None:
    """An association needs a name; its texts fit their columns; the join policy is a known one."""
    if not name.strip():
        raise RuleError("required", "name")
    if len(name) > NAME_LIMIT:
        raise RuleError("too_long", "name", limit=NAME_LIMIT)
    if len(description) > DESCRIPTION_LIMIT:
        raise RuleError("too_long", "description", limit=DESCRIPTION_LIMIT)
    if len(district) > DISTRICT_LIMIT:
        raise RuleError("too_long", "district", limit=DISTRICT_LIMIT)
    if join_policy not in JOIN_POLICIES:
        raise RuleError("association_unknown_policy", "join_policy")


def check_member_role(role: str) -> None:
    if role not in ROLES:
        raise RuleError("association_unknown_role", "role")


def check_may_belong(user_role: str, active: bool) -> None:
    """Associations are teachers' circles: pupils and deactivated accounts never belong to one."""
    if not active:
        raise RuleError("association_inactive_user", "user_id")
    if user_role == "student":
        raise RuleError("association_pupil", "user_id")


def check_leaving(role: str, leaders_left: int) -> None:
    """The last leader cannot leave: the association's shelf would have no moderator of its own.
    `leaders_left` counts the active leaders other than the one leaving."""
    if role == "leader" and leaders_left < 1:
        raise RuleError("association_last_leader", "user_id")
