"""Contest room: an award printed as a Russian diploma PDF with its verification code and QR.
The web passes the verification address in; the domain builds no URLs."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts import User
from app.certificates import Certificate
from app.extensions import db
from app.i18n import _
from app.pdf import render_certificate_pdf
from contest_engine.models import Award, Contest, Division, Participation
from contest_engine.rules.scoring import display


def diploma_pdf(award: Award, contest: Contest, *, verify_url: str) -> bytes:
    """The award's diploma; `verify_url` is the public page that checks its code."""
    participation = db.session.get(Participation, award.participation_id)
    assert participation is not None
    user = db.session.get(User, participation.user_id)
    division = db.session.get(Division, award.division_id)
    assert user is not None and division is not None and award.certificate_code
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == award.certificate_code))
    lines = [_("Division: %(name)s", name=division.name)]
    if award.rank is not None:
        lines.append(_("Place: %(rank)s", rank=award.rank))
    if award.score is not None:
        lines.append(_("Score: %(score)s", score=display(award.score)))
    if participation.institution_name:
        lines.append(participation.institution_name)
    issued = certificate.issued_at if certificate is not None else award.computed_at
    return bytes(
        render_certificate_pdf(
            heading=_("Diploma"),
            holder=user.full_name,
            title=f"{award.title} — {contest.title}",
            lines=lines,
            code=award.certificate_code,
            verify_url=verify_url,
            issued_on=issued.date(),
        )
    )
