"""Every action code the services record has a sentence, and each sentence reads in Russian for a
man, a woman and a name that tells neither (no English word, the verb agreeing)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import force_locale, pgettext

from app.audit_grammar import Gender
from app.contests.audit_log import ADMINISTRATOR, CLOCK_SENTENCES, GENERIC, PUPIL, ROLE_LABELS, SENTENCES
from app.i18n import _

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"')
# Codes built at run time, spelled out: the clock's and the stage buttons' moves, appeal decisions,
# open lessons, institutions.
DYNAMIC = {
    "stage.opened",
    "stage.closed",
    "stage.reopened",
    "stage.extended",
    "stage.judging_started",
    "stage.published",
    "stage.scheduled",
    "jury.appeal_accepted",
    "jury.appeal_rejected",
    "jury.demo_lessons_opened",
    "jury.demo_lessons_closed",
    "institution.created",
    "institution.updated",
}
VALUES = {
    "actor": "Кто-то",
    "stage": "«Финал»",
    "entry": "№ 12",
    "user": "Анна",
    "participant": "Иван",
    "criterion": "«Содержание»",
    "district": "«Центральный»",
    "institution": "«Школа»",
    "name": "Анна",
}


def _recorded_codes() -> set[str]:
    codes: set[str] = set()
    for folder in ("app", "contest_engine"):
        for path in (ROOT / folder).rglob("*.py"):
            codes.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_recorded_code_has_a_sentence() -> None:
    codes = _recorded_codes() | DYNAMIC
    assert len(codes) > 45
    assert codes - set(SENTENCES) == set()


@pytest.mark.parametrize("gender", list(Gender))
def test_every_sentence_reads_in_russian(app, gender: Gender) -> None:
    with app.test_request_context(), force_locale("ru"):
        texts = [
            pgettext(gender.value, msgid, **VALUES)
            for msgid in [*SENTENCES.values(), GENERIC, PUPIL, ADMINISTRATOR, *ROLE_LABELS.values()]
        ]
        texts += [_(msgid, **VALUES) for msgid in CLOCK_SENTENCES.values()]
    for text in texts:
        assert not re.search(r"[A-Za-z]", text), text
    verbs = " ".join(texts)
    if gender == Gender.FEMALE:
        assert "открыла этап" in verbs and "оценила работу" in verbs and "Участница" in verbs
    elif gender == Gender.MALE:
        assert "открыл этап" in verbs and "оценил работу" in verbs and "Участник Анна" in verbs
    else:
        assert "открыл(а) этап" in verbs and "зарегистрировался(ась)" in verbs


def test_the_clock_s_sentences_are_impersonal(app) -> None:
    with app.test_request_context(), force_locale("ru"):
        texts = {key: _(msgid, stage="«Финал»") for key, msgid in CLOCK_SENTENCES.items()}
    assert texts == {
        ("stage.opened", True): "Приём работ этапа «Финал» открылся по расписанию",
        ("stage.opened", False): "Этап «Финал» открылся по расписанию",
        ("stage.closed", True): "Приём работ этапа «Финал» закрылся по расписанию",
        ("stage.closed", False): "Этап «Финал» закрылся по расписанию",
    }
