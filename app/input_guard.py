"""One guard for every request's input, so that bad input is a 4xx before any view or database
sees it: ids that fit the database's integer, no NUL characters (PostgreSQL refuses them in text
with a server error), JSON of sane depth with finite numbers.

`init_app` runs in create_app before the blueprints register: Werkzeug binds a rule's converters
when the rule is added, so the bounded `int` converter must be in place by then.
"""

from __future__ import annotations

import codecs
import json
import math
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

from flask import Flask, Request, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, Map
from wtforms.fields import FileField

from app.errors import InputError
from app.i18n import _

T = TypeVar("T")

MAX_INT = 2**31 - 1  # PostgreSQL's `integer`: every id and count column the app has
MIN_INT = -(2**31)
MAX_JSON_DEPTH = 32
NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` matching only 0…2³¹−1: a larger id is simply not found, never a database overflow.

    The range is in the regex too: Werkzeug converts a value only after choosing a rule by path and
    method, so with two rules on one path (PUT and DELETE) a failed conversion answered 405."""

    regex = (
        r"0*(?:\d{1,9}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}|21474[0-7]\d{4}"
        r"|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])"
    )

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002 - Werkzeug's names
        max: int | None = MAX_INT,
        signed: bool = False,
    ) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def bounded_int(value: Any) -> int:
    """int() for request parameters: a number outside the database's integer is as bad as "abc"."""
    number = int(value)
    if not MIN_INT <= number <= MAX_INT:
        raise ValueError(f"{number} is out of range")
    return number


def _bounded(type_: Callable[[Any], T] | None) -> Callable[[Any], T] | None:
    return bounded_int if type_ is int else type_  # type: ignore[return-value]


class BoundedParameters(ImmutableMultiDict[str, str]):
    """Query and form parameters whose `get(…, type=int)` treats an out-of-range number like a
    non-number (the default comes back), so `?division=99999999999` cannot reach a query."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002 - MultiDict's API
        return super().get(key, default, _bounded(type))

    def getlist(self, key: Any, type: Any = None) -> Any:  # noqa: A002
        return super().getlist(key, _bounded(type))


class GuardedRequest(Request):
    parameter_storage_class = BoundedParameters

    def checked_json(self) -> Any:
        """The body read by `load_json` (an empty body as `{}`), parsed once per request: the guard
        refuses a bad body before any view runs and the API's body parser reuses the result."""
        if not hasattr(self, "_checked_json"):
            self._checked_json = load_json(self.get_data(cache=True) or b"{}")
        return self._checked_json


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = GuardedRequest
    app.before_request(check_request)
    FlaskForm.Meta.wrap_formdata = _files_only_for_file_fields


_WRAP_FORMDATA = FlaskForm.Meta.wrap_formdata


def _files_only_for_file_fields(meta: Any, form: Any, formdata: Any) -> Any:
    """Flask-WTF's form data, less the uploaded files named after a form's text fields: a file sent
    as `title` reached the Length validator as a FileStorage (a server error on every form)."""
    data = _WRAP_FORMDATA(meta, form, formdata)
    if not isinstance(data, CombinedMultiDict):
        return data
    text_fields = {field.name for field in form._fields.values() if not isinstance(field, FileField)}
    files = MultiDict(
        [(name, file) for name, file in request.files.items(multi=True) if name not in text_fields]
    )
    return CombinedMultiDict((files, request.form))


def check_request() -> None:
    """Refuse NUL characters in the path, the query, form fields, file names and text bodies, and
    unusable JSON; raises InputError (the error page or the API's error shape)."""
    if NUL in request.path:
        raise InputError(400, _("The address contains a NUL character."))
    bad = [name for name, value in _pairs(request.args) if NUL in name or NUL in value]
    if bad:
        raise InputError(400, nul_message(), {name.replace(NUL, ""): nul_field_message() for name in bad})
    if request.mimetype == FORM_TYPES[0]:
        # Keep the raw body as well: a client posting a file under curl's default type (a CSV to
        # an import endpoint) still finds it in get_data() after the form is parsed from the cache.
        request.get_data(cache=True)
    if request.mimetype in FORM_TYPES:
        pairs = list(_pairs(request.form))
        pairs += [(name or "", file.filename or "") for name, file in request.files.items(multi=True)]
        bad = [name for name, value in pairs if NUL in name or NUL in value]
        if bad:
            raise InputError(422, nul_message(), {name.replace(NUL, ""): nul_field_message() for name in bad})
    elif request.is_json and request.get_data(cache=True).strip():
        request_json()
    elif request.mimetype.startswith("text/") and _body_has_nul(request.get_data(cache=True)):
        raise InputError(422, nul_message(), {"body": nul_field_message()})


def utf16_codec(data: bytes, charset: str | None) -> str | None:
    """The codec a UTF-16 text body reads with: "utf-16" when it starts with a UTF-16 BOM (the BOM
    decides, as in app.tabular), "utf-16-le" or "utf-16-be" when only the charset declares it; None
    for any other body. Every ASCII character of UTF-16 text has a zero byte, so these bodies are
    checked for NUL characters after decoding, not byte by byte. A bare `utf-16` without a BOM is
    read little-endian, the order of Windows' and Excel's "Unicode text"."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        return "utf-16"
    try:
        name = codecs.lookup(charset or "").name
    except LookupError:
        return None
    return {"utf-16": "utf-16-le", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}.get(name)


def _body_has_nul(data: bytes) -> bool:
    """A NUL character in a text body: a zero byte, or in UTF-16 a decoded U+0000. Undecodable
    UTF-16 passes here and is refused by its reader (app.tabular's encoding error)."""
    codec = utf16_codec(data, request.mimetype_params.get("charset"))
    if codec is None:
        return b"\x00" in data
    return NUL in data.decode(codec, errors="replace")


def request_json() -> Any:
    """The current request's body as `GuardedRequest.checked_json` parsed it (once)."""
    return cast(GuardedRequest, request).checked_json()


def _pairs(values: Any) -> Iterator[tuple[str, str]]:
    for name, value in values.items(multi=True):
        yield name or "", value if isinstance(value, str) else ""


def load_json(raw: bytes) -> Any:
    """Parse a JSON body, refusing what no endpoint can use: invalid or non-UTF-8 text, NaN and
    infinities, nesting deeper than MAX_JSON_DEPTH (a 100,000-deep list would otherwise end in
    RecursionError), NUL characters and integers outside the database's range."""
    try:
        data = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise InputError(
            422, _("The JSON is nested too deeply (at most %(n)s levels).", n=MAX_JSON_DEPTH)
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise InputError(422, _("The body is not valid JSON.")) from None
    problems = json_problems(data)
    if problems:
        raise InputError(422, _("The data is invalid."), problems)
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def json_problems(data: Any) -> dict[str, str]:
    """{"field.path": message} for every NUL, out-of-range integer or too-deep level in `data`
    (walked without recursion, paths written as pydantic writes them: `stages.0.title`)."""
    problems: dict[str, str] = {}
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        name = path or "body"
        if isinstance(value, dict | list) and depth > MAX_JSON_DEPTH:
            problems.setdefault(name, _("Nested too deeply (at most %(n)s levels).", n=MAX_JSON_DEPTH))
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    problems.setdefault(child.replace(NUL, ""), nul_field_message())
                else:
                    stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{path}.{index}" if path else str(index), depth + 1)
                for index, item in enumerate(value)
            )
        elif isinstance(value, str) and NUL in value:
            problems.setdefault(name, nul_field_message())
        elif isinstance(value, int) and not isinstance(value, bool) and not MIN_INT <= value <= MAX_INT:
            problems.setdefault(name, _("Must be between %(lo)s and %(hi)s.", lo=MIN_INT, hi=MAX_INT))
    return problems


def nul_message() -> str:
    return _("The text contains a NUL character, which is not allowed: remove it and send it again.")


def nul_field_message() -> str:
    return _("Must not contain a NUL character.")
