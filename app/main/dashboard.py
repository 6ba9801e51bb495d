"""Dashboard panels: each room adds what matters to the user (courses, contests, jury queue);
create_app registers the providers (app/wiring.py).

A panel provider takes the user and returns a Panel or None; each runs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.accounts import User


@dataclass
class Panel:
    template: str
    order: int = 50
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[[User], Panel | None]
_providers: list[PanelProvider] = []


def panel(provider: PanelProvider) -> PanelProvider:
    """Register a provider; registering it again moves it last (equal orders show in registration order)."""
    if provider in _providers:
        _providers.remove(provider)
    _providers.append(provider)
    return provider


def panels_for(user: User) -> list[Panel]:
    found = [p for p in (provider(user) for provider in _providers) if p is not None]
    return sorted(found, key=lambda p: p.order)
