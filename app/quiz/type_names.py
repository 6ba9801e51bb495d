"""Quiz pages: question types by the names a teacher knows («Один вариант», «Эссе»…), never the
stored codes (single, truefalse…), for the bank, the picker, the editor and the statistics."""

from __future__ import annotations

from courses.quiz.picking import TYPE_NAMES

# The names live with the picker's rule in the domain (courses.quiz.picking), which the course's
# quiz item form uses too; the quiz pages read the same table.
TYPE_LABELS = TYPE_NAMES


def type_label(kind: str) -> str:
    """A question type's name in the reader's language (the type's code when unknown)."""
    return str(TYPE_LABELS.get(kind, kind))
