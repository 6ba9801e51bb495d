"""Imports each room's demo module so its `@demo_part` registers (accounts come first)."""
