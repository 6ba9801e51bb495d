"""Forum pages: the network's forum index and the forums of a place."""

from app.forums import bp  # noqa: F401
