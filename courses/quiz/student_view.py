"""Question bank room, pure core: what a student sees of a question, and how the attempt page's
fields come back as answers in the API's shapes (the one place that knows each type's fields)."""

import random
from collections.abc import Iterable
from typing import Any, Protocol

from courses.quiz.questions import Choice, ChoiceGap, Cloze, Matching, MultipleChoice, Question, SingleChoice


def public_view(question: Question, *, shuffle_seed: int | None) -> dict[str, Any]:
    """What a student may see: text and options, never fractions, answers or feedback.

    Why the seed: an attempt stores one seed so that every reload shows the same order; None keeps
    the author's order. Matching shuffles both columns.
    """
    rng = random.Random(shuffle_seed) if shuffle_seed is not None else None
    view: dict[str, Any] = {"type": question.type, "text": question.text, "text_format": question.text_format}
    if isinstance(question, Matching):
        view["left"] = _shuffled([{"id": item.id, "text": item.text} for item in question.left], rng)
        view["right"] = _shuffled([{"id": item.id, "text": item.text} for item in question.right], rng)
    elif isinstance(question, Cloze):
        view["gaps"] = [
            {
                "number": gap.number,
                "type": gap.type,
                "choices": _choice_view(gap.choices, rng) if isinstance(gap, ChoiceGap) else [],
            }
            for gap in question.gaps
        ]
    elif isinstance(question, (SingleChoice, MultipleChoice)):
        view["choices"] = _choice_view(question.choices, rng)
    else:
        view["choices"] = []
    return view


def _choice_view(choices: tuple[Choice, ...], rng: random.Random | None) -> list[dict[str, Any]]:
    return _shuffled([{"id": choice.id, "text": choice.text} for choice in choices], rng)


def _shuffled(items: list[dict[str, Any]], rng: random.Random | None) -> list[dict[str, Any]]:
    if rng is not None:
        rng.shuffle(items)
    return items


def view_parts(view: dict[str, Any]) -> dict[str, Any]:
    """The type's own parts of a public view — left and right items, gaps, or choices — as the API
    lists them next to the text."""
    if "left" in view:
        return {"left": view["left"], "right": view["right"]}
    if "gaps" in view:
        return {"gaps": view["gaps"]}
    return {"choices": view["choices"]}


class Fields(Protocol):
    """What the page's submitted fields offer (a werkzeug MultiDict does)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def _text(view: dict[str, Any], key: str, fields: Fields) -> Any:
    value = fields.get(key, "")
    return value if value != "" else None


_FIELD_READERS = {
    "multiple": lambda view, key, fields: fields.getlist(key) or None,
    "truefalse": lambda view, key, fields: {"true": True, "false": False}.get(fields.get(key, "")),
    "matching": lambda view, key, fields: {
        str(left["id"]): fields.get(f"{key}-{left['id']}") or None for left in view["left"]
    },
    "cloze": lambda view, key, fields: {
        str(gap["number"]): fields.get(f"{key}-g{gap['number']}") or None for gap in view["gaps"]
    },
}


def answers_from_fields(views: Iterable[tuple[int, dict[str, Any]]], fields: Fields) -> dict[int, Any]:
    """The one-page form's fields as {slot: raw answer} for the slots the page listed in `slots`
    (absent slots are left alone, descriptions take no answer). `views` pairs each slot with its
    `public_view`; a question's fields are named q<slot>, q<slot>-<left id>, q<slot>-g<gap>."""
    present = {int(s) for s in fields.get("slots", "").split(",") if s.strip().isdigit()}
    answers: dict[int, Any] = {}
    for slot, view in views:
        if slot not in present or view["type"] == "description":
            continue
        answers[slot] = _FIELD_READERS.get(view["type"], _text)(view, f"q{slot}", fields)
    return answers
