"""Benchmark scenarios, one module per room; the runner discovers them (see bench/scenario.py)."""
