"""The shared floor: the declarative base, column types and the Flask extensions every room uses."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, cast

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, DateTime, Enum, Executable, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database.

    SQLite forgets the offset, PostgreSQL keeps it: we store naive UTC and hand back aware UTC,
    so comparisons with `utcnow()` never mix naive and aware values.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def str_enum(enum_class: type[enum.Enum]) -> Enum:
    """A string column limited to an enum's values by a CHECK constraint, on every database."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=enum_class.__name__.lower(),
    )


class Base(DeclarativeBase):
    """Every model's base: naming convention for constraints (stable migrations) and aware datetimes."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def added(row: Any) -> bool:
    """Add `row` in a savepoint and flush it; False when a constraint refuses it (a twin request
    inserted the same unique row first), with the rest of the transaction kept. The one insert-once
    check that two requests at once rely on."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True


def rows_changed(statement: Executable) -> int:
    """Run an UPDATE, DELETE or INSERT in the session and return how many rows it changed: the
    check of a conditional update (two requests at once) and of a prune. Typed, as
    `Session.execute` returns a `Result`, which declares no `rowcount`."""
    result = cast(CursorResult[Any], db.session.execute(statement))
    return int(result.rowcount or 0)
