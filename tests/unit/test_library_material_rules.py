"""The pure rules of a material: every refusal has its code and field."""

from __future__ import annotations

import pytest

from community.library import material_rules as rules
from community.rules import RuleError

PDF = b"%PDF-1.7\n"
ZIP = b"PK\x03\x04rest"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MB = 1024 * 1024


def _code(call: object, *args: object) -> tuple[str, str]:
    with pytest.raises(RuleError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.code, caught.value.field


def test_title_is_required_trimmed_and_bounded() -> None:
    assert rules.clean_title("  Урок   по теме  ") == "Урок по теме"
    assert _code(rules.clean_title, "   ") == ("required", "title")
    assert _code(rules.clean_title, None) == ("required", "title")
    assert rules.clean_title("я" * 300) == "я" * 300
    assert _code(rules.clean_title, "я" * 301) == ("too_long", "title")


def test_summary_is_optional_and_bounded() -> None:
    assert rules.clean_summary(None) == ""
    assert rules.clean_summary(" a\r\nb ") == "a\nb"
    assert _code(rules.clean_summary, "x" * (rules.SUMMARY_MAX + 1)) == ("too_long", "summary")


@pytest.mark.parametrize("kind", rules.KINDS)
def test_every_kind_is_accepted(kind: str) -> None:
    assert rules.clean_kind(kind) == kind


@pytest.mark.parametrize("kind", ["", None, "LESSON_PLAN", "poster", "урок"])
def test_unknown_kinds_are_refused(kind: str | None) -> None:
    assert _code(rules.clean_kind, kind) == ("material_bad_kind", "kind")


def test_grades_are_sorted_without_repeats_and_may_be_empty() -> None:
    assert rules.clean_grades([11, 5, 5, 1]) == [1, 5, 11]
    assert rules.clean_grades([]) == []


@pytest.mark.parametrize("grade", [0, 12, -1, 100])
def test_grades_outside_1_to_11_are_refused(grade: int) -> None:
    assert _code(rules.clean_grades, [5, grade]) == ("material_bad_grade", "grades")


def test_subjects_must_be_known_and_at_least_one() -> None:
    assert rules.clean_subjects([3, 1, 3], [1, 2, 3]) == [1, 3]
    assert _code(rules.clean_subjects, [], [1]) == ("material_no_subjects", "subjects")
    with pytest.raises(RuleError) as caught:
        rules.clean_subjects([1, 99, 98], [1])
    assert caught.value.code == "material_unknown_subject"
    assert caught.value.params == {"ids": "98, 99"}


@pytest.mark.parametrize(
    "url",
    ["https://resh.edu.ru/subject/lesson/1", "http://school.ru", "HTTPS://Example.org/a?b=c#d"],
)
def test_http_links_are_accepted(url: str) -> None:
    assert rules.clean_link(url, " Видео  урок ") == {"url": url, "title": "Видео урок"}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.school.ru/a.pdf",
        "data:text/html,<b>x</b>",
        "//example.org",
        "https://",
        "school.ru",
        "https://exa mple.org",
        "http://[::1",
        "https://e.org/" + "a" * 2000,
    ],
)
def test_links_other_than_http_are_refused(url: str) -> None:
    assert _code(rules.clean_link, url)[1] == "links"


def test_link_count_is_bounded() -> None:
    assert _code(rules.clean_links, [("https://a.ru", "")] * 21) == ("material_too_many_links", "links")


def test_link_lines_give_address_then_title() -> None:
    text = "https://a.ru Урок на РЭШ\n\n  https://b.ru  \n"
    assert rules.parse_link_lines(text) == [("https://a.ru", "Урок на РЭШ"), ("https://b.ru", "")]


@pytest.mark.parametrize(
    ("name", "size", "sniffed", "head"),
    [
        ("План.docx", 10, "application/zip", ZIP),
        ("План.doc", 10, "application/x-ole-storage", OLE),
        ("Слайды.pptx", 49 * MB, "application/zip", ZIP),
        ("Конспект.pdf", 10, "application/pdf", PDF),
        ("Фото.JPG", 10, "image/png", b"\x89PNG"),
        ("Урок.rar", 10, "application/octet-stream", b"Rar!\x1a\x07\x00"),
        ("Урок.7z", 10, "application/octet-stream", b"7z\xbc\xaf\x27\x1c"),
        ("Список.csv", 10, "text/plain", b"a;b"),
    ],
)
def test_files_of_the_library_families_pass(name: str, size: int, sniffed: str, head: bytes) -> None:
    rules.check_file(name, size, sniffed, head)


@pytest.mark.parametrize(
    ("name", "size", "sniffed", "head", "code"),
    [
        ("virus.exe", 10, "application/octet-stream", b"MZ", "material_file_type"),
        ("page.html", 10, "text/html", b"<html>", "material_file_type"),
        ("noextension", 10, "text/plain", b"x", "material_file_type"),
        ("песня.mp3", 10, "audio/mpeg", b"ID3", "material_file_type"),
        ("План.docx", 21 * MB, "application/zip", ZIP, "material_file_too_big"),
        ("Фото.png", 11 * MB, "image/png", b"\x89PNG", "material_file_too_big"),
        ("Конспект.pdf", 0, "application/octet-stream", b"", "material_file_empty"),
        ("План.docx", 10, "text/html", b"<html>", "material_file_content"),
        ("Конспект.pdf", 10, "text/plain", b"hello", "material_file_content"),
        ("Урок.rar", 10, "application/zip", ZIP, "material_file_content"),
        ("Список.csv", 10, "application/octet-stream", b"\x00\x01", "material_file_content"),
    ],
)
def test_bad_files_are_refused(name: str, size: int, sniffed: str, head: bytes, code: str) -> None:
    assert _code(rules.check_file, name, size, sniffed, head) == (code, "files")


def test_size_limits_differ_by_family() -> None:
    assert rules.size_limit("pptx") > rules.size_limit("docx") > rules.size_limit("png")
    assert rules.size_limit("exe") == 0
    assert _code(rules.check_file_count, rules.FILES_MAX + 1) == ("material_too_many_files", "files")


def test_a_submitted_version_has_something_to_read() -> None:
    rules.check_submittable("lesson_plan", "Конспект", 0, 0)
    rules.check_submittable("worksheet", "", 1, 0)
    rules.check_submittable("video", "", 0, 1)
    assert _code(rules.check_submittable, "video", "Описание", 2, 0) == ("material_video_needs_link", "links")
    assert _code(rules.check_submittable, "article", "", 0, 0) == ("material_empty", "summary")
