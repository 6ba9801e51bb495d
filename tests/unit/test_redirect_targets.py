"""`is_local_path`: a `next=` target a browser could read as another host is refused (issue 9 item 12a)."""

from __future__ import annotations

import pytest

from app.security import is_local_path


@pytest.mark.parametrize("target", ["/", "/network", "/courses/5?tab=grades#top", "/a//b", "/%2F%2Fescaped"])
def test_paths_on_this_site_are_local(target: str) -> None:
    assert is_local_path(target)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\t/evil.example/",
        "/\n/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/x\r\nSet-Cookie: a=b",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "",
        "/\x00/evil.example",
        "/\x7f",
        " /network",
    ],
)
def test_anything_a_browser_could_read_as_another_host_is_refused(target: str) -> None:
    assert not is_local_path(target)
