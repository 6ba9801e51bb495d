"""The layout's strings and links, done once per render or once at all, give what Flask-Babel and
Flask's url_for give: Russian by default, the forced locale in a letter, escaped variables,
plural forms, addresses under the application root they were asked under."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template_string, url_for
from flask_babel import force_locale

from app.page_speed import kept_url_for


def _render(app: Flask, source: str, **context: object) -> str:
    with app.test_request_context("/"):
        return render_template_string(source, **context)


def test_strings_are_translated_with_escaped_variables(app: Flask) -> None:
    html = _render(app, '{{ _("Dashboard") }}|{{ _("Hello, %(name)s!", name=who) }}', who="<b>Анна</b>")
    assert html == "Главная|Здравствуйте, &lt;b&gt;Анна&lt;/b&gt;!"


def test_plural_forms_and_a_num_variable(app: Flask) -> None:
    source = '{{ ngettext("%(num)d institution", "%(num)d institutions", n) }}'
    assert [_render(app, source, n=n) for n in (1, 3, 5)] == ["1 учреждение", "3 учреждения", "5 учреждений"]
    explicit = '{{ ngettext("%(num)d institution", "%(num)d institutions", 2, num=7) }}'
    assert _render(app, explicit) == "7 учреждения"


def test_a_render_under_force_locale_uses_that_language(app: Flask) -> None:
    with app.test_request_context("/"), force_locale("en"):
        assert render_template_string('{{ _("Dashboard") }}') == "Dashboard"
    assert _render(app, '{{ _("Dashboard") }}') == "Главная"


def test_kept_addresses_equal_flasks_own(app: Flask) -> None:
    kept = kept_url_for()
    with app.test_request_context("/"):
        cases: tuple[tuple[str, dict[str, Any]], ...] = (
            ("main.dashboard", {}),
            ("static", {"filename": "css/app.css"}),
        )
        for endpoint, values in cases:
            assert kept(endpoint, **values) == url_for(endpoint, **values)
            assert kept(endpoint, **values) == url_for(endpoint, **values)  # the kept copy
        assert kept("main.dashboard", _external=True) == "http://localhost/dashboard"
        assert kept("main.network", page=[1, 2]) == url_for("main.network", page=[1, 2])


def test_kept_addresses_follow_the_application_root(app: Flask) -> None:
    kept = kept_url_for()
    with app.test_request_context("/"):
        assert kept("main.dashboard") == "/dashboard"
    with app.test_request_context("/", base_url="http://localhost/vmeste/"):
        assert kept("main.dashboard") == url_for("main.dashboard") == "/vmeste/dashboard"


def test_templates_use_the_kept_url_for(app: Flask) -> None:
    assert _render(app, "{{ url_for('main.dashboard') }}") == "/dashboard"
    assert app.jinja_env.globals["url_for"] is not app.url_for
