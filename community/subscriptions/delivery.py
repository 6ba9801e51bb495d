"""Mail for subscribers (being written by the subscriptions use case).

`post_created` is the one call posting makes, in the posting transaction: letters to those who take
every post, and nothing for digest readers (the digest job reads the posts later).
"""

from __future__ import annotations

from community.forums.models import Forum, Post, Topic


def post_created(post: Post, topic: Topic, forum: Forum) -> None:
    """Queue the letters this new post causes (same transaction; the caller commits)."""
