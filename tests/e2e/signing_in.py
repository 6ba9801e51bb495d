"""Signing in through the login form, as every browser test's people do (one copy for them all)."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import DEFAULT_PASSWORD


def log_in(page: Any, email: str) -> None:
    """Sign `email` in with the tests' password, leaving whoever was signed in before."""
    page.context.clear_cookies()
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))
