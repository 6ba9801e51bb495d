"""A question's text and answer controls as markup, built in Python: an attempt page shows twenty of
them and a Jinja macro spent several escapes and calls per choice (the page's slowest part). The
attempt page, its review and the question preview all use it (templates/quiz/_question.html)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from flask_babel import get_locale
from markupsafe import Markup, escape

from app import numbers
from app.i18n import _
from app.quiz import bp
from app.quiz.rendering import cloze_html, text_html


def default_labels() -> dict[str, str]:
    return {"true": _("True"), "false": _("False"), "answer": _("Your answer")}


def controls_html(
    item: Any, answer: Any, disabled: bool = False, labels: dict[str, str] | None = None
) -> Markup:
    """The question's text, then the inputs of its type with `answer` filled in."""
    labels = labels or default_labels()
    kind = item.row.type
    view = item.view
    name = f"q{item.slot}"
    off = " disabled" if disabled else ""
    if kind == "cloze":
        out = [f'<div class="quiz-text">{cloze_html(item, answer, disabled)}</div>']
    else:
        out = [f'<div class="quiz-text">{text_html(view["text"], view["text_format"])}</div>']
    if kind == "single":
        out.extend(_choices(name, "radio", view["choices"], lambda c: answer == c, off))
    elif kind == "multiple":
        chosen = answer or ()
        out.extend(_choices(name, "checkbox", view["choices"], lambda c: c in chosen, off))
    elif kind == "truefalse":
        said = None if answer is None else str(answer).lower()
        for value in ("true", "false"):
            checked = " checked" if said == value else ""
            out.append(
                f'<div class="form-check form-check-inline"><input class="form-check-input" type="radio" '
                f'name="{name}" id="{name}-{value}" value="{value}"{checked}{off}>'
                f'<label class="form-check-label" for="{name}-{value}">{escape(labels[value])}</label></div>'
            )
    elif kind in ("shortanswer", "numerical"):
        decimal = ' inputmode="decimal"' if kind == "numerical" else ""
        value = escape(answer or "")
        out.append(
            f'<input type="text" class="form-control quiz-short" name="{name}" value="{value}" '
            f'aria-label="{escape(labels["answer"])}"{off}{decimal}>'
        )
    elif kind == "essay":
        out.append(
            f'<textarea class="form-control" rows="8" name="{name}" aria-label="{escape(labels["answer"])}"'
            f"{off}>{escape(answer or '')}</textarea>"
        )
    elif kind == "matching":
        out.append(_matching(name, view, answer, off))
    return Markup("".join(out))  # noqa: S704 - every value above is escaped or sanitised Markdown


def _choices(name: str, kind: str, choices: Iterable[dict[str, Any]], chosen: Any, off: str) -> list[str]:
    rows = []
    for choice in choices:
        cid = choice["id"]
        checked = " checked" if chosen(cid) else ""
        rows.append(
            f'<div class="form-check"><input class="form-check-input" type="{kind}" name="{name}" '
            f'id="{name}-{cid}" value="{cid}"{checked}{off}>'
            f'<label class="form-check-label" for="{name}-{cid}">{escape(choice["text"])}</label></div>'
        )
    return rows


def _matching(name: str, view: dict[str, Any], answer: Any, off: str) -> str:
    answers = answer or {}
    rights = [(str(r["id"]), escape(r["text"])) for r in view["right"]]
    rows = ['<table class="table table-sm w-auto">']
    for left in view["left"]:
        chosen = str(answers.get(str(left["id"])))
        options = "".join(
            f'<option value="{rid}"{" selected" if chosen == rid else ""}>{text}</option>'
            for rid, text in rights
        )
        text = escape(left["text"])
        rows.append(
            f'<tr><td>{text}</td><td><select class="form-select form-select-sm" name="{name}-{left["id"]}" '
            f'aria-label="{text}"{off}><option value=""></option>{options}</select></td></tr>'
        )
    rows.append("</table>")
    return "".join(rows)


@bp.app_template_global()
def quiz_controls(
    item: Any, answer: Any, disabled: bool = False, labels: dict[str, str] | None = None
) -> Markup:
    return controls_html(item, answer, disabled, labels)


def attempt_questions(items: list[Any], errors: dict[int, str]) -> Markup:
    """The attempt page's question cards: header (number, mark, flag button) and controls. Each label
    is translated once for the page and filled in per question."""
    labels = default_labels()
    information = escape(_("Information"))
    flag, unflag = escape(_("Flag the question")), escape(_("Remove the flag"))
    question_label = str(escape(_("Question %(n)s", n="%(n)s")))
    mark_label = str(escape(_("Mark: %(mark)s", mark="%(mark)s")))
    locale = str(get_locale() or "ru")
    out = []
    for item in items:
        slot, row = item.slot, item.answer_row
        flagged = bool(row.flagged)
        out.append(
            f'<section class="card mb-3 quiz-question{" is-flagged" if flagged else ""}" id="slot-{slot}" '
            f'data-slot="{slot}"><div class="card-header quiz-question-head">'
        )
        if item.row.type == "description":
            out.append(f"<span>{information}</span>")
        else:
            mark = mark_label % {"mark": _number(row.max_mark, locale)}
            out.append(
                f"<span>{question_label % {'n': slot}}</span>"
                f'<span class="text-muted small">{mark}</span>'
                f'<button type="submit" name="action" value="flag-{slot}" class="btn btn-sm quiz-flag" '
                f'data-flag-slot="{slot}" aria-pressed="{"true" if flagged else "false"}" '
                f'data-label-on="{unflag}" data-label-off="{flag}"><span aria-hidden="true">⚑</span> '
                f"<span data-flag-text>{unflag if flagged else flag}</span></button>"
            )
        out.append(f'</div><div class="card-body">{controls_html(item, row.answer, labels=labels)}')
        if errors.get(slot):
            out.append(f'<div class="invalid-feedback d-block">{escape(errors[slot])}</div>')
        out.append("</div></section>")
    return Markup("".join(out))  # noqa: S704 - built from escaped values and controls_html


@lru_cache(maxsize=1024)
def _number(value: Decimal, locale: str) -> str:
    """A question's mark as the page shows it («1», «2,5»), remembered: a quiz has a few marks."""
    return numbers.number(value, locale)


def attempt_squares(items: list[Any]) -> Markup:
    """The sticky bar's squares: one per question, marked answered, flagged or information."""
    answered_label, flagged_label = escape(_("answered")), escape(_("flagged"))
    out = []
    for number, item in enumerate(items):
        row, slot = item.answer_row, item.slot
        answered = row.answer is not None and row.answer not in ("", [], {})
        info = item.row.type == "description"
        classes = "quiz-square" + (" is-answered" if answered else "")
        classes += (" is-flagged" if row.flagged else "") + (" is-info" if info else "")
        state = (f" · {answered_label}" if answered else "") + (f" · {flagged_label}" if row.flagged else "")
        current = "" if number else ' aria-current="step"'
        shown = "i" if info else slot
        out.append(
            f'<a href="#slot-{slot}" class="{classes}" data-nav-slot="{slot}"{current}>{shown}'
            f'<span class="visually-hidden" data-square-state>{state}</span></a>'
        )
    return Markup("".join(out))  # noqa: S704 - numbers and translated labels, escaped
