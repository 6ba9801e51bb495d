"""Community API: topics, posts and reports — open a topic, reply (JSON, or multipart with `files`),
read a topic's posts page by page, correct one's post within the edit window, report a post; the
forum's moderators hide posts and pin or lock topics. The same services as the forum pages.

A forum, topic or post the caller may not read is a 404; one they may read but not write in a 403;
a locked topic, a closed edit window or a repeated report a 409; bad text or files a 422.
"""

from __future__ import annotations

from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError

from app.accounts import User
from app.api.community.posting_shapes import (
    EditIn,
    HideIn,
    PostIn,
    PostOut,
    PostPage,
    ReportIn,
    ReportOut,
    TopicCreated,
    TopicIn,
    TopicOut,
    TopicStateIn,
    post_json,
    topic_json,
)
from app.api.core import (
    ApiError,
    api_user,
    endpoint,
    not_found,
    page_params,
    paginated,
    require_api,
    validation_fields,
)
from app.extensions import db
from app.forums.topic_access import (
    InTopic,
    Unreadable,
    author_labels,
    edit_minutes,
    load_forum,
    load_post,
    load_topic,
    quote_label,
)
from app.i18n import _
from app.input_guard import request_json
from app.timeutil import utcnow
from community.forums import attachments, moderation, posts, topic_view, topics
from community.forums.models import Post

TAG = "forums"


@endpoint(
    "/forums/<int:forum_id>/topics",
    "POST",
    summary="Open a topic: JSON {title, text}, or the same as multipart form fields with `files` "
    "(403 where the caller may not open topics)",
    tag=TAG,
    body_media="multipart/form-data",
    response=TopicCreated,
    status=201,
)
def create_topic(forum_id: int, body: str) -> Any:
    actor = api_user()
    forum, access = _loaded(lambda: load_forum(forum_id, actor))
    require_api(access.start_topic)
    data, files = _body(TopicIn)
    topic, post = topics.open_topic(forum, actor, data.title, data.text, now=utcnow(), files=files)
    return {"id": topic.id, "post_id": post.id, "title": topic.title, "number": post.number}, 201


@endpoint(
    "/topics/<int:topic_id>/posts",
    "POST",
    summary="Reply in a topic: JSON {text, reply_to?, quote?}, or multipart with `files` "
    "(409 in a locked topic, 403 where the caller may not write)",
    tag=TAG,
    body_media="multipart/form-data",
    response=PostOut,
    status=201,
)
def create_post(topic_id: int, body: str) -> Any:
    actor = api_user()
    where = _loaded(lambda: load_topic(topic_id, actor))
    require_api(where.access.write)
    data, files = _body(PostIn)
    quoted = (
        posts.quotable(where.topic, data.reply_to, actor, where.access.moderate) if data.reply_to else None
    )
    post = posts.reply(
        where.topic,
        actor,
        data.text,
        now=utcnow(),
        reply_to_id=data.reply_to,
        quote_author=quote_label(where.forum, quoted) if quoted is not None and data.quote else None,
        files=files,
        moderator=where.access.moderate,
    )
    return _single(post, where, actor), 201


@endpoint(
    "/topics/<int:topic_id>/posts",
    summary="A topic's posts in their order, paginated; in a Q&A topic a student gets the question "
    "and their own posts until they have answered (`withheld` counts the rest)",
    tag=TAG,
    query={"page": "integer", "per_page": "integer"},
    response=PostPage,
)
def list_posts(topic_id: int) -> Any:
    actor = api_user()
    where = _loaded(lambda: load_topic(topic_id, actor))
    page, per_page = page_params(default_per_page=50)
    shown = topic_view.topic_page(
        where.topic,
        kind=where.forum.kind,
        viewer_id=actor.id,
        moderator=where.access.moderate,
        now=utcnow(),
        page=page,
        per_page=per_page,
        edit_minutes=edit_minutes(),
    )
    names = author_labels(where.forum, where.access, [view.post.author for view in shown.posts.items])
    result = paginated(shown.posts, lambda view: post_json(view, names))
    result["withheld"] = shown.withheld
    result["topic"] = topic_json(where.topic)
    return result


