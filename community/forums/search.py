"""Full-text search over forum posts in Russian, with morphology, on both databases — the library's
machinery (community.library.russian_words for the stems, community.library.search for the query's
words) over the forums' own index (search_schema).

`index_post(post)` is the one call posting makes after a post is created, edited or hidden, in the
same transaction: on SQLite it writes the post's stems (or forgets a hidden post); on PostgreSQL the
trigger already did. Hidden posts and posts of hidden topics are never found: the index leaves them
out and the query checks again. Which forums to look in is the caller's (the forums the viewer may
read), and so is the Q&A rule: in a Q&A forum the viewer does not moderate, only the question, their
own posts and the answers of topics they have answered are found.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    column,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.pagination import Page, paginate
from community.forums.models import Forum, Post, Topic
from community.forums.search_schema import FTS_TABLE, PG_TABLE
from community.library import russian_words
from community.library.search import TextQuery, text_query

FTS = table(FTS_TABLE, column("rowid", Integer), column("words", Text))
VECTORS = table(PG_TABLE, column("post_id", Integer), column("document", Text))
_RUSSIAN: ColumnElement[str] = literal_column("'russian'::regconfig")
SNIPPET_WORDS = 40  # words of a found post shown around its first match

__all__ = ["Hit", "TextQuery", "index_post", "search_posts", "text_query"]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def index_post(post: Post) -> None:
    """Make SQLite's stems table agree with the post as the database now has it (its text, its
    topic's title for the opening post, gone once hidden); PostgreSQL's trigger already did. The row
    is read back, because posting changes posts with conditional UPDATEs that leave the object as it
    was. Flushes first so a new post has its id and its row."""
    if _dialect() != "sqlite":
        return
    if post.id is None:
        db.session.flush()
    db.session.execute(delete(FTS).where(FTS.c.rowid == post.id))
    row = db.session.execute(
        select(Post.number, Post.text, Post.hidden_at, Topic.title)
        .join(Topic, Topic.id == Post.topic_id)
        .where(Post.id == post.id)
    ).first()
    if row is None or row.hidden_at is not None:
        return
    document = russian_words.index_document(f"{row.title} {row.text}" if row.number == 1 else row.text or "")
    if document:
        db.session.execute(insert(FTS).values(rowid=post.id, words=document))


@dataclass
class Hit:
    post: Post
    topic: Topic
    forum: Forum
    snippet: list[tuple[str, bool]]  # pieces of the post's text; True where a searched word stands


def search_posts(
    query: TextQuery,
    *,
    forum_ids: Collection[int],
    viewer_id: int,
    qa_forum_ids: Collection[int] = (),
    page: int = 1,
    per_page: int = 20,
) -> Page[Hit]:
    """Visible posts of `forum_ids` having every word of the query in some form («дробь» finds
    «дробей»), the most relevant first, then the newest (two queries, authors loaded with the page).
    `qa_forum_ids`: the Q&A forums among them the viewer does not moderate."""
    if not forum_ids:
        return Page([], 1, per_page, 0)
    statement = (
        select(Post, Topic, Forum)
        .options(joinedload(Post.author))
        .join(Topic, Topic.id == Post.topic_id)
        .join(Forum, Forum.id == Topic.forum_id)
        .where(
            Forum.id.in_(list(forum_ids)),
            Post.hidden_at.is_(None),
            Topic.hidden_at.is_(None),
        )
    )
    if qa_forum_ids:
        statement = statement.where(_qa_visible(list(qa_forum_ids), viewer_id))
    if _dialect() == "postgresql":
        tsquery = func.plainto_tsquery(_RUSSIAN, " ".join(query.words))
        statement = statement.join(VECTORS, VECTORS.c.post_id == Post.id).where(
            VECTORS.c.document.op("@@")(tsquery)
        )
        relevance: ColumnElement[object] = func.ts_rank(VECTORS.c.document, tsquery).desc()
    else:
        match = russian_words.fts_match(list(query.terms))
        statement = statement.join(FTS, FTS.c.rowid == Post.id).where(
            literal_column(FTS_TABLE).op("MATCH")(match)
        )
        relevance = func.bm25(literal_column(FTS_TABLE)).asc()  # lower is more relevant
    statement = statement.order_by(relevance, Post.created_at.desc(), Post.id.desc())
    rows = paginate(cast(Select[Any], statement), page, per_page, scalars=False)
    terms = set(query.terms)
    hits = [Hit(post, topic, forum, snippet(post.text, terms)) for post, topic, forum in rows.items]
    return Page(hits, rows.page, rows.per_page, rows.total)


def _qa_visible(qa_forum_ids: list[int], viewer_id: int) -> ColumnElement[bool]:
    """Outside the given Q&A forums everything; inside them the question, the viewer's own posts and
    the answers of topics where the viewer has answered."""
    own = aliased(Post)
    answered = exists().where(own.topic_id == Post.topic_id, own.author_id == viewer_id, own.number > 1)
    return or_(
        Topic.forum_id.not_in(qa_forum_ids),
        Post.number == 1,
        Post.author_id == viewer_id,
        answered,
    )


_PIECES = re.compile(r"[^\W_]+|[\W_]+")


def snippet(text: str, terms: set[str], size: int = SNIPPET_WORDS) -> list[tuple[str, bool]]:
    """About `size` words of `text` around its first searched word, split into (piece, is a match)
    so a template can mark the matches without trusting the text as HTML."""
    pieces = _PIECES.findall(text or "")
    word_at = [i for i, piece in enumerate(pieces) if piece[0].isalnum()]
    matched = {i for i in word_at if _stem_of(pieces[i]) in terms}
    first = min(matched) if matched else 0
    position = word_at.index(first) if first in word_at else 0
    start_word = max(0, position - size // 4)
    chosen = word_at[start_word : start_word + size]
    if not chosen:
        return []
    begin, end = chosen[0], chosen[-1] + 1
    result = [(piece, i in matched) for i, piece in enumerate(pieces[begin:end], start=begin)]
    if begin > 0:
        result.insert(0, ("… ", False))
    if end < len(pieces) and any(piece[0].isalnum() for piece in pieces[end:]):
        result.append((" …", False))
    return result


def _stem_of(word: str) -> str:
    words = russian_words.words(word)
    return russian_words.stem(words[0]) if words else ""
