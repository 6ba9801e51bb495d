"""Contest room: the papers a contest prints — an award's diploma (or, for an award titled
«Участник», a participation certificate) and a juror's certificate of jury work — as
app.documents Papers. Each names the contest and the award in words, the organisers' institutions,
and is dated in the contest's zone. The web renders them; the domain builds no URLs."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts import Role, User
from app.certificates import Certificate
from app.documents.paper import Paper, Signature, names_joined
from app.extensions import db
from app.i18n import _, force_locale
from contest_engine.jury.models import ScoreSheet, SheetState
from contest_engine.models import (
    Award,
    Contest,
    ContestKind,
    ContestOrganiser,
    Division,
    Participation,
    Stage,
)

PARTICIPANT_TITLES = frozenset({"участник", "participant"})


def award_paper(award: Award, contest: Contest, certificate: Certificate | None = None) -> Paper:
    """The award's diploma as printed and as /verify describes it."""
    participation = db.session.get_one(Participation, award.participation_id)
    user = db.session.get_one(User, participation.user_id)
    division = db.session.get_one(Division, award.division_id)
    if certificate is None and award.certificate_code:
        certificate = db.session.scalar(select(Certificate).where(Certificate.code == award.certificate_code))
    divisions = db.session.scalar(select(func.count(Division.id)).where(Division.contest_id == contest.id))
    participant = award.title.strip().lower() in PARTICIPANT_TITLES
    organiser, chair = _issuer(contest)
    with force_locale("ru"):
        achieved = _achievement(contest, award.title.strip())
        statement = [achieved]
        if (divisions or 0) > 1:
            statement.append(_("nomination «%(name)s»", name=division.name))
        note = [participation.institution_name]
        if participation.grade:
            note.append(_("grade %(grade)s", grade=participation.grade))
        return Paper(
            kind_label=_("Certificate of participation") if participant else _("Diploma"),
            heading=_("CERTIFICATE (heading)") if participant else _("DIPLOMA"),
            subheading=_("of a participant") if participant else "",
            preamble=_("this is to certify that") if participant else _("is awarded to"),
            holder=certificate.holder if certificate else user.full_name,
            holder_note=names_joined(note),
            statement=tuple(statement),
            certifies=", ".join(statement),
            award=award.title,
            organiser=organiser,
            signatures=(chair,),
            issued_at=certificate.issued_at if certificate else award.computed_at,
            zone=contest.timezone,
            code=award.certificate_code or "",
            minor=user.role == Role.STUDENT or contest.kind != ContestKind.TEACHER,
        )


def award_certificate_paper(certificate: Certificate) -> Paper | None:
    """The Paper of a diploma's certificate row, or None when its award is gone."""
    award = db.session.get(Award, certificate.source_id)
    if award is None:
        return None
    return award_paper(award, db.session.get_one(Contest, award.contest_id), certificate)


def jury_paper(certificate: Certificate) -> Paper | None:
    """A juror's certificate of jury work on one stage: the contest, the stage and the entries
    scored, in words. None when the stage is gone."""
    stage = db.session.get(Stage, certificate.source_id)
    if stage is None:
        return None
    contest = db.session.get_one(Contest, stage.contest_id)
    scored = db.session.scalar(
        select(func.count(ScoreSheet.id)).where(
            ScoreSheet.stage_id == stage.id,
            ScoreSheet.juror_id == certificate.user_id,
            ScoreSheet.state == SheetState.SUBMITTED,
        )
    )
    organiser, chair = _issuer(contest)
    with force_locale("ru"):
        statement = [_jury_member(contest), _("stage «%(name)s»", name=stage.title)]
        if scored:
            statement.append(_("entries scored: %(n)d", n=scored))
        return Paper(
            kind_label=_("Certificate of a jury member"),
            heading=_("CERTIFICATE (heading)"),
            subheading=_("of a jury member"),
            preamble=_("this is to certify that"),
            holder=certificate.holder,
            statement=tuple(statement),
            certifies=", ".join(statement[:2]),
            organiser=organiser,
            signatures=(chair,),
            issued_at=certificate.issued_at,
            zone=contest.timezone,
            code=certificate.code,
        )


def _issuer(contest: Contest) -> tuple[str, Signature]:
    """Who issues the contest's papers (one query): the organisers' institutions, the creator's
    first (their names when none belongs to an institution), and the organising committee's chair
    who signs — the contest's creator, else its first organiser."""
    people = list(
        db.session.scalars(
            select(User)
            .join(ContestOrganiser, ContestOrganiser.user_id == User.id)
            .where(ContestOrganiser.contest_id == contest.id)
            .order_by((User.id == (contest.created_by_id or 0)).desc(), User.full_name)
        )
    )
    institutions = names_joined([p.institution.name for p in people if p.institution is not None])
    with force_locale("ru"):
        chair = Signature(_("Chair of the organising committee"), people[0].full_name if people else "")
    return institutions or names_joined([p.full_name for p in people]), chair


def _achievement(contest: Contest, award: str) -> str:
    """«Победитель олимпиады «…»»: the award and the contest in one phrase (call inside force_locale)."""
    award = award[:1].upper() + award[1:]
    if contest.kind == ContestKind.OLYMPIAD:
        return _("%(award)s of the olympiad «%(title)s»", award=award, title=contest.title)
    if contest.kind == ContestKind.CONFERENCE:
        return _("%(award)s of the conference «%(title)s»", award=award, title=contest.title)
    return _("%(award)s of the contest «%(title)s»", award=award, title=contest.title)


def _jury_member(contest: Contest) -> str:
    if contest.kind == ContestKind.OLYMPIAD:
        return _("Member of the jury of the olympiad «%(title)s»", title=contest.title)
    if contest.kind == ContestKind.CONFERENCE:
        return _("Member of the jury of the conference «%(title)s»", title=contest.title)
    return _("Member of the jury of the contest «%(title)s»", title=contest.title)
