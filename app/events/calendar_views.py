"""(being written: see app/events/__init__.py)"""

from app.events import bp  # noqa: F401
