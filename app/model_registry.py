"""Every models module, imported once so SQLAlchemy's metadata (and Alembic) sees all tables."""

from app import accounts, audit, certificates, notifications, uploads  # noqa: F401
