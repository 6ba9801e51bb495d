"""(being written: see app/monitoring/__init__.py)"""

from app.monitoring import bp  # noqa: F401
