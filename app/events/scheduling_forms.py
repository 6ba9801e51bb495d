"""The event form of a host: it checks shapes (types, lengths, choices); the scheduling service checks
the rules (start in the future, duration, seats, link, deadline, address, association)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.extensions import db
from app.forms_common import (
    DateTimeLocalField,
    IntegerField,
    MarkdownField,
    institution_choices,
    select_options,
    strip_whitespace,
    timezone_choices,
)
from app.i18n import _
from app.i18n import lazy_ as _l
from app.input_guard import bounded_int
from community.associations.models import Association
from community.events.event_rules import ADDRESS_MAX, DESCRIPTION_MAX, GRADES, LINK_MAX, TITLE_MAX
from community.events.labels import AUDIENCE_LABELS, FORMAT_LABELS, KIND_LABELS
from community.events.scheduling import EventInput
from community.subjects import all_subjects

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind"))
    title = StringField(
        _l("Title"), filters=[strip_whitespace], validators=[DataRequired(), Length(max=TITLE_MAX)]
    )
    description = MarkdownField(
        _l("Description (Markdown)"),
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        render_kw={"rows": 6},
    )
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMAT, validators=[InputRequired()])
    duration_minutes = IntegerField(_l("Duration, minutes"), validators=[InputRequired()], default=90)
    timezone = SelectField(_l("Time zone of the start"))
    weekly_until = DateField(
        _l("Repeat every week until"),
        validators=[Optional()],
        description=_l("Leave empty for a single event; the series keeps the same local time every week."),
    )
    format = SelectField(_l("Format"))
    link = StringField(
        _l("Video-conference link"),
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=LINK_MAX)],
        description=_l("Shown only to the registered and the hosts."),
    )
    address = StringField(
        _l("Address"), filters=[strip_whitespace], validators=[Optional(), Length(max=ADDRESS_MAX)]
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[Optional()],
        description=_l("Leave empty for no limit; the rest wait in a queue."),
    )
    audience = SelectField(_l("Who may register"))
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"), format=DATETIME_FORMAT, validators=[Optional()]
    )
    institution_id = SelectField(_l("Host institution"), coerce=bounded_int)
    association_id = SelectField(_l("Methodical association"), coerce=bounded_int)
    subjects = SelectMultipleField(_l("Subjects"), coerce=bounded_int, render_kw={"size": 6})
    grades = SelectMultipleField(_l("School grades"), coerce=bounded_int, render_kw={"size": 6})
    questions = TextAreaField(
        _l("Questions on the registration form"),
        validators=[Optional(), Length(max=5_000)],
        render_kw={"rows": 3},
        description=_l("One question a line, e.g. «Which class do you teach?»"),
    )
    invitees = TextAreaField(
        _l("Invited colleagues"),
        validators=[Optional(), Length(max=20_000)],
        render_kw={"rows": 3},
        description=_l("E-mail addresses, one a line: for an event by invitation."),
    )

    def fill_choices(self, locale: str, association_ids: list[int] | None) -> None:
        """`association_ids` None: every association (those who run the calendar); else the led ones."""
        self.kind.choices = select_options((value, str(label)) for value, label in KIND_LABELS.items())
        self.format.choices = select_options((value, str(label)) for value, label in FORMAT_LABELS.items())
        self.audience.choices = select_options(
            (value, str(label)) for value, label in AUDIENCE_LABELS.items()
        )
        self.timezone.choices = select_options(timezone_choices(self.timezone.data))
        self.institution_id.choices = select_options(institution_choices())
        query = select(Association.id, Association.name).order_by(Association.name)
        if association_ids is not None:
            query = query.where(Association.id.in_(association_ids))
        self.association_id.choices = select_options([(0, _("— none —")), *db.session.execute(query).all()])
        self.subjects.choices = select_options((s.id, s.label(locale)) for s in all_subjects())
        self.grades.choices = select_options((g, _("Grade %(number)s", number=g)) for g in GRADES)

    def event_input(self) -> EventInput:
        return EventInput(
            kind=self.kind.data or "",
            title=self.title.data or "",
            description=self.description.data or "",
            starts_at=self.starts_at.data,
            duration_minutes=self.duration_minutes.data or 0,
            timezone=self.timezone.data or "",
            format=self.format.data or "",
            link=self.link.data or "",
            address=self.address.data or "",
            capacity=self.capacity.data,
            audience=self.audience.data or "",
            registration_closes_at=self.registration_closes_at.data,
            institution_id=self.institution_id.data or None,
            association_id=self.association_id.data or None,
            subject_ids=list(self.subjects.data or []),
            grades=list(self.grades.data or []),
            questions=(self.questions.data or "").splitlines(),
            invitee_emails=(self.invitees.data or "").split(),
            weekly_until=self.weekly_until.data,
        )

    def fill_from(
        self, event: Any, local_start: Any, local_closes: Any, subject_ids: list[int], emails: list[str]
    ) -> None:
        for name in (
            "kind",
            "title",
            "description",
            "duration_minutes",
            "timezone",
            "format",
            "link",
            "address",
        ):
            getattr(self, name).data = (
                str(getattr(event, name)) if name in ("kind", "format") else getattr(event, name)
            )
        self.capacity.data = event.capacity
        self.audience.data = str(event.audience)
        self.starts_at.data = local_start
        self.registration_closes_at.data = local_closes
        self.institution_id.data = event.institution_id or 0
        self.association_id.data = event.association_id or 0
        self.subjects.data = subject_ids
        self.grades.data = list(event.grades or [])
        self.questions.data = "\n".join(str(q.get("text", "")) for q in event.questions or [])
        self.invitees.data = "\n".join(emails)


def _labelled(labels: dict[str, Any]) -> Any:
    return select_options((value, str(label)) for value, label in labels.items())
