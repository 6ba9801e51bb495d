"""Quiz pages: how questions and numbers appear in templates (question text, cloze gaps with their
controls, type names, percentages, points, answers in words)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from app import templating
from app.i18n import _
from app.markdown import render_markdown
from app.quiz import bp
from app.quiz.type_names import type_label
from courses.quiz.answer_words import describe_answer
from courses.quiz.attempts import AttemptItem


@lru_cache(maxsize=4096)
def text_html(text: str, text_format: str) -> Markup:
    """Question text as HTML: Markdown (also for html/moodle: the sanitiser keeps it safe), or plain.
    Cached by text: an attempt page shows the same questions to every student, and rendering plus
    sanitising is the slowest part of that page."""
    if text_format == "plain":
        return Markup("<p>") + escape(text).replace("\n", Markup("<br>")) + Markup("</p>")
    return render_markdown(text)


def cloze_html(item: AttemptItem, answer: Any, disabled: bool = False) -> Markup:
    """The cloze text with an input or a select in each gap (built here, values escaped)."""
    html = str(text_html(item.question.text, item.question.text_format))
    answers = answer or {}
    for gap in item.view["gaps"]:
        number = gap["number"]
        value = answers.get(str(number), answers.get(number)) if isinstance(answers, dict) else None
        name = f"q{item.slot}-g{number}"
        off = " disabled" if disabled else ""
        label = escape(_("Gap %(n)s", n=number))
        if gap["choices"]:
            options = "".join(_option(c, value) for c in gap["choices"])
            control = (
                f'<select class="form-select form-select-sm d-inline-block w-auto" name="{name}" '
                f'aria-label="{label}"{off}><option value=""></option>{options}</select>'
            )
        else:
            shown = escape(value) if value is not None else ""
            control = (
                f'<input type="text" class="form-control form-control-sm d-inline-block w-auto" '
                f'name="{name}" value="{shown}" aria-label="{label}"{off}>'
            )
        html = html.replace(f"{{#{number}}}", control, 1)
    return Markup(html)  # noqa: S704 - sanitised Markdown plus controls whose values are escaped


@bp.app_template_global()
def quiz_text(text: str, text_format: str) -> Markup:
    return text_html(text, text_format)


@bp.app_template_global()
def quiz_cloze(item: Any, answer: Any, disabled: bool = False) -> Markup:
    return cloze_html(item, answer, disabled)


@bp.app_template_global()
def quiz_type_label(kind: str) -> str:
    return type_label(kind)


@bp.app_template_global()
def quiz_percent(value: Any) -> str:
    """A stored fraction ("2/3") as the reader's share, «66,7 %»."""
    if value is None or value == "":
        return "—"
    return templating.percent(Decimal(float(Fraction(value))))


@bp.app_template_global()
def quiz_answer_words(question: Any, answer: Any) -> str:
    return describe_answer(question, answer)


def _points(value: Any) -> str:
    """Points as the reader writes them: «4,67», «100» (never «1E+2»); exact values stay stored."""
    if value is None:
        return "—"
    return templating.number(value)


def plain_number(value: Any) -> str:
    """An exact number for a form's input (a dot, no exponent, no trailing zeros): «100», «2.5»."""
    if value is None or value == "":
        return ""
    exact = Decimal(str(value)).normalize()
    return format(exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact, "f")


bp.add_app_template_filter(_points, "points")
bp.add_app_template_filter(plain_number, "plain_number")


def _option(choice: dict[str, Any], value: Any) -> str:
    """One choice of a drop-down gap, selected when it is the saved answer."""
    selected = " selected" if str(value) == str(choice["id"]) else ""
    return f'<option value="{choice["id"]}"{selected}>{escape(choice["text"])}</option>'
