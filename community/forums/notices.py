"""In-app notifications a new post causes (being written by the notifications use case): replies to
one's posts and @mentions. Posting calls `post_created` in its transaction."""

from __future__ import annotations

from community.forums.models import Forum, Post, Topic


def post_created(post: Post, topic: Topic, forum: Forum) -> None:
    """Notify the people this post concerns (same transaction; the caller commits)."""
