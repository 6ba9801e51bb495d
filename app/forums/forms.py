"""Forms of posting in a forum: they check shapes only; the posting services check the rules (empty
or oversized text, the post replied to, the files, the edit window) and say why by the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, StringField, TextAreaField

from app.forms_common import MarkdownField, strip_whitespace
from app.i18n import lazy_ as _l
from community.forums.posting_rules import (
    ATTACHMENTS_MAX,
    POST_MAX_CHARS,
    REASON_MAX_CHARS,
    TITLE_MAX_CHARS,
)

FILES_HELP = _l(
    "Up to 5 files of 10 MB each: documents (DOC, DOCX, ODT, RTF, TXT, PDF), presentations, spreadsheets, "
    "images (PNG, JPG, GIF, WebP) and ZIP archives."
)


def _files() -> MultipleFileField:
    return MultipleFileField(
        _l("Files"), description=FILES_HELP, render_kw={"data-max-files": ATTACHMENTS_MAX}
    )


def _text(label: object, rows: int) -> TextAreaField:
    return MarkdownField(
        label,
        filters=[strip_whitespace],
        description=_l("Markdown is supported: **bold**, *italics*, lists, > quotes."),
        render_kw={"rows": rows, "maxlength": POST_MAX_CHARS},
    )


class TopicForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip_whitespace], render_kw={"maxlength": TITLE_MAX_CHARS})
    text = _text(_l("Message"), 8)
    files = _files()


class ReplyForm(FlaskForm):
    text = _text(_l("Your reply"), 6)
    files = _files()
    reply_to = HiddenField()

    def reply_to_id(self) -> int | None:
        """The post replied to, or None; a malformed value is an unknown post, not "no post"."""
        raw = (self.reply_to.data or "").strip()
        if not raw:
            return None
        return int(raw) if raw.isdigit() and len(raw) < 10 else 0


class EditPostForm(FlaskForm):
    text = _text(_l("Message"), 8)


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong with it (optional)"),
        filters=[strip_whitespace],
        render_kw={"rows": 3, "maxlength": REASON_MAX_CHARS},
    )


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for hiding"),
        filters=[strip_whitespace],
        description=_l("The post's author sees it."),
        render_kw={"rows": 3, "maxlength": REASON_MAX_CHARS},
    )
