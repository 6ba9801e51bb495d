"""Jury work on contest stages: criteria, jurors, conflicts, allocation, scores, appeals, demo lessons."""
