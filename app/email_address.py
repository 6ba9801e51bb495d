"""The one e-mail address check, used by every form, API schema and import of the site.

Addresses reach SMTP headers and the outbox, so a newline, a space or a missing domain must be
refused where the address is typed, not found when a letter fails. email-validator does the
syntax check (no DNS lookups: schools' intranets and the demo are not on the public DNS).
"""

from __future__ import annotations

from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator
from wtforms.validators import ValidationError

from app.i18n import _, lazy_

MAX_LENGTH = 254  # RFC 5321 path limit; the user.email column holds 255
# email-validator refuses special-use names such as `.local`; the demo (`…@vmeste.local`) and
# schools' mDNS intranets use them, so such an address is checked with a public stand-in suffix.
INTRANET_SUFFIX = ".local"
_STAND_IN = ".example"


class InvalidEmail(ValueError):
    """The text is not one e-mail address."""


def clean_email(text: str) -> str:
    """The address in its stored form (trimmed, lower case), or `InvalidEmail`."""
    address = text.strip()
    if not address or len(address) > MAX_LENGTH:
        raise InvalidEmail(address)
    intranet = address.lower().endswith(INTRANET_SUFFIX)
    probe = address[: -len(INTRANET_SUFFIX)] + _STAND_IN if intranet else address
    try:
        normalized = validate_email(probe, check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidEmail(address) from None
    if intranet:
        normalized = normalized[: -len(_STAND_IN)] + INTRANET_SUFFIX
    return normalized.lower()


def is_valid_email(text: str) -> bool:
    try:
        clean_email(text)
    except InvalidEmail:
        return False
    return True


def invalid_email_message(value: str | None = None) -> str:
    if value:
        return _("“%(value)s” is not an e-mail address.", value=value)
    return _("Enter a valid e-mail address.")


class EmailAddress:
    """WTForms validator (replaces wtforms' `Email()`, which needs a separate package and differs)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not is_valid_email(str(field.data)):
            raise ValidationError(lazy_("Enter a valid e-mail address."))


def _checked(value: str) -> str:
    try:
        return clean_email(value)
    except InvalidEmail:
        raise ValueError(invalid_email_message()) from None


# pydantic field type for API schemas: the stored form, or a 422 with the field's message.
Email = Annotated[str, AfterValidator(_checked)]
