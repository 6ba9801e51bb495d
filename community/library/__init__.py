"""The methodical library (методическая копилка): teachers publish materials, moderators publish or
reject them, colleagues find, discuss and rate them, authors get publication certificates."""
