"""Identity, the floor every domain stands on: institutions, users, API tokens, login sessions and
the login throttle."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base, str_enum
from app.i18n import lazy_
from app.timeutil import DEFAULT_TIMEZONE, utcnow


class Role(enum.StrEnum):
    """Site roles. Course and contest roles live with their domains and add to these."""

    ADMIN = "admin"
    ORGANISER = "organiser"
    TEACHER = "teacher"
    STUDENT = "student"
    JUROR = "juror"
    METHODIST = "methodist"  # staff of a district methodical centre: moderates the library
    COORDINATOR = "coordinator"  # a school's deputy head: sees the monitoring of their institutions
    DISTRICT_METHODIST = "district_methodist"  # sees the monitoring of their districts


ROLE_LABELS = {
    Role.ADMIN: lazy_("Administrator"),
    Role.ORGANISER: lazy_("Organiser"),
    Role.TEACHER: lazy_("Teacher"),
    Role.STUDENT: lazy_("Student"),
    Role.JUROR: lazy_("Juror"),
    Role.METHODIST: lazy_("Methodist"),
    Role.COORDINATOR: lazy_("School coordinator"),
    Role.DISTRICT_METHODIST: lazy_("District methodist"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS.get(Role(role), role))


class InstitutionType(enum.StrEnum):
    SCHOOL = "school"
    GYMNASIUM = "gymnasium"
    LYCEUM = "lyceum"
    METHODICAL_CENTRE = "methodical_centre"
    QUALIFICATION_INSTITUTE = "qualification_institute"
    ADDITIONAL_EDUCATION = "additional_education"
    UNIVERSITY = "university"
    OTHER = "other"


class District(Base):
    """A district (or city) of a region: a record an administrator manages. Institutions point at it;
    their `district` and `region` text columns are its name copied by app.districts, which renames
    them all in one statement when the district is renamed."""

    __tablename__ = "district"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    region: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("region", "name"),)


class Institution(Base):
    """A school, methodical centre or institute in the network."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    type: Mapped[InstitutionType] = mapped_column(
        str_enum(InstitutionType), default=InstitutionType.SCHOOL, server_default="school"
    )
    district_id: Mapped[int | None] = mapped_column(
        ForeignKey("district.id", ondelete="RESTRICT"), index=True
    )
    # The district's name and region, copied from district_id (app.districts keeps them equal).
    district: Mapped[str] = mapped_column(String(255), default="", index=True)
    region: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="institution", lazy="raise_on_sql")

    __table_args__ = (Index("ix_institution_district_name", "district", "name"),)

    def __repr__(self) -> str:
        return f"<Institution {self.id} {self.name!r}>"


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.TEACHER, index=True)
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    locale: Mapped[str] = mapped_column(String(8), default="ru")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by an administrator: this author's library materials are published without waiting.
    trusted_author: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Set by an administrator: this teacher may put events in the network's calendar.
    hosts_events: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Part of every session's id: raising it (password change, reset, deactivation) ends them all.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution | None] = relationship(back_populates="members", lazy="joined")

    # The login this object was loaded for (set by app.sessions); not a column.
    login_key: str = ""

    def get_id(self) -> str:
        """Flask-Login's id, kept in the session and the remember cookie: user, version, login key."""
        return f"{self.id}:{self.session_version}:{self.login_key}"

    def __eq__(self, other: object) -> bool:  # one person, whichever login the object came with
        if self.id is None or not isinstance(other, User):
            return other is self
        return other.id == self.id

    def __hash__(self) -> int:
        return object.__hash__(self)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses deactivated users with this.
        return self.active

    @property
    def site_role(self) -> Role:
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class InstitutionScope(Base):
    """An institution a school coordinator sees the monitoring of."""

    __tablename__ = "institution_scope"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DistrictScope(Base):
    """A district a district methodist sees the monitoring of."""

    __tablename__ = "district_scope"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(
        ForeignKey("district.id", ondelete="CASCADE"), primary_key=True, index=True
    )


def hash_token(raw: str) -> str:
    """Tokens are stored as SHA-256: a database leak does not leak usable tokens."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(Base):
    """A revocable bearer token for the JSON API."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)


class LoginSession(Base):
    """One signed-in browser. Logging out deletes the row, so a copy of that cookie is dead; the
    key is stored hashed, like API tokens."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LoginThrottle(Base):
    """Counted login tries for one key (an address, an account, or both): the policy lives in
    app.login_throttle. Kept in the database so the count holds across workers."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_try_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    next_try_at: Mapped[datetime | None] = mapped_column(default=None)
