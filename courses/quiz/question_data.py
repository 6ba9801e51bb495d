"""Question bank room, pure core: a question's JSON form (how a question row stores it), written
and read back exactly (fractions like "1/2", decimals as strings)."""

import types
from dataclasses import fields, is_dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from courses.quiz.questions import QUESTION_TYPES, AnyQuestion, Question


class QuestionDataError(ValueError):
    """Stored question data cannot become a question (unknown type, missing or malformed field)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def to_data(question: Question) -> dict[str, Any]:
    """The question as a JSON-safe dict (fractions like ``"1/2"``, decimals as strings), with its type."""
    data = _encode(question)
    assert isinstance(data, dict)
    return data


def _encode(value: Any) -> Any:
    if isinstance(value, (Fraction, Decimal)):
        return str(value)
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if is_dataclass(value):
        data: dict[str, Any] = {}
        kind = getattr(type(value), "type", None)
        if kind is not None:
            data["type"] = kind
        for field in fields(value):
            data[field.name] = _encode(getattr(value, field.name))
        return data
    return value


def from_data(data: dict[str, Any]) -> AnyQuestion:
    """Rebuild a question from `to_data` output; raises QuestionDataError for anything malformed."""
    if not isinstance(data, dict) or data.get("type") not in QUESTION_TYPES:
        raise QuestionDataError("unknown question type")
    try:
        question = _decode(QUESTION_TYPES[data["type"]], data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise QuestionDataError(f"malformed question data: {error}") from error
    return question  # type: ignore[no-any-return]


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _decode(hint: Any, raw: Any) -> Any:
    origin = get_origin(hint)
    if hint is Fraction:
        return Fraction(_expect(raw, str))
    if hint is Decimal:
        try:
            number = Decimal(_expect(raw, str))
        except InvalidOperation as error:
            raise ValueError(f"{raw!r} is not a decimal") from error
        return number
    if hint in (str, bool):
        return _expect(raw, hint)
    if hint is int:
        _require(not isinstance(raw, bool), "expected an integer")
        return _expect(raw, int)
    if origin is Literal:
        _require(raw in get_args(hint), f"{raw!r} is not one of {get_args(hint)}")
        return raw
    if origin is tuple:
        return tuple(_decode(get_args(hint)[0], item) for item in _expect(raw, list))
    if origin in (Union, types.UnionType):
        options = [option for option in get_args(hint) if option is not type(None)]
        if raw is None and len(options) < len(get_args(hint)):
            return None
        if len(options) == 1:
            return _decode(options[0], raw)
        by_type = {option.type: option for option in options}
        return _decode(by_type[_expect(raw, dict)["type"]], raw)
    _require(isinstance(hint, type) and is_dataclass(hint), f"cannot decode {hint!r}")
    hints = _hints(hint)
    raw = _expect(raw, dict)
    return hint(
        **{
            field.name: _decode(hints[field.name], raw[field.name])
            for field in fields(hint)
            if field.name in raw
        }
    )


def _expect(raw: Any, kind: type) -> Any:
    if not isinstance(raw, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(raw).__name__}")
    return raw
