"""Counting what a task costs a teacher: every full page the browser loads (form posts and their
redirects included), so a key task's browser test can pin how many pages it takes."""

from __future__ import annotations

from typing import Any


class PageLoads:
    """Attach to a Playwright page; `count` grows by one on each main-frame load event."""

    def __init__(self, page: Any) -> None:
        self.count = 0
        self.urls: list[str] = []
        page.on("load", self._loaded)

    def _loaded(self, page: Any) -> None:
        self.count += 1
        self.urls.append(page.url)

    def reset(self) -> None:
        self.count = 0
        self.urls = []
