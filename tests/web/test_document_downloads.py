"""Every document is delivered the same way: an attachment under a readable Russian name (RFC 5987
`filename*`, an ASCII `filename` besides), `nosniff`; and only to the people it belongs to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from app import certificates
from app.certificates import CertificateKind
from app.extensions import db
from app.timeutil import utcnow
from community.events.certificate_issuing import issue_earned_certificates
from community.events.models import EventRegistration
from contest_engine.models import Award
from courses import progress
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import InstitutionFactory, juror, organiser, student, teacher
from tests.factories.contests import (
    DivisionFactory,
    ParticipationFactory,
    StageFactory,
    contest_with_organiser,
)
from tests.factories.events import EventFactory, registration
from tests.factories.library_certificates import certified_material

ISSUED = datetime(2026, 11, 9, 20, 0, tzinfo=UTC)


def assert_delivered(response, name: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _diploma() -> tuple[Award, object]:
    contest, _user = contest_with_organiser(title="Олимпиада «Эрудит»", timezone="Asia/Novosibirsk")
    division = DivisionFactory(contest=contest)
    pupil = student(full_name="Анна Петрова", institution=InstitutionFactory())
    participation = ParticipationFactory(contest=contest, user=pupil, division=division)
    award = Award(
        contest_id=contest.id, division_id=division.id, participation_id=participation.id, title="Призёр"
    )
    db.session.add(award)
    db.session.flush()
    award.certificate_code = certificates.issue(
        kind=CertificateKind.DIPLOMA,
        user_id=pupil.id,
        holder=pupil.full_name,
        title="Призёр — Олимпиада «Эрудит»",
        source_type="award",
        source_id=award.id,
        now=ISSUED,
    ).code
    db.session.commit()
    return award, pupil


def test_a_diploma_is_an_attachment_named_for_its_holder(client) -> None:  # type: ignore[no-untyped-def]
    award, pupil = _diploma()
    url = f"/contests/awards/{award.id}/diploma.pdf"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(client, pupil)
    assert_delivered(client.get(url), "Диплом — Анна Петрова.pdf")
    assert f'filename="{award.certificate_code}.pdf"' in client.get(url).headers["Content-Disposition"]


def test_someone_elses_diploma_is_not_found(client) -> None:  # type: ignore[no-untyped-def]
    award, _pupil = _diploma()
    login(client, student())
    assert client.get(f"/contests/awards/{award.id}/diploma.pdf").status_code == 404


def test_a_jury_certificate_goes_to_its_juror_only(client) -> None:  # type: ignore[no-untyped-def]
    contest, _user = contest_with_organiser(title="Учитель года")
    stage = StageFactory(contest=contest, title="Финал")
    member = juror(full_name="Светлана Кузнецова")
    code = certificates.issue(
        kind=CertificateKind.JURY,
        user_id=member.id,
        holder=member.full_name,
        title="Учитель года: Финал",
        source_type="jury_stage",
        source_id=stage.id,
        now=ISSUED,
    ).code
    db.session.commit()
    login(client, juror())
    assert client.get(f"/jury/certificates/{code}.pdf").status_code == 403
    client.post("/auth/logout")
    login(client, member)
    assert_delivered(
        client.get(f"/jury/certificates/{code}.pdf"), "Сертификат члена жюри — Светлана Кузнецова.pdf"
    )


def test_a_publication_certificate_is_delivered_the_same_way(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher(full_name="Ирина Соколова")
    material = certified_material(author, title="Сложение дробей")
    db.session.commit()
    login(client, author)
    response = client.get(f"/library/materials/{material.id}/certificate.pdf")
    assert_delivered(response, "Свидетельство о публикации — Ирина Соколова.pdf")


def test_an_event_certificate_is_delivered_the_same_way(client) -> None:  # type: ignore[no-untyped-def]
    start = (utcnow() - timedelta(hours=3)).replace(microsecond=0)
    event = EventFactory(starts_at=start, ends_at=start + timedelta(minutes=90))
    person = teacher(full_name="Мария Орлова")
    registration(event, person)
    db.session.query(EventRegistration).update({"attended_at": start})
    db.session.commit()
    issue_earned_certificates(utcnow())  # attendance recorded without one: the clock issues it
    login(client, person)
    response = client.get(f"/events/{event.id}/certificate.pdf")
    assert_delivered(response, "Сертификат участника мероприятия — Мария Орлова.pdf")


def test_the_portfolio_is_delivered_the_same_way(client) -> None:  # type: ignore[no-untyped-def]
    owner = teacher(full_name="Ирина Соколова")
    certified_material(owner, title="Сложение дробей")
    db.session.commit()
    login(client, owner)
    response = client.get(f"/portfolio/{owner.id}.pdf")
    assert_delivered(response, "Портфолио — Ирина Соколова.pdf")
    assert f'filename="portfolio-{owner.id}.pdf"' in response.headers["Content-Disposition"]


def test_an_organiser_of_another_contest_gets_no_diploma(client) -> None:  # type: ignore[no-untyped-def]
    award, _pupil = _diploma()
    contest_with_organiser(other := organiser())
    login(client, other)
    assert client.get(f"/contests/awards/{award.id}/diploma.pdf").status_code == 404


def test_a_course_certificate_is_delivered_the_same_way(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course(title="Смешанное обучение", hours=36)
    lesson = cf.page(cf.module(course), "Введение", completion="viewed")
    learner = cf.enrolled(course, teacher(full_name="Пётр Сидоров"))
    progress.mark_viewed(lesson, learner, utcnow())
    db.session.commit()
    login(client, learner)
    response = client.post(f"/courses/{course.id}/certificate")  # the first download issues it: a POST
    assert_delivered(response, "Удостоверение о повышении квалификации — Пётр Сидоров.pdf")
