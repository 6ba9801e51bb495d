"""Quiz pages: question types by the names a teacher knows («Один вариант», «Эссе»…), never the
stored codes (single, truefalse…), for the bank, the picker, the editor and the statistics."""

from __future__ import annotations

from app.i18n import lazy_ as _l

TYPE_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple choice"),
    "truefalse": _l("True/false"),
    "shortanswer": _l("Short answer"),
    "numerical": _l("Numerical"),
    "matching": _l("Matching"),
    "essay": _l("Essay"),
    "cloze": _l("Embedded answers (cloze)"),
    "description": _l("Description"),
}


def type_label(kind: str) -> str:
    """A question type's name in the reader's language (the type's code when unknown)."""
    return str(TYPE_LABELS.get(kind, kind))
