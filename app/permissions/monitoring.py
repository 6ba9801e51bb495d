"""Who sees which monitoring reports.

The administrator sees the whole network; a district methodist the districts in their scope and every
institution in them; a school coordinator the institutions in their scope. Nobody else (teachers,
pupils, methodists without a scope) sees monitoring: reports are counts about schools, and a school's
picture is for those accountable for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.accounts import DistrictScope, Institution, InstitutionScope, Role
from app.extensions import db
from app.permissions import has_role, is_admin


@dataclass(frozen=True)
class MonitoringScope:
    """What one person may see: everything, or these districts and institutions (those of the
    districts included)."""

    everything: bool = False
    district_ids: frozenset[int] = field(default_factory=frozenset)
    institution_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.district_ids and not self.institution_ids


def monitoring_scope(user: Any) -> MonitoringScope:
    """Two small queries at most, whatever the network's size."""
    if is_admin(user):
        return MonitoringScope(everything=True)
    if has_role(user, Role.DISTRICT_METHODIST):
        districts = frozenset(
            db.session.scalars(select(DistrictScope.district_id).where(DistrictScope.user_id == user.id))
        )
        institutions = frozenset(
            db.session.scalars(select(Institution.id).where(Institution.district_id.in_(districts)))
            if districts
            else ()
        )
        return MonitoringScope(district_ids=districts, institution_ids=institutions)
    if has_role(user, Role.COORDINATOR):
        institutions = frozenset(
            db.session.scalars(
                select(InstitutionScope.institution_id).where(InstitutionScope.user_id == user.id)
            )
        )
        return MonitoringScope(institution_ids=institutions)
    return MonitoringScope()


def can_view_monitoring(user: Any) -> bool:
    return is_admin(user) or has_role(user, Role.DISTRICT_METHODIST, Role.COORDINATOR)


def can_view_district(scope: MonitoringScope, district_id: int) -> bool:
    return scope.everything or district_id in scope.district_ids


def can_view_institution(scope: MonitoringScope, institution_id: int) -> bool:
    return scope.everything or institution_id in scope.institution_ids


def can_recompute(user: Any) -> bool:
    return is_admin(user)


def can_manage_districts(user: Any) -> bool:
    return is_admin(user)
