"""Forms of a material's discussion: they check shapes only; the discussion services check the
rules (empty or too long text, the thread, the edit window, the stars) and say why by the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField

from app.forms_common import select_options, strip_whitespace
from app.i18n import lazy_ as _l
from community.library.discussion_rules import COMMENT_MAX_CHARS, REASON_MAX_CHARS


class CommentForm(FlaskForm):
    text = TextAreaField(
        _l("Comment"),
        filters=[strip_whitespace],
        description=_l("Markdown is supported."),
        render_kw={"rows": 4, "maxlength": COMMENT_MAX_CHARS},
    )
    parent_id = HiddenField()

    def parent(self) -> int | None:
        """The comment replied to, or None; a malformed value is an unknown parent, not a top comment."""
        raw = (self.parent_id.data or "").strip()
        if not raw:
            return None
        return int(raw) if raw.isdigit() and len(raw) < 12 else -1


class EditCommentForm(FlaskForm):
    text = TextAreaField(
        _l("Comment"), filters=[strip_whitespace], render_kw={"rows": 6, "maxlength": COMMENT_MAX_CHARS}
    )


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
        description=_l("The comment's author sees it."),
        render_kw={"rows": 3, "maxlength": REASON_MAX_CHARS},
    )


class RatingForm(FlaskForm):
    stars = RadioField(
        _l("Your rating"),
        choices=select_options((str(n), str(n)) for n in range(1, 6)),
        validate_choice=False,  # the rating service refuses anything but 1..5, by this field
    )

    def value(self) -> object:
        """The stars as a whole number when they look like one, else the raw text (to be refused)."""
        raw = (self.stars.data or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 3 else raw


class BookmarkForm(FlaskForm):
    on = HiddenField(default="1")
    back = HiddenField()  # "bookmarks": return to "my bookmarks" rather than the material
