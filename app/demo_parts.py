"""Imports each room's demo module so its `@demo_part` registers (accounts come first)."""

from courses import demo as courses_demo  # noqa: E402,F401
