"""The attempt page's fields back as answers in the API's shapes, one reader per question type, and
the type's own parts of a public view."""

from courses.quiz.questions import Answer, Cloze, LeftItem, Matching, RightItem, ShortAnswerGap
from courses.quiz.student_view import answers_from_fields, public_view, view_parts


class Fields(dict):
    """A form's fields as the page sends them: one value per name, lists for repeated names."""

    def get(self, key, default=None):
        value = super().get(key, default)
        return value[0] if isinstance(value, list) else value

    def getlist(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


MATCHING = public_view(
    Matching(
        name="M",
        text="Q",
        left=(LeftItem(1, "a", 1), LeftItem(2, "b", 2)),
        right=(RightItem(1, "x"), RightItem(2, "y")),
    ),
    shuffle_seed=None,
)
CLOZE = public_view(
    Cloze(
        name="C",
        text="{#1} and {#2}",
        gaps=(
            ShortAnswerGap(number=1, answers=(Answer("a"),)),
            ShortAnswerGap(number=2, answers=(Answer("b"),)),
        ),
    ),
    shuffle_seed=None,
)
VIEWS = [
    (1, {"type": "single", "choices": []}),
    (2, {"type": "multiple", "choices": []}),
    (3, {"type": "truefalse", "choices": []}),
    (4, MATCHING),
    (5, CLOZE),
    (6, {"type": "description", "choices": []}),
    (7, {"type": "essay", "choices": []}),
    (8, {"type": "shortanswer", "choices": []}),
]


def test_each_type_reads_its_fields():
    fields = Fields(
        slots="1,2,3,4,5,6,7,8",
        q1="3",
        q2=["1", "2"],
        q3="false",
        **{"q4-1": "2", "q4-2": "", "q5-g1": "Париж", "q7": "Эссе"},
        q6="ignored",
        q8="",
    )
    assert answers_from_fields(VIEWS, fields) == {
        1: "3",
        2: ["1", "2"],
        3: False,
        4: {"1": "2", "2": None},
        5: {"1": "Париж", "2": None},
        7: "Эссе",
        8: None,
    }


def test_unanswered_fields_are_none_and_unlisted_slots_are_left_alone():
    assert answers_from_fields(VIEWS, Fields(slots="2,3,9,x")) == {2: None, 3: None}
    assert answers_from_fields(VIEWS, Fields()) == {}


def test_view_parts_are_the_types_own():
    assert view_parts(MATCHING) == {"left": MATCHING["left"], "right": MATCHING["right"]}
    assert view_parts(CLOZE) == {"gaps": CLOZE["gaps"]}
    choices = [{"id": 1, "text": "a"}]
    assert view_parts({"type": "single", "choices": choices}) == {"choices": choices}
