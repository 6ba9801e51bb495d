"""Forum pages: a person's subscriptions and one-click unsubscribe."""

from app.forums import bp  # noqa: F401
