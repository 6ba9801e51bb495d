"""Reading a Moodle backup's XML (pure): the manifest, course, sections, modules, activities, files
and questions.xml of Moodle 3.x and 4.x, with Moodle's NULL and its decimal fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from courses.moodle_backup_read import (
    MoodleReadError,
    read_activity,
    read_files,
    read_manifest,
    read_module,
    read_section,
    unsafe_name,
)
from courses.moodle_question_types import fraction, plain
from courses.moodle_questions_read import random_filter, read_questions, read_slots
from courses.quiz.questions import Cloze, MultipleChoice, Numerical, SingleChoice
from tests.fixtures.moodle_sample import sample


@pytest.fixture(scope="module", params=[3, 4])
def members(request: Any) -> dict[str, bytes]:
    return sample(request.param).members()


def _named(members: dict[str, bytes], suffix: str) -> bytes:
    return next(data for name, data in members.items() if name.endswith(suffix))


def test_the_manifest_lists_sections_and_activities(members: dict[str, bytes]) -> None:
    manifest = read_manifest(members["moodle_backup.xml"])
    assert manifest.backup_type == "course" and manifest.settings["users"] == "1"
    assert [a.modname for a in manifest.activities][:4] == ["forum", "page", "label", "url"]
    assert all(a.directory.startswith("activities/") for a in manifest.activities)
    assert len(manifest.sections) == 3


def test_a_section_reads_null_as_empty_and_its_restrictions() -> None:
    section = read_section(
        b"<section id='7'><number>2</number><name>$@NULL@$</name><summary></summary>"
        b"<sequence>5,x,6</sequence>"
        b'<visible>0</visible><availabilityjson>{"op":"&amp;","c":[],"showc":[]}</availabilityjson></section>',
        "s.xml",
    )
    assert (section.id, section.number, section.name, section.visible) == (7, 2, "", False)
    assert section.sequence == (5, 6) and section.restricted is False


def test_a_module_tells_completion_and_restrictions() -> None:
    info = read_module(
        b"<module><visible>1</visible><completion>2</completion><completionview>1</completionview>"
        b"<completiongradeitemnumber>$@NULL@$</completiongradeitemnumber>"
        b'<availability>{"op":"&amp;","c":[{"type":"completion","cm":5,"e":1}]}</availability></module>',
        "m.xml",
    )
    assert (info.completion, info.completion_view, info.completion_grade, info.restricted) == (
        2,
        True,
        False,
        True,
    )


def test_an_activity_gives_its_fields_and_context() -> None:
    activity = read_activity(
        b'<activity id="1" moduleid="5" modulename="page" contextid="42"><page id="1"><name>A</name>'
        b"<content>&lt;p&gt;x&lt;/p&gt;</content></page></activity>",
        "p.xml",
        "page",
    )
    assert activity.context_id == 42 and activity.fields == {"name": "A", "content": "<p>x</p>"}


def test_files_skip_folder_entries_and_odd_hashes(members: dict[str, bytes]) -> None:
    entries = read_files(members["files.xml"])
    assert {e.filename for e in entries} == {"рис.png", "конспект.pdf", "схема.png", "страница.html"}
    assert all(
        e.member == f"files/{e.contenthash[:2]}/{e.contenthash}" and e.member in members for e in entries
    )
    odd = b"<files><file id='1'><contenthash>../../x</contenthash><filename>a.pdf</filename></file>"
    odd += b"<file id='2'><contenthash>" + b"a" * 40 + b"</contenthash><filename>.</filename></file></files>"
    assert read_files(odd) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<moodle_backup><information>", "bad_xml"),
        (b"<other/>", "unexpected_root"),
        (b"<moodle_backup/>", "no_information"),
        (
            b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><moodle_backup>&e;</moodle_backup>',
            "bad_xml",
        ),
    ],
)
def test_unreadable_documents_raise_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(MoodleReadError) as error:
        read_manifest(data)
    assert (error.value.code, error.value.path) == (code, "moodle_backup.xml")


def test_questions_of_both_layouts_read_alike(members: dict[str, bytes]) -> None:
    bank = read_questions(members["questions.xml"])
    by_name = {q.name: q for q in bank.questions}
    assert isinstance(by_name["Корень"].question, SingleChoice)
    assert isinstance(by_name["Чётные"].question, MultipleChoice)
    assert by_name["Формула"].question is None and by_name["Формула"].problem == "unsupported_type"
    cloze = by_name["Пропуски"].question
    assert isinstance(cloze, Cloze) and len(cloze.gaps) == 2
    numeric = by_name["Число"].question
    assert isinstance(numeric, Numerical) and numeric.answers[0].tolerance == Decimal("0.01")
    assert (
        "g1" not in by_name
        and bank.path(by_name["Устно 0"].category_id) == "По умолчанию для АЛГ7/Устный счёт"
    )


def test_quiz_slots_name_questions_by_id_entry_or_random_draw(members: dict[str, bytes]) -> None:
    quiz = read_activity(_named(members, "/quiz.xml"), "quiz.xml", "quiz")
    slots = read_slots(quiz.element)
    assert len(slots) == 12
    fixed, draws = slots[:10], slots[10:]
    assert all(s.question_id or s.entry_id for s in fixed)
    bank = read_questions(members["questions.xml"])
    assert all(s.random_category or s.question_id in bank.randoms for s in draws)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"questioncategoryid":"12","includingsubcategories":"1"}', (12, True)),
        (
            '{"filter":{"category":{"jointype":1,"values":[7],"filteroptions":{"includesubcategories":false}}}}',
            (7, False),
        ),
        ("not json", (0, False)),
        ("[1]", (0, False)),
    ],
)
def test_random_filters_of_moodle_4_0_and_4_3(raw: str, expected: tuple[int, bool]) -> None:
    assert random_filter(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.0000000", Fraction(1)),
        ("0.3333333", Fraction(1, 3)),
        ("-0.5", Fraction(-1, 2)),
        ("2", Fraction(1)),
    ],
)
def test_moodle_fractions_become_the_fractions_they_stand_for(raw: str, expected: Fraction) -> None:
    assert fraction(raw) == expected


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [
        ("course/course.xml", False),
        ("../x", True),
        ("/etc/passwd", True),
        ("a/../../b", True),
        ("C:/x", True),
    ],
)
def test_unsafe_member_names(name: str, unsafe: bool) -> None:
    assert unsafe_name(name) is unsafe


def test_plain_text_of_an_answer() -> None:
    assert plain("<p>Москва &amp; <b>область</b></p>") == "Москва & область"


def test_a_4x_bank_entry_takes_its_newest_version() -> None:
    def version(number: int, text: str) -> str:
        return (
            f"<question_versions id='{number}'><version>{number}</version><status>ready</status><questions>"
            f"<question id='{10 + number}'><parent>0</parent><name>Q</name>"
            f"<questiontext>{text}</questiontext>"
            "<qtype>essay</qtype><defaultmark>1</defaultmark></question></questions></question_versions>"
        )

    data = (
        "<question_categories><question_category id='1'><name>top</name><parent>0</parent>"
        "<question_bank_entries><question_bank_entry id='5'><question_version>"
        + version(2, "new")
        + version(1, "old")
        + "</question_version></question_bank_entry></question_bank_entries></question_category>"
        "</question_categories>"
    ).encode()
    bank = read_questions(data)
    assert [q.source_id for q in bank.questions] == [12]
    read = bank.by_entry[5]
    assert read.question is not None and read.question.text == "new" and read.question.category is None
