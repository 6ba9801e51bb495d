"""Question bank room, pure core: answers in words for tutors' and students' pages — a stored
answer (choice texts instead of ids) and a question's right answer."""

import json
from typing import Any

from courses.quiz import questions


def describe_answer(question: questions.Question, answer: Any) -> str:
    """A stored answer in words (choice texts instead of ids), for tutors' pages."""
    if answer is None:
        return "—"
    try:
        if isinstance(question, questions.SingleChoice):
            return next((c.text for c in question.choices if c.id == int(answer)), str(answer))
        if isinstance(question, questions.MultipleChoice):
            chosen = {int(a) for a in answer}
            return "; ".join(c.text for c in question.choices if c.id in chosen) or "—"
        if isinstance(question, questions.TrueFalse):
            return "true" if answer else "false"
        if isinstance(question, questions.Matching):
            right = {r.id: r.text for r in question.right}
            left = {item.id: item.text for item in question.left}
            return "; ".join(
                f"{left.get(int(k), k)} → {right.get(int(v), v)}" for k, v in sorted(answer.items())
            )
        if isinstance(question, questions.Cloze):
            parts = []
            for number, value in sorted(answer.items(), key=lambda kv: int(kv[0])):
                gap = question.gaps[int(number) - 1]
                if isinstance(gap, questions.ChoiceGap):
                    value = next((c.text for c in gap.choices if c.id == int(value)), value)
                parts.append(f"{number}: {value}")
            return "; ".join(parts)
    except (TypeError, ValueError, AttributeError, IndexError):
        return json.dumps(answer, ensure_ascii=False)
    return str(answer)


def right_answer(question: questions.Question, *, true: str = "True", false: str = "False") -> str:
    """The right answer in words, for the review (`true`/`false`: the words for a true/false answer,
    in the reader's language)."""
    if isinstance(question, questions.SingleChoice | questions.MultipleChoice):
        return "; ".join(c.text for c in question.choices if c.fraction > 0)
    if isinstance(question, questions.TrueFalse):
        return true if question.correct else false
    if isinstance(question, questions.ShortAnswer):
        return next((a.text for a in question.answers if a.fraction == 1), question.answers[0].text)
    if isinstance(question, questions.Numerical):
        best = max(question.answers, key=lambda a: a.fraction)
        return f"{best.value} ± {best.tolerance}" if best.tolerance else str(best.value)
    if isinstance(question, questions.Matching):
        right = {r.id: r.text for r in question.right}
        return "; ".join(f"{item.text} → {right[item.right_id]}" for item in question.left)
    if isinstance(question, questions.Cloze):
        parts = []
        for gap in question.gaps:
            if isinstance(gap, questions.ChoiceGap):
                right_choice = max(gap.choices, key=lambda c: c.fraction)
                parts.append(f"{gap.number}: {right_choice.text}")
            elif isinstance(gap, questions.NumericalGap):
                parts.append(f"{gap.number}: {max(gap.answers, key=lambda a: a.fraction).value}")
            else:
                parts.append(f"{gap.number}: {max(gap.answers, key=lambda a: a.fraction).text}")
        return "; ".join(parts)
    return ""
