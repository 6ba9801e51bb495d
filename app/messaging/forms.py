"""Forms of direct messages: shapes only; the messaging services check the rules and say why by the
field (an empty or oversized text, writing to oneself)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField

from app.forms_common import strip_whitespace
from app.i18n import lazy_
from community.messaging.rules import MESSAGE_MAX_CHARS, REASON_MAX_CHARS


class MessageForm(FlaskForm):
    text = TextAreaField(
        lazy_("Message"), filters=[strip_whitespace], render_kw={"rows": 4, "maxlength": MESSAGE_MAX_CHARS}
    )


class ReportForm(FlaskForm):
    reason = TextAreaField(
        lazy_("What is wrong with it (optional)"),
        filters=[strip_whitespace],
        render_kw={"rows": 2, "maxlength": REASON_MAX_CHARS},
    )
