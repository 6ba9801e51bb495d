"""Subscriptions: the texts of the letters, each in its recipient's language — a letter per post and
the daily digest (full texts grouped by place, forum and topic) — with the one-click unsubscribe
link in the text and in the List-Unsubscribe headers (RFC 8058)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_datetime

from app.i18n import _, force_locale
from app.timeutil import to_zone
from community.forums.models import Forum, ForumScope, Post, Topic

# Contest forums may be read by jurors of a blind stage: letters never name a post's author there.
NAMELESS_SCOPES = (ForumScope.CONTEST, ForumScope.STAGE, ForumScope.DIVISION)


@dataclass(frozen=True)
class Reader:
    id: int
    email: str
    locale: str
    timezone: str


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers a mail client's own "unsubscribe" button uses: a POST to `url` turns it off."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def author_label(forum: Forum, name: str | None) -> str:
    if name is None or forum.scope in NAMELESS_SCOPES:
        return _("A member")
    return name


def why(level: str, forced: bool, forum: Forum, topic: Topic, place: str) -> str:
    """Why the person gets the letter, naming the subscription its link turns off."""
    if forced:
        return _("You receive the news of “%(place)s” because you are in it.", place=place or forum.title)
    if level == "topic":
        return _("You follow the topic “%(title)s”.", title=topic.title)
    if level == "association":
        return _("You follow the forums of the association “%(place)s”.", place=place)
    return _("You follow the forum “%(title)s”.", title=forum.title)


@dataclass
class PostLetter:
    """A post's letter for one language: the same text for everyone but the unsubscribe link."""

    subject: str
    head: str


def post_letter(
    post: Post, topic: Topic, forum: Forum, author: str | None, place: str, url: str
) -> PostLetter:
    """Call inside `force_locale(reader's locale)`."""
    where = f"{place} — {forum.title}" if place else forum.title
    head = "\n\n".join(
        [
            _(
                "%(author)s wrote in the topic “%(topic)s” (%(where)s):",
                author=author_label(forum, author),
                topic=topic.title,
                where=where,
            ),
            post.text,
            _("Open the post: %(url)s", url=url),
        ]
    )
    return PostLetter(subject=f"[{forum.title}] {topic.title}", head=head)


def post_footer(reason: str, unsubscribe_url: str, subscriptions_url: str) -> str:
    return "\n".join(
        [
            "-- ",
            reason,
            _("Unsubscribe in one click: %(url)s", url=unsubscribe_url),
            _("All your subscriptions: %(url)s", url=subscriptions_url),
        ]
    )


@dataclass(frozen=True)
class DigestPost:
    post: Post
    topic: Topic
    forum: Forum
    author: str | None
    url: str


@dataclass(frozen=True)
class DigestSection:
    """One forum's new posts for one person, with the link that turns off what brought them."""

    forum: Forum
    place: str
    posts: list[DigestPost]
    unsubscribe_url: str
    forced: bool


MARK = "\x00url\x00"  # where a person's own link goes in a text shared by many


class DigestWriter:
    """Writes a batch's digests. Most people of a batch read the same sections in the same language
    and time zone: each section's text, and each language's frame, is written once and only the
    person's own links are put in (20,000 digests are seconds, not minutes of Babel)."""

    def __init__(self) -> None:
        self._sections: dict[tuple[object, ...], str] = {}
        self._frames: dict[tuple[str, int, int], tuple[str, str, str]] = {}

    def letter(
        self,
        reader: Reader,
        sections: list[DigestSection],
        notes: list[tuple[str, str]],
        *,
        unsubscribe_all: str,
        subscriptions_url: str,
    ) -> tuple[str, str]:
        """(subject, body) of a person's digest, in their language and time zone: `notes` are the
        notifications they want in the digest, as (text, absolute link)."""
        count = sum(len(section.posts) for section in sections)
        subject, intro, footer = self._frame(reader.locale or "ru", count, len(notes))
        parts = [intro] if intro else []
        parts += [self._section(reader, section) for section in sections]
        if notes:
            with force_locale(reader.locale or "ru"):
                heading = _("Notifications")
            lines = [f"=== {heading} ==="]
            lines += [f"\n{text}\n{link}" if link else f"\n{text}" for text, link in notes]
            parts.append("\n".join(lines))
        parts.append(footer.replace(MARK, unsubscribe_all, 1).replace(MARK, subscriptions_url, 1))
        return subject, "\n\n".join(parts)

    def _frame(self, locale: str, count: int, notes: int) -> tuple[str, str, str]:
        key = (locale, count, notes)
        if key not in self._frames:
            with force_locale(locale):
                if count:
                    subject = _("Forum digest: new posts (%(count)s)", count=count)
                else:
                    subject = _("Daily digest: notifications (%(count)s)", count=notes)
                intro = _("New posts in the forums you follow since the last digest.") if count else ""
                footer = "\n".join(
                    [
                        "-- ",
                        _("Stop the daily digest in one click: %(url)s", url=MARK),
                        _("All your subscriptions: %(url)s", url=MARK),
                    ]
                )
            self._frames[key] = (subject, intro, footer)
        return self._frames[key]

    def _section(self, reader: Reader, section: DigestSection) -> str:
        key = (reader.locale, reader.timezone, section.forced, tuple(item.post.id for item in section.posts))
        if key not in self._sections:
            with force_locale(reader.locale or "ru"):
                self._sections[key] = _section(reader, section)
        return self._sections[key].replace(MARK, section.unsubscribe_url, 1)


def _section(reader: Reader, section: DigestSection) -> str:
    title = f"{section.place} — {section.forum.title}" if section.place else section.forum.title
    lines = [f"=== {title} ==="]
    topic_id = None
    for item in section.posts:
        if item.topic.id != topic_id:
            topic_id = item.topic.id
            lines.append(f"\n--- {item.topic.title} ---")
        lines.append(
            f"\n{author_label(item.forum, item.author)}, {_moment(item.post.created_at, reader)}:\n"
            f"{item.post.text}\n{item.url}"
        )
    if section.forced:
        lines.append(
            "\n" + _("Course news comes to everyone in the course; choose how on your subscriptions page.")
        )
    else:
        lines.append("\n" + _("Unsubscribe from this forum: %(url)s", url=MARK))
    return "\n".join(lines)


def _moment(moment: datetime, reader: Reader) -> str:
    return format_datetime(to_zone(moment, reader.timezone), "d MMMM, HH:mm", locale=reader.locale or "ru")
