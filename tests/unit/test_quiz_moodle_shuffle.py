"""A quiz restored from a Moodle backup shuffles its answers unless Moodle said not to (Moodle's own
default is on; issue 16: a right answer written first must not be shown first)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import pytest

from courses.moodle_backup_read import Activity
from courses.moodle_quizzes import quiz_settings


@pytest.mark.parametrize(
    ("fields", "shuffled"), [({}, True), ({"shuffleanswers": "1"}, True), ({"shuffleanswers": "0"}, False)]
)
def test_answers_shuffle_unless_the_backup_says_no(fields: dict[str, str], shuffled: bool) -> None:
    activity = Activity("quiz", 1, fields, Element("quiz"))
    assert quiz_settings(activity, "")["shuffle_answers"] is shuffled
