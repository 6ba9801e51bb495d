"""Imports each room's demo module so its `@demo_part` registers (accounts come first)."""

from contest_engine import demo as contests_demo  # noqa: E402,F401
from contest_engine.jury import demo as jury_demo  # noqa: E402,F401
from courses import demo as courses_demo  # noqa: E402,F401
