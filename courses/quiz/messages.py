"""Quiz room: the user's wording of the pure modules' error codes (answer shapes, GIFT, quiz settings).

The pure modules name a problem by a stable code; only this module decides what the user reads, so
rewording a message never changes which field shows it."""

from __future__ import annotations

from typing import Any

from app.i18n import lazy_
from courses.quiz.answer_shapes import AnswerShapeError
from courses.quiz.gift_read import GiftError
from courses.quiz.gift_syntax import GiftCode
from courses.quiz.moodle_questions import MoodleCode

ANSWER_SHAPE: dict[str, Any] = {
    "expected_text": lazy_("Expected text."),
    "too_long": lazy_("The answer is too long."),
    "expected_choice": lazy_("Expected a choice id."),
    "unknown_choice": lazy_("Unknown choice id."),
    "expected_choice_list": lazy_("Expected a list of choice ids."),
    "expected_bool": lazy_("Expected true or false."),
    "expected_matches": lazy_("Expected an object mapping left item ids to right item ids."),
    "expected_left": lazy_("Expected a left item id."),
    "unknown_left": lazy_("Unknown left item id."),
    "expected_right": lazy_("Expected a right item id."),
    "unknown_right": lazy_("Unknown right item id."),
    "expected_gaps": lazy_("Expected an object mapping gap numbers to answers."),
    "expected_gap": lazy_("Expected a gap number."),
    "unknown_gap": lazy_("Unknown gap number."),
    "no_answer": lazy_("This question takes no answer."),
}

GIFT: dict[GiftCode, Any] = {
    GiftCode.UNCLOSED_BRACE: lazy_("An answer block '{' is not closed."),
    GiftCode.UNOPENED_BRACE: lazy_("A '}' has no matching '{' (write \\} for a literal brace)."),
    GiftCode.NESTED_BRACE: lazy_("An answer block contains another '{' (write \\{ for a literal brace)."),
    GiftCode.UNCLOSED_TITLE: lazy_("The question title '::' is not closed."),
    GiftCode.NOTHING: lazy_("The question has neither text nor answers."),
    GiftCode.NO_TEXT: lazy_("The question has no text."),
    GiftCode.TWO_BLOCKS: lazy_("A question can have only one answer block."),
    GiftCode.UNKNOWN_BLOCK: lazy_("Unknown answer block: each answer must start with '=' or '~'."),
    GiftCode.ARROW: lazy_("'->' is only allowed in matching questions (write \\-> for a literal arrow)."),
    GiftCode.EMPTY_ANSWER: lazy_("An answer is empty."),
    GiftCode.NOT_A_NUMBER: lazy_("A numerical answer is not a number."),
    GiftCode.BAD_RANGE: lazy_("A numerical range must go from the smaller number to the larger."),
    GiftCode.NEGATIVE_TOLERANCE: lazy_("A numerical tolerance cannot be negative."),
    GiftCode.WEIGHT: lazy_("An answer weight must lie between -100% and 100%."),
    GiftCode.FEW_CHOICES: lazy_("A choice question needs at least two answers."),
    GiftCode.NO_CORRECT: lazy_("No answer gives any marks."),
    GiftCode.NO_ARROW: lazy_("A matching answer needs '->' between its two sides."),
    GiftCode.FEW_PAIRS: lazy_("A matching question needs at least two pairs."),
    GiftCode.UNKNOWN_GAP: lazy_(
        "Unknown cloze gap type: use SHORTANSWER, SHORTANSWER_C, NUMERICAL or MULTICHOICE."
    ),
    GiftCode.GAP_WEIGHT: lazy_("A cloze gap weight must be at least 1."),
    GiftCode.CLOZE_MIXED: lazy_(
        "A cloze question cannot also have an answer block (only {####general feedback})."
    ),
    GiftCode.PLACEHOLDER: lazy_("The text of a cloze question cannot contain '{#n}' itself."),
    GiftCode.BAD_OPTION: lazy_("Unknown or malformed option in a '// vmeste:' comment."),
    GiftCode.INVALID: lazy_("The question is not valid."),
    GiftCode.MISSING_BLANK_LINE: lazy_(
        "A blank line is missing before this question: it was read as a separate question, "
        "but Moodle would join it to the one above."
    ),
}

MOODLE: dict[MoodleCode, Any] = {
    MoodleCode.UNSUPPORTED_TYPE: lazy_("This Moodle question type cannot be imported."),
    MoodleCode.NO_TEXT: lazy_("The question has no text."),
    MoodleCode.NOT_A_NUMBER: lazy_("A numerical answer or tolerance is not a number."),
    MoodleCode.WEIGHT: lazy_("An answer grade must lie between -100% and 100%."),
    MoodleCode.FEW_CHOICES: lazy_("A choice question needs at least two answers."),
    MoodleCode.NO_CORRECT: lazy_("No answer gives any marks."),
    MoodleCode.FEW_PAIRS: lazy_("A matching question needs at least two pairs."),
    MoodleCode.EMPTY_ANSWER: lazy_("An answer is empty."),
    MoodleCode.CLOZE: lazy_("The embedded answers (cloze) in the question text cannot be read."),
    MoodleCode.INVALID: lazy_("The question is not valid."),
    MoodleCode.BAD_XML: lazy_("The file is not well-formed XML."),
    MoodleCode.NOT_MOODLE_XML: lazy_("The file is XML but not a Moodle XML question file (<quiz>)."),
}

QUIZ_SETTINGS: dict[str, Any] = {
    "no_title": lazy_("Give the quiz a title."),
    "closes_before_opens": lazy_("The quiz must close after it opens."),
    "time_limit_range": lazy_("The time limit is a number of minutes from 1 to 10000."),
    "attempts_range": lazy_("Attempts allowed is a number from 1 to 1000, or empty for unlimited."),
    "unknown_grading_method": lazy_("Unknown grading method."),
    "unknown_review_option": lazy_("Unknown review option."),
    "max_grade_range": lazy_("The maximum grade must be greater than 0."),
}


def answer_shape_text(error: AnswerShapeError) -> str:
    """Why an answer was refused, in the user's language."""
    return str(ANSWER_SHAPE[error.code])


def gift_text(error: GiftError) -> str:
    """Why a GIFT question could not be read, in the user's language."""
    return str(GIFT[error.code])


def moodle_text(code: MoodleCode, snippet: str = "") -> str:
    """Why a Moodle XML question could not be read, in the user's language (the culprit appended)."""
    text = str(MOODLE[code])
    return f"{text} ({snippet})" if snippet and code == MoodleCode.UNSUPPORTED_TYPE else text


def settings_texts(problems: dict[str, str]) -> dict[str, str]:
    """`rules.settings_problems` output as {field: message in the user's language}."""
    return {field: str(QUIZ_SETTINGS[code]) for field, code in problems.items()}
