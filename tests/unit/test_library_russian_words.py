"""Russian words for the SQLite index: Cyrillic lower-cased, ё read as е, stop words dropped, Snowball
stems that make word forms meet; and the catalogue's query parameters read strictly and leniently."""

from __future__ import annotations

import pytest

from community.library import russian_words as rw
from community.library.catalogue_params import MAX_VALUES, Filters, read_filters
from community.rules import RuleError


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("дробь", "дробей"),
        ("урок", "уроки"),
        ("Уроков", "УРОКАМИ"),
        ("ёлка", "елки"),
        ("Ёжик", "ежики"),
        ("презентация", "презентации"),
        ("lessons", "lesson"),
    ],
)
def test_word_forms_share_a_stem(one: str, other: str) -> None:
    assert rw.stems(one) == rw.stems(other) and rw.stems(one) != [""]


def test_words_are_lower_cased_split_on_punctuation_and_stop_words_dropped() -> None:
    assert rw.words("ЁЛКА, Урок-игра: 5 класс_") == ["елка", "урок", "игра", "5", "класс"]
    assert rw.stems("Урок и игра в 5 классе") == ["урок", "игр", "5", "класс"]
    assert rw.index_document("Сложение дробей; сложение!") == "сложен дроб сложен"


def test_a_long_document_is_cut_before_indexing() -> None:
    text = "урок " * rw.MAX_INDEXED_CHARS
    assert len(rw.index_document(text).split()) == rw.MAX_INDEXED_CHARS // 5


def test_query_words_keep_one_word_per_stem_and_at_most_twelve() -> None:
    assert rw.query_words("Урок, уроки и дроби") == [("урок", "урок"), ("дроби", "дроб")]
    many = " ".join(f"слово{n}" for n in range(30))
    assert len(rw.query_words(many)) == rw.MAX_QUERY_WORDS
    assert rw.query_words("и в на ... !!!") == []


def test_fts_match_quotes_every_term() -> None:
    assert rw.fts_match(["урок", 'a"b']) == '"урок" "a""b"'


def _reader(args: dict[str, list[str]], strict: bool) -> Filters:
    return read_filters(
        lambda name: args.get(name, []),
        kinds=["lesson_plan", "test"],
        statuses=["draft", "pending", "published", "rejected"],
        strict=strict,
    )


def test_filters_are_read_from_repeated_parameters() -> None:
    filters = _reader(
        {
            "q": ["  сложение   дробей "],
            "subject": ["4", "8", "4"],
            "grade": ["5"],
            "kind": ["test"],
            "district": ["Центральный район"],
            "institution_id": ["3"],
            "association_id": ["2"],
            "author_id": ["7"],
            "status": ["pending"],
            "sort": ["rated"],
        },
        strict=True,
    )
    assert filters == Filters(
        q="сложение дробей",
        subject=(4, 8),
        grade=(5,),
        kind=("test",),
        district=("Центральный район",),
        institution=(3,),
        association=(2,),
        author_id=7,
        status="pending",
        sort="rated",
    )
    assert filters.without("subject").subject == () and filters.without("subject").grade == (5,)


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        ({"grade": ["12"]}, "catalogue_grade_range", "grade"),
        ({"grade": ["0"]}, "catalogue_grade_range", "grade"),
        ({"grade": ["5a"]}, "catalogue_not_a_number", "grade"),
        ({"subject": ["-1"]}, "catalogue_not_a_number", "subject"),
        ({"subject": ["99999999999"]}, "catalogue_not_a_number", "subject"),
        ({"subject": ["0"]}, "catalogue_id_range", "subject"),
        ({"kind": ["poem"]}, "catalogue_unknown_kind", "kind"),
        ({"status": ["deleted"]}, "catalogue_unknown_status", "status"),
        ({"sort": ["cheap"]}, "catalogue_unknown_sort", "sort"),
        ({"q": ["а" * 201]}, "too_long", "q"),
        ({"district": ["р" * 256]}, "too_long", "district"),
        ({"grade": [str(n % 11 + 1) for n in range(MAX_VALUES + 1)]}, "catalogue_too_many_values", "grade"),
    ],
)
def test_strict_reading_refuses_each_bad_value_by_name(
    args: dict[str, list[str]], code: str, field: str
) -> None:
    with pytest.raises(RuleError) as caught:
        _reader(args, strict=True)
    assert (caught.value.code, caught.value.field) == (code, field)
    _reader(args, strict=False)  # the page leaves the value out instead


def test_lenient_reading_keeps_the_good_values() -> None:
    filters = _reader({"grade": ["12", "5", "x"], "sort": ["cheap"], "kind": ["poem", "test"]}, strict=False)
    assert (filters.grade, filters.sort, filters.kind) == ((5,), "", ("test",))


@pytest.mark.parametrize(
    ("sort", "searching", "effective"),
    [("", True, "relevance"), ("", False, "new"), ("relevance", False, "new"), ("rated", True, "rated")],
)
def test_the_default_sort_is_relevance_only_when_searching(
    sort: str, searching: bool, effective: str
) -> None:
    assert Filters(sort=sort).effective_sort(searching) == effective
