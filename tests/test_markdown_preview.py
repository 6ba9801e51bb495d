"""The Markdown editor's preview endpoint (app/markdown_preview.py) and the editor's data on pages:
signed-in people only, CSRF-checked, a size limit with a message, a per-person rate bound, and the
same sanitised HTML as the saved text."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.markdown import render_markdown
from app.markdown_preview import EXTENSION_KEY, MAX_CHARS
from app.numbers import number
from tests.conftest import login
from tests.factories.accounts import student, teacher

URL = "/markdown/preview"


@pytest.fixture(autouse=True)
def _fresh_window(app: Flask) -> Any:
    """Each test starts with no previews counted (the window lives on the session-wide app)."""
    app.extensions.pop(EXTENSION_KEY, None)
    yield
    app.extensions.pop(EXTENSION_KEY, None)


def _signed_in(client: FlaskClient, maker: Any = teacher) -> Any:
    user = maker()
    db.session.commit()
    login(client, user)
    return user


def test_a_signed_in_teacher_gets_the_same_html_as_the_saved_text(client: FlaskClient) -> None:
    _signed_in(client)
    text = "## План\n\n**Важно:** прочитать _до_ урока.\n\n- раз\n- два\n\n> цитата"
    response = client.post(URL, data={"text": text})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert html == str(render_markdown(text))
    assert "<h2>План</h2>" in html and "<strong>Важно:</strong>" in html and "<em>до</em>" in html
    assert "<li>раз</li>" in html and "<blockquote>" in html


def test_pupils_may_preview_too_and_an_empty_text_is_empty_html(client: FlaskClient) -> None:
    _signed_in(client, student)  # pupils write forum posts and answers in Markdown as well
    response = client.post(URL, data={"text": ""})
    assert response.status_code == 200 and response.get_json() == {"html": ""}


def test_script_and_handlers_come_out_inert(client: FlaskClient) -> None:
    _signed_in(client)
    text = (
        "Привет<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        '[ссылка](javascript:alert(1)) <a href="https://example.org" onclick="steal()">сайт</a>'
    )
    html = client.post(URL, data={"text": text}).get_json()["html"]
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener"' in html


def test_anonymous_gets_401_in_json_not_a_login_page(client: FlaskClient) -> None:
    response = client.post(URL, data={"text": "**нет**"})
    assert response.status_code == 401
    error = response.get_json()["error"]
    assert error["code"] == "unauthorized" and error["message"] == "Войдите снова, чтобы увидеть просмотр."


def test_only_post(client: FlaskClient) -> None:
    _signed_in(client)
    assert client.get(URL).status_code == 405


def test_without_the_csrf_token_400_with_a_message(app: Flask, client: FlaskClient, monkeypatch: Any) -> None:
    _signed_in(client)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(URL, data={"text": "**жирный**"})
    assert response.status_code == 400
    expired = "Страница устарела: обновите её, чтобы увидеть просмотр."
    assert response.get_json()["error"]["message"] == expired
    bad = client.post(URL, data={"text": "**жирный**"}, headers={"X-CSRFToken": "forged"})
    assert bad.status_code == 400


def test_with_the_pages_token_in_the_header_it_works(
    app: Flask, client: FlaskClient, monkeypatch: Any
) -> None:
    _signed_in(client)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    config = _editor_config(client.get("/dashboard").get_data(as_text=True))
    response = client.post(URL, data={"text": "**жирный**"}, headers={"X-CSRFToken": config["csrf"]})
    assert response.status_code == 200
    assert "<strong>жирный</strong>" in response.get_json()["html"]


def test_a_text_over_the_limit_is_413_with_a_message_by_the_field(client: FlaskClient) -> None:
    _signed_in(client)
    assert client.post(URL, data={"text": "а" * MAX_CHARS}).status_code == 200
    response = client.post(URL, data={"text": "а" * (MAX_CHARS + 1)})
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large"
    limit, length = number(MAX_CHARS), number(MAX_CHARS + 1)  # «200 000» with the locale's space
    expected = f"Текст слишком длинный для просмотра: не больше {limit} знаков, а в нём {length}."
    assert error["message"] == expected
    assert error["fields"] == {"text": error["message"]}


def test_previews_are_bounded_per_person_and_minute(
    app: Flask, client: FlaskClient, monkeypatch: Any
) -> None:
    _signed_in(client)
    monkeypatch.setitem(app.config, "MARKDOWN_PREVIEW_PER_MINUTE", 3)
    assert [client.post(URL, data={"text": "раз"}).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.post(URL, data={"text": "раз"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert refused.get_json()["error"]["message"].startswith("Слишком много просмотров за минуту")
    other = app.test_client()
    _signed_in(other)
    assert other.post(URL, data={"text": "два"}).status_code == 200  # another person is not held back


def test_every_page_carries_the_editors_words_in_russian(client: FlaskClient) -> None:
    _signed_in(client)
    page = client.get("/dashboard").get_data(as_text=True)
    config = _editor_config(page)
    assert config["preview"] == URL
    assert config["toolbar"].endswith("/static/vendor/markdown-toolbar-element/markdown-toolbar-element.js")
    words = config["words"]
    assert words["label_bold"] == "Ж" and words["label_italic"] == "К"
    assert words["bold"] == "Полужирный (Ctrl+B)" and words["preview"] == "Просмотр"
    assert '<script src="/static/js/markdown_editor.js" type="module" id="markdown-editor"' in page
    assert 'href="/static/css/markdown_editor.css"' in page


def test_anonymous_pages_have_the_editor_without_a_preview_or_token(client: FlaskClient) -> None:
    config = _editor_config(client.get("/auth/login").get_data(as_text=True))
    assert config["preview"] is None and config["csrf"] is None


def test_the_vendored_files_are_served_by_the_app(client: FlaskClient) -> None:
    for path in (
        "/static/vendor/markdown-toolbar-element/markdown-toolbar-element.js",
        "/static/vendor/markdown-toolbar-element/LICENSE",
        "/static/js/markdown_editor.js",
        "/static/css/markdown_editor.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()
    script = client.get("/static/js/markdown_editor.js").get_data(as_text=True)
    assert "http://" not in script and "https://" not in script  # nothing fetched from elsewhere


def _editor_config(page: str) -> dict[str, Any]:
    found = re.search(r'id="markdown-editor"\s+data-config=\'([^\']*)\'', page)
    assert found, "the editor's data is missing from the page"
    return dict(json.loads(unescape(found.group(1))))