@endpoint(
    "/posts/<int:post_id>",
    "PATCH",
    summary="Correct one's own post within the edit window (30 minutes; 409 after); the earlier text is kept",
    tag=TAG,
    body=EditIn,
    response=PostOut,
)
def edit_post(post_id: int, body: EditIn) -> Any:
    actor = api_user()
    post, where = _loaded(lambda: load_post(post_id, actor))
    require_api(post.author_id == actor.id)
    posts.edit_post(post, where.topic, actor, body.text, now=utcnow(), minutes=edit_minutes())
    return _single(post, where, actor)


@endpoint(
    "/posts/<int:post_id>/report",
    "POST",
    summary="Report a post to the forum's moderators (once per person per post; 409 the second time)",
    tag=TAG,
    body=ReportIn,
    response=ReportOut,
    status=201,
)
def report_post(post_id: int, body: ReportIn) -> Any:
    actor = api_user()
    post, where = _loaded(lambda: load_post(post_id, actor))
    report = moderation.report_post(post, where.topic, actor, body.reason, now=utcnow())
    return {"id": report.id, "post_id": post.id, "reason": report.reason}, 201


@endpoint(
    "/posts/<int:post_id>/hide",
    "POST",
    summary="Hide a post with a reason (the forum's moderators; 409 if already hidden)",
    tag=TAG,
    body=HideIn,
    response=PostOut,
)
def hide_post(post_id: int, body: HideIn) -> Any:
    actor = api_user()
    post, where = _loaded(lambda: load_post(post_id, actor))
    require_api(where.access.moderate)
    moderation.hide_post(post, where.topic, actor, body.reason, now=utcnow())
    return _single(post, where, actor)


@endpoint(
    "/topics/<int:topic_id>",
    "PATCH",
    summary="Pin or lock a topic, or undo it: {pinned?, locked?} (the forum's moderators; 409 when "
    "the topic already is so)",
    tag=TAG,
    body=TopicStateIn,
    response=TopicOut,
)
def change_topic(topic_id: int, body: TopicStateIn) -> Any:
    actor = api_user()
    where = _loaded(lambda: load_topic(topic_id, actor))
    require_api(where.access.moderate)
    if body.pinned is None and body.locked is None:
        raise ApiError(422, _("The data is invalid."), {"body": _("Give pinned or locked.")})
    if body.pinned is not None:
        topics.set_pinned(where.topic, actor, body.pinned)
    if body.locked is not None:
        topics.set_locked(where.topic, actor, body.locked)
    return topic_json(where.topic)


def _single(post: Post, where: InTopic, actor: Any) -> dict[str, Any]:
    view = topic_view.post_view(
        post,
        actor.id,
        where.access.moderate,
        where.topic.locked,
        utcnow(),
        edit_minutes(),
        files=attachments.attachments_of([post.id]).get(post.id, []),
    )
    author = db.session.get(User, post.author_id) if post.author_id else None
    names = author_labels(where.forum, where.access, [author])
    return post_json(view, names)


def _body(model: type[BaseModel]) -> tuple[Any, list[Any]]:
    """The body from JSON, or from multipart form fields with the files under `files`."""
    if request.mimetype == "multipart/form-data":
        raw: Any = {key: request.form.get(key) for key in request.form}
        if "reply_to" in raw:
            raw["reply_to"] = (
                int(raw["reply_to"]) if str(raw["reply_to"]).isdigit() else raw["reply_to"] or None
            )
        if "quote" in raw:
            raw["quote"] = raw["quote"] in ("1", "true", "on")
        files = request.files.getlist("files")
    else:
        raw, files = request_json(), []
    if not isinstance(raw, dict):
        raise ApiError(422, _("The body must be a JSON object."))
    try:
        return model.model_validate(raw), files
    except ValidationError as error:
        raise ApiError(422, _("The data is invalid."), validation_fields(error)) from None


def _loaded(load: Any) -> Any:
    try:
        return load()
    except Unreadable:
        raise not_found() from None
