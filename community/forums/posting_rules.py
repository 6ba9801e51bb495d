"""Pure rules of posting in a forum: a topic's title, a post's text, the edit window, quoting, who sees
the answers of a Q&A topic, and which files a post may carry. Plain values in, plain values out;
a refusal is a RuleError with a code and the field it concerns (community/forums/messages.py says it
in words)."""

from __future__ import annotations

from datetime import datetime, timedelta

from community.rules import RuleError as RuleError  # re-exported: callers write rules.RuleError
from community.rules import bounded_text

TITLE_MAX_CHARS = 300  # the column's width
POST_MAX_CHARS = 20_000  # a long methodical letter fits; a pasted book does not
REASON_MAX_CHARS = 500
EDIT_MINUTES = 30
QUOTE_MAX_CHARS = 2_000  # a quote longer than this is cut with «…»

# Files a post may carry: documents, images, PDF and zip archives (their content is sniffed by the
# upload path: an image or a PDF must really be one). No executables, no HTML, no SVG.
ATTACHMENT_EXTENSIONS = frozenset(
    {
        "pdf",
        "doc",
        "docx",
        "odt",
        "rtf",
        "txt",
        "ppt",
        "pptx",
        "odp",
        "xls",
        "xlsx",
        "ods",
        "csv",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "zip",
    }
)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_MAX = 5


def topic_title(title: object) -> str:
    """The title as stored: stripped, one line, not empty, at most TITLE_MAX_CHARS characters."""
    cleaned = " ".join(title.split()) if isinstance(title, str) else ""
    if not cleaned:
        raise RuleError("title_empty", "title")
    if len(cleaned) > TITLE_MAX_CHARS:
        raise RuleError("too_long", "title", limit=TITLE_MAX_CHARS)
    return cleaned


def post_text(text: object) -> str:
    """The post as stored: trailing spaces stripped, not empty, at most POST_MAX_CHARS characters."""
    return bounded_text(text, field="text", limit=POST_MAX_CHARS, empty="post_empty")


def reason_text(text: object, *, required: bool) -> str:
    """A moderator's reason for hiding (required) or a reader's reason for a report (optional)."""
    return bounded_text(text, field="reason", limit=REASON_MAX_CHARS, required=required)


def editable_until(created_at: datetime, minutes: int = EDIT_MINUTES) -> datetime:
    return created_at + timedelta(minutes=minutes)


def within_edit_window(created_at: datetime, now: datetime, minutes: int = EDIT_MINUTES) -> bool:
    return now <= editable_until(created_at, minutes)


def check_edit_window(created_at: datetime, now: datetime, minutes: int = EDIT_MINUTES) -> None:
    if not within_edit_window(created_at, now, minutes):
        raise RuleError("edit_window_closed", "text", minutes=minutes)


def quote_block(header: str, text: str) -> str:
    """The quoted post as a Markdown blockquote under a header naming its author, followed by an
    empty line for the reply. Nested quotes are dropped (a quote of a quote grows without end) and a
    long text is cut."""
    lines = [line for line in text.strip().splitlines() if not line.lstrip().startswith(">")]
    body = "\n".join(lines).strip()
    if len(body) > QUOTE_MAX_CHARS:
        body = body[:QUOTE_MAX_CHARS].rstrip() + " …"
    quoted = "\n".join(f"> {line}".rstrip() for line in [f"**{header}**", *body.splitlines()])
    return quoted + "\n\n"


def with_quote(quote: str, text: str) -> str:
    """The reply as stored when it quotes a post: the quote first, then the reply's own words."""
    return quote + text.strip()


def sees_all_answers(*, qa: bool, moderator: bool, has_own_answer: bool) -> bool:
    """In a Q&A topic a student (anyone who does not moderate the forum) sees the others' answers
    only after posting their own, so nobody copies the first good answer; elsewhere everyone does.
    The opening post (the question) is always visible."""
    return not qa or moderator or has_own_answer


def check_attachment_count(count: int) -> None:
    if count > ATTACHMENTS_MAX:
        raise RuleError("too_many_files", "files", limit=ATTACHMENTS_MAX)
