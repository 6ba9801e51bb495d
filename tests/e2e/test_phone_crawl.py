"""Every demo role on a 390×844 phone walks the pages its header and dashboard lead to: none scrolls
sideways, none answers with an error, and none shows a word of the English interface (a msgid whose
Russian translation is missing or was never asked for)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from app.demo import DEMO_PASSWORD, load_demo
from app.extensions import db
from tests.e2e.phone_crawl import english_words, followed, shape

ROLES = ["student", "teacher", "methodist", "organiser", "juror", "coordinator", "district", "admin"]
PAGES_PER_ROLE = 40
# Latin words that are names, not interface words: a language named in its own tongue.
ALLOWED = frozenset({"english"})
_LINKS = """() => Array.from(document.querySelectorAll('nav a[href], main a[href]'), a => a.href)"""
_PROBLEMS = """() => {
  const named = e => e.tagName.toLowerCase() + ' «' + (e.innerText || e.name || e.className || '')
    .trim().slice(0, 30) + '»';
  const box = e => e.getBoundingClientRect();
  const all = selector => Array.from(document.querySelectorAll(selector)).filter(e => box(e).width > 0);
  const wide = all('main *').filter(e => box(e).right > window.innerWidth + 1);
  const spilt = all('main .card .btn, main .card a, main .card input').filter(e =>
    !e.closest('.table-responsive, .overflow-auto') && box(e).right > box(e.closest('.card')).right + 1);
  const small = all('main .btn, main .page-link, main .form-control, main .form-select').filter(e =>
    box(e).height > 0 && box(e).height < 39.5);
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
          wide: wide.slice(0, 3).map(named), spilt: spilt.slice(0, 3).map(named),
          small: small.slice(0, 3).map(e => named(e) + ' ' + Math.round(box(e).height) + ' px'),
          text: document.body.innerText};
}"""


def _serve_static_from_memory(context: Any) -> None:
    """Stylesheets and scripts fetched once, then answered from memory: every page would otherwise ask
    the server for its eight files again (304s), doubling the crawl's time on a busy machine."""
    kept: dict[str, Any] = {}

    def answer(route: Any) -> None:
        url = route.request.url
        if url not in kept:
            kept[url] = route.fetch()
        route.fulfill(response=kept[url])

    context.route("**/static/**", answer)


def _sign_in(page: Any, role: str) -> None:
    page.context.clear_cookies()
    page.goto("/auth/login")
    page.get_by_label("Электронная почта").fill(f"{role}@vmeste.local")
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").last.click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def _crawl(page: Any, origin: str, role: str, checked: set[str]) -> list[str]:
    """Load the dashboard, then the pages its links lead to (breadth first, each shape once). The
    header's and the dashboard's own links are loaded for every role; a deeper page only when no
    earlier role has loaded a page of its shape (`checked`), which keeps the crawl near a minute."""
    problems: list[str] = []
    queue = [("/dashboard", "/auth/login")]
    seen_shapes = {shape("/dashboard")}
    loaded = 0
    while queue and loaded < PAGES_PER_ROLE:
        path, came_from = queue.pop(0)
        if came_from != "/dashboard" and path != "/dashboard" and shape(path) in checked:
            continue
        checked.add(shape(path))
        response = page.goto(path, wait_until="domcontentloaded")
        loaded += 1
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        for problem in _check(page, response.status):
            problems.append(f"{role} {path} (linked from {came_from}): {problem}")
        for href in page.evaluate(_LINKS):
            target = followed(href, origin)
            if target and shape(target) not in seen_shapes:
                seen_shapes.add(shape(target))
                queue.append((target, path))
    print(f"{role}: {loaded} pages")
    return problems


def _check(page: Any, status: int) -> list[str]:
    found: list[str] = []
    if status >= 400:
        found.append(f"status: {status}")
    facts = page.evaluate(_PROBLEMS)
    if facts["scroll"] > facts["inner"]:
        found.append(f"sideways: {facts['scroll']} px ({', '.join(facts['wide'])})")
    if facts["spilt"]:
        found.append(f"out of its card: {', '.join(facts['spilt'])}")
    if facts["small"]:
        found.append(f"tap target under 40 px: {', '.join(facts['small'])}")
    words = english_words(facts["text"], ALLOWED)
    if words:
        found.append(f"english: {'; '.join(words)}")
    return found


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("http://h:1/courses/3?page=2", "/courses/3?page=2"),
        ("http://h:1/auth/logout", None),
        ("http://h:1/static/css/app.css", None),
        ("http://h:1/events/term-plan.pdf", None),
        ("http://h:1/contests/4/results/export", None),
        ("http://other:1/courses/3", None),
        ("mailto:a@b.ru", None),
    ],
)
def test_the_crawl_follows_same_origin_pages_only(href: str, expected: str | None) -> None:
    assert followed(href, "http://h:1") == expected


def test_pages_differing_by_an_id_are_one_shape() -> None:
    assert shape("/courses/12?page=2") == shape("/courses/7") == "/courses/N"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Изменить Удалить Add to this module: + Страница", ["add", "module"]),
        ("Часовой пояс Europe/Moscow", ["moscow"]),
        ("Экспорт в Excel и PDF, импорт GIFT", []),  # Latin words the translations use themselves
        ("Презентация «My Family» для начальной школы", []),  # a title in quotes
        ("Пишите на teacher@vmeste.local или https://vmeste.example/library/my", []),
        ("Роль: учитель", []),
        ("Код M8WU72AM6PER", []),  # a code, not the word «per»
    ],
)
def test_english_interface_words_are_flagged(text: str, flagged: list[str]) -> None:
    found = [word.split(" ", 1)[0].lower() for word in english_words(text)]
    assert [word for word in found if word in flagged] == flagged
    assert set(found) <= set(flagged) | {"to", "this"}


@pytest.mark.e2e
def test_every_role_walks_its_pages_on_a_phone(app: Any, _browser: Any, live_server: Any) -> None:
    load_demo()
    db.session.remove()  # hold no SQLite lock the live server needs
    context = _browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )
    context.set_default_timeout(15_000)
    _serve_static_from_memory(context)
    page = context.new_page()
    started = time.monotonic()
    problems: list[str] = []
    checked: set[str] = set()
    try:
        for role in ROLES:
            _sign_in(page, role)
            problems.extend(_crawl(page, live_server.url, role, checked))
    finally:
        context.close()
    print(f"phone crawl: {len(ROLES)} roles in {time.monotonic() - started:.0f} s")
    assert not problems, "\n".join(problems)
