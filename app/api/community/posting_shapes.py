"""Community API: the shapes of topics, posts and reports — request bodies, the answers (documented in
the OpenAPI document) and how a post is serialised for one caller."""

from __future__ import annotations

from typing import Any

from flask import url_for
from pydantic import BaseModel, StrictBool, StrictStr

from app.api.core import Id, Strict
from community.forums.models import Topic
from community.forums.topic_view import PostView


class TopicIn(Strict):
    title: StrictStr
    text: StrictStr


class PostIn(Strict):
    text: StrictStr
    reply_to: Id | None = None
    quote: StrictBool = False  # put the post replied to above the text as a Markdown quote


class EditIn(Strict):
    text: StrictStr


class ReportIn(Strict):
    reason: StrictStr = ""


class HideIn(Strict):
    reason: StrictStr


class TopicStateIn(Strict):
    pinned: StrictBool | None = None
    locked: StrictBool | None = None


class AuthorOut(BaseModel):
    id: int
    name: str  # «Участник №N» instead of a participant's name for a blind stage's juror


class FileOut(BaseModel):
    id: int
    name: str
    size: int
    url: str


class PostOut(BaseModel):
    id: int
    topic_id: int
    number: int
    author: AuthorOut | None
    reply_to: int | None
    text: str  # empty for a hidden post shown to someone other than its author or a moderator
    html: str
    created_at: str
    edited_at: str | None
    hidden: bool
    hidden_reason: str | None
    editable_until: str | None  # while the caller may still correct it
    files: list[FileOut]


class TopicOut(BaseModel):
    id: int
    forum_id: int
    title: str
    pinned: bool
    locked: bool
    posts_count: int
    last_number: int
    last_post_at: str


class PostPage(BaseModel):
    items: list[PostOut]
    page: int
    per_page: int
    total: int
    withheld: int
    topic: TopicOut


class TopicCreated(BaseModel):
    id: int
    post_id: int
    title: str
    number: int


class ReportOut(BaseModel):
    id: int
    post_id: int
    reason: str


def post_json(view: PostView, names: dict[int, str]) -> dict[str, Any]:
    post = view.post
    return {
        "id": post.id,
        "topic_id": post.topic_id,
        "number": post.number,
        "author": {"id": post.author_id, "name": names.get(post.author_id or 0, "")}
        if post.author_id
        else None,
        "reply_to": post.reply_to_id,
        "text": post.text if view.show_text else "",
        "html": post.html if view.show_text else "",
        "created_at": post.created_at.isoformat(),
        "edited_at": post.edited_at.isoformat() if post.edited_at else None,
        "hidden": view.hidden,
        "hidden_reason": post.hidden_reason if view.hidden and view.show_text else None,
        "editable_until": view.editable_until.isoformat() if view.editable else None,
        "files": [
            {
                "id": f.id,
                "name": f.stored.original_name,
                "size": f.stored.size,
                "url": url_for("forums.attachment", attachment_id=f.id, _external=True),
            }
            for f in view.files
        ],
    }


def topic_json(topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.id,
        "forum_id": topic.forum_id,
        "title": topic.title,
        "pinned": topic.pinned,
        "locked": topic.locked,
        "posts_count": topic.posts_count,
        "last_number": topic.last_number,
        "last_post_at": topic.last_post_at.isoformat(),
    }
