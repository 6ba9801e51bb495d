"""Forms of the attendance pages: the attendee's check-in and feedback, the host's recording and
library materials. Each limit is the pure rules' one, so the form and the API refuse alike."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms_common import select_options, strip_whitespace
from app.i18n import lazy_
from community.events.attendance_rules import COMMENT_LIMIT, URL_LIMIT


class CheckInForm(FlaskForm):
    code = StringField(
        lazy_("Check-in code"),
        filters=[strip_whitespace],
        validators=[DataRequired(), Length(max=32)],
        description=lazy_("The host shows the code during the event."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class FeedbackForm(FlaskForm):
    score = RadioField(
        lazy_("How useful was the event?"),
        choices=select_options((str(n), str(n)) for n in (5, 4, 3, 2, 1)),
        validators=[DataRequired()],
        description=lazy_("5 is the best."),
    )
    comment = TextAreaField(
        lazy_("Comment"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=COMMENT_LIMIT)],
        description=lazy_("The host reads the comments without your name."),
    )


class RecordingForm(FlaskForm):
    recording_url = StringField(
        lazy_("Address of the video recording"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=URL_LIMIT)],
        description=lazy_("The address of the recording (http:// or https://); leave empty to remove it."),
    )


class MaterialForm(FlaskForm):
    material = StringField(
        lazy_("Library material"),
        filters=[strip_whitespace],
        validators=[DataRequired(), Length(max=URL_LIMIT)],
        description=lazy_("The number or the address of a published material, e.g. /library/materials/12."),
    )
