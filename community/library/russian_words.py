"""Words of a Russian text as the SQLite search index stores them: tokenised, lower-cased (Cyrillic
included, which SQLite's lower() leaves alone), ё read as е, stop words dropped, and each word cut to
its Snowball stem, so «дробей» and «дробь» both become «дроб». PostgreSQL's `russian` configuration
does the same with the same Snowball algorithms (Russian for Cyrillic words, English for Latin ones),
so a query finds the same materials on both databases.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

# What the index reads of one document: enough for every real lesson plan, and a hostile text
# (a megabyte of distinct words) cannot make a tsvector over PostgreSQL's 1 MB limit.
MAX_INDEXED_CHARS = 200_000
# A query longer than this is cut: nobody types more, and each word is one more index lookup.
MAX_QUERY_WORDS = 12

# Letters and digits (any script), without the underscore \w also matches.
_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"^[a-z]+$")

# Snowball's Russian stop list (the one PostgreSQL's `russian` configuration drops too), after ё → е.
_STOP_LIST = """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
    вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя
    их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого
    какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда
    можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая
    много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им
    более всегда конечно всю между
"""
STOP_WORDS = frozenset(_STOP_LIST.split())

_russian = snowballstemmer.stemmer("russian")
_english = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """The words of `text` in order, lower-cased, with ё written е (stop words kept)."""
    return _WORD.findall(text.lower().replace("ё", "е"))


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball stem of one lower-cased word: Russian for Cyrillic, English for plain Latin
    words, the word itself otherwise (numbers, mixed letters and digits)."""
    if _CYRILLIC.search(word):
        return str(_russian.stemWord(word))
    if _LATIN.match(word):
        return str(_english.stemWord(word))
    return word


def stems(text: str) -> list[str]:
    """The stems of the words that carry meaning (stop words dropped), in order."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS]


def index_document(text: str) -> str:
    """What the SQLite full-text table stores for a document: its stems, space-separated."""
    return " ".join(stems(text[:MAX_INDEXED_CHARS]))


def query_words(text: str) -> list[tuple[str, str]]:
    """(word, stem) of a search query's meaningful words, one per stem, first words first, at most
    MAX_QUERY_WORDS: SQLite matches the stems, PostgreSQL gets the words and stems them itself."""
    seen: dict[str, str] = {}
    for word in words(text):
        if word not in STOP_WORDS and len(seen) < MAX_QUERY_WORDS:
            seen.setdefault(stem(word), word)
    return [(word, term) for term, word in seen.items()]


def fts_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression finding documents with every term (each quoted as a phrase, so
    nothing in a term is read as FTS5 syntax)."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)
