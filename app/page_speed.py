"""Work every page repeated for each string and link of the layout, done once per request or once.

- Translations: Flask-Babel's template `_()` looks the request's locale and catalogue up again for
  every string (half a dozen context lookups each, ~50 strings a page). Each render gets `gettext`
  and `ngettext` bound to the catalogue found once for it; Jinja's `_()` and `{% trans %}` resolve
  those names from the render's context first. Macros imported without context still reach
  Flask-Babel's own (slower, same answer). A render under `force_locale` (a letter in the
  recipient's language) finds that locale's catalogue, as the lookup happens at render time.
- Links: `url_for` builds the same few dozen addresses on every page (the header alone has 17).
  Templates get a `url_for` that keeps what it built, keyed by the endpoint, its values and the
  application root the request came in under; a call with `_external`, `_anchor` and the like, a
  relative endpoint (".page") or values that cannot be a key (lists) goes to Flask's every time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, has_request_context, request, url_for
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

URL_CACHE_SIZE = 20_000


def bound_gettext(translations: Any) -> Callable[..., str]:
    """Jinja's new-style gettext (autoescaped, always %-formatted) over one catalogue."""

    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # always a format string, as Jinja's own

    return gettext


def bound_ngettext(translations: Any) -> Callable[..., str]:
    """Jinja's new-style ngettext over one catalogue (`num` is there for the string)."""

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # always a format string, as Jinja's own

    return ngettext


def translation_context() -> dict[str, Any]:
    """Context processor: this render's catalogue, looked up once."""
    translations = get_translations()
    return {"gettext": bound_gettext(translations), "ngettext": bound_ngettext(translations)}


def kept_url_for() -> Callable[..., str]:
    """A `url_for` for templates that builds each address once (see the module's note)."""
    built: dict[Any, str] = {}

    def template_url_for(endpoint: str, **values: Any) -> str:
        if not has_request_context() or endpoint.startswith(".") or any(k.startswith("_") for k in values):
            return url_for(endpoint, **values)
        try:
            key = (request.script_root, endpoint, tuple(sorted(values.items())))
            return built[key]
        except KeyError:
            pass
        except TypeError:  # a list or another unhashable value: not kept
            return url_for(endpoint, **values)
        address = url_for(endpoint, **values)
        if len(built) >= URL_CACHE_SIZE:
            built.clear()
        built[key] = address
        return address

    return template_url_for


def init_app(app: Flask) -> None:
    app.context_processor(translation_context)
    app.jinja_env.globals["url_for"] = kept_url_for()
