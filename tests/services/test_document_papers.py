"""Every document kind prints the organiser, what it is for (the contest and the award in words, or
the course and its hours), the issue date in the ISSUER's zone and its code; the same Paper feeds the
check page, so the paper and /verify agree."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader
from sqlalchemy import delete

from app import certificates
from app.certificates import Certificate, CertificateKind
from app.documents.layout import render_paper
from app.documents.paper import Paper, grouped_code
from app.documents.sources import paper_for
from app.extensions import db
from community.events.event_certificates import event_paper
from contest_engine.diplomas import award_paper
from contest_engine.models import Award, Contest, ContestKind
from courses.certificates import course_paper
from courses.models import CourseMember
from tests.factories import courses as cf
from tests.factories.accounts import InstitutionFactory, methodist, organiser, student, teacher
from tests.factories.community import AssociationFactory, add_member
from tests.factories.contests import (
    DivisionFactory,
    ParticipationFactory,
    StageFactory,
    contest_with_organiser,
)
from tests.factories.events import EventFactory, host

EVENING = datetime(2026, 11, 9, 20, 0, tzinfo=UTC)  # 03:00 on 10 November in Novosibirsk, 23:00 in Moscow
LATE = datetime(2026, 11, 9, 21, 30, tzinfo=UTC)  # 00:30 on 10 November in Moscow


def pdf_text(paper: Paper) -> str:
    data = render_paper(paper, f"http://localhost/verify/{paper.code}")
    assert data.startswith(b"%PDF")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _award(title: str, *, kind: ContestKind = ContestKind.OLYMPIAD, divisions: int = 2) -> Award:
    chair = organiser(
        full_name="Ирина Павловна Смирнова", institution=InstitutionFactory(name="Гимназия № 1")
    )
    contest, _user = contest_with_organiser(
        chair, title="Областная олимпиада по биологии", kind=kind, timezone="Asia/Novosibirsk"
    )
    division = DivisionFactory(contest=contest, name="7–8 классы")
    for _ in range(divisions - 1):
        DivisionFactory(contest=contest)
    pupil = student(full_name="Анна Петрова", institution=InstitutionFactory(name="Школа № 5"))
    participation = ParticipationFactory(contest=contest, user=pupil, division=division, grade="7")
    award = Award(
        contest_id=contest.id, division_id=division.id, participation_id=participation.id, title=title, rank=1
    )
    db.session.add(award)
    db.session.flush()
    issued = certificates.issue(
        kind=CertificateKind.DIPLOMA,
        user_id=pupil.id,
        holder=pupil.full_name,
        title=f"{title} — {contest.title}",
        source_type="award",
        source_id=award.id,
        now=EVENING,
    )
    award.certificate_code = issued.code
    db.session.commit()
    return award


def test_a_diploma_names_the_contest_the_award_the_organiser_and_the_novosibirsk_date(app) -> None:  # type: ignore[no-untyped-def]
    award = _award("Победитель")
    paper = award_paper(award, db.session.get_one(Contest, award.contest_id))
    text = pdf_text(paper)
    for expected in (
        "ДИПЛОМ",
        "награждается",
        "Анна Петрова",
        "Победитель олимпиады «Областная олимпиада по биологии»",
        "номинация «7–8 классы»",
        "ГИМНАЗИЯ № 1",
        "Председатель оргкомитета",
        "Ирина Павловна Смирнова",
        "М. П.",
        "Дата выдачи: 10 ноября 2026 г.",
        grouped_code(award.certificate_code or ""),
        f"/verify/{award.certificate_code}",
    ):
        assert expected in text, expected
    assert "Школа № 5, 7 класс" in text  # the pupil's own paper names their school
    assert paper.minor and paper.award == "Победитель" and paper.issued_on.day == 10


def test_a_participant_gets_a_certificate_and_a_single_division_is_not_named(app) -> None:  # type: ignore[no-untyped-def]
    award = _award("Участник", kind=ContestKind.CONFERENCE, divisions=1)
    paper = award_paper(award, db.session.get_one(Contest, award.contest_id))
    text = pdf_text(paper)
    assert "СЕРТИФИКАТ" in text and "участника" in text and "ДИПЛОМ" not in text
    assert "Участник конференции «Областная олимпиада по биологии»" in text
    assert "номинация" not in text and paper.kind_label == "Сертификат участника"


def test_a_jury_certificate_names_the_contest_the_stage_and_the_entries(app) -> None:  # type: ignore[no-untyped-def]
    chair = organiser(full_name="Олег Иванов", institution=InstitutionFactory(name="ИМЦ Ленинского района"))
    contest, _user = contest_with_organiser(
        chair, title="Учитель года", kind=ContestKind.TEACHER, timezone="Asia/Novosibirsk"
    )
    stage = StageFactory(contest=contest, title="Финал")
    member = teacher(full_name="Светлана Кузнецова")
    issued = certificates.issue(
        kind=CertificateKind.JURY,
        user_id=member.id,
        holder=member.full_name,
        title=f"{contest.title}: {stage.title}",
        source_type="jury_stage",
        source_id=stage.id,
        now=EVENING,
    )
    db.session.commit()
    paper = paper_for(issued)
    text = pdf_text(paper)
    for expected in (
        "СЕРТИФИКАТ",
        "члена жюри",
        "Светлана Кузнецова",
        "Член жюри конкурса «Учитель года»",
        "этап «Финал»",
        "ИМЦ ЛЕНИНСКОГО РАЙОНА",
        "Олег Иванов",
        "Дата выдачи: 10 ноября 2026 г.",
        grouped_code(issued.code),
    ):
        assert expected in text, expected
    assert paper.certifies == "Член жюри конкурса «Учитель года», этап «Финал»"


def test_a_course_certificate_states_the_hours_the_institution_and_the_moscow_date(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher(
        full_name="Елена Викторовна Орлова",
        institution=InstitutionFactory(name="Институт развития образования"),
    )
    course = cf.course(author, title="Смешанное обучение", hours=72)
    pupil = teacher(full_name="Пётр Сидоров")
    issued = certificates.issue(
        kind=CertificateKind.COURSE,
        user_id=pupil.id,
        holder=pupil.full_name,
        title=course.title,
        source_type="course",
        source_id=course.id,
        details="72",
        now=LATE,
    )
    db.session.commit()
    paper = course_paper(course, issued)
    text = pdf_text(paper)
    for expected in (
        "УДОСТОВЕРЕНИЕ",
        "о повышении квалификации",
        "Пётр Сидоров",
        "«Смешанное обучение»",
        "в объёме 72 академических часов",
        "ИНСТИТУТ РАЗВИТИЯ ОБРАЗОВАНИЯ",
        "Руководитель курса",
        "Елена Викторовна Орлова",
        "Дата выдачи: 10 ноября 2026 г.",  # 00:30 in Moscow, the network's zone
        grouped_code(issued.code),
    ):
        assert expected in text, expected
    assert paper.hours == 72 and paper_for(issued).hours == 72


def test_one_hour_is_singular(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course(title="Краткий курс", hours=1)
    issued = certificates.issue(
        kind=CertificateKind.COURSE,
        user_id=None,
        holder="Пётр Сидоров",
        title=course.title,
        source_type="course",
        source_id=course.id,
        details="1",
        now=LATE,
    )
    assert "в объёме 1 академического часа" in pdf_text(course_paper(course, issued))


def test_an_event_certificate_is_dated_in_the_events_zone_and_signed_by_the_association_leader(app) -> None:  # type: ignore[no-untyped-def]
    association = AssociationFactory(name="МО учителей биологии")
    leader = methodist(full_name="Наталья Белова")
    add_member(association, leader, leader=True)
    event = EventFactory(
        title="Вебинар «Функциональная грамотность»",
        association_id=association.id,
        timezone="Asia/Yekaterinburg",
        starts_at=datetime(2026, 11, 9, 19, 30, tzinfo=UTC),  # 00:30 on 10 November in Yekaterinburg
        hours=2,
    )
    host(event, leader)
    attendee = teacher(full_name="Мария Орлова")
    issued = certificates.issue(
        kind=CertificateKind.EVENT_ATTENDANCE,
        user_id=attendee.id,
        holder=attendee.full_name,
        title=event.title,
        source_type="event",
        source_id=event.id,
        now=EVENING,
    )
    db.session.commit()
    text = pdf_text(event_paper(event, issued))
    for expected in (
        "СЕРТИФИКАТ",
        "участника мероприятия",
        "Мария Орлова",
        "принял(а) участие в вебинаре",
        "«Вебинар «Функциональная грамотность»»",
        "дата проведения: 10 ноября 2026 г.",
        "в объёме 2 академических часов",
        "МО УЧИТЕЛЕЙ БИОЛОГИИ",
        "Руководитель методического объединения",
        "Наталья Белова",
        "Дата выдачи: 10 ноября 2026 г.",
        grouped_code(issued.code),
    ):
        assert expected in text, expected


def test_a_document_whose_source_is_gone_is_read_from_its_row(app) -> None:  # type: ignore[no-untyped-def]
    issued = certificates.issue(
        kind=CertificateKind.COURSE,
        user_id=None,
        holder="Пётр Сидоров",
        title="Удалённый курс",
        source_type="course",
        source_id=987654,
        now=LATE,
    )
    db.session.commit()
    paper = paper_for(db.session.get_one(Certificate, issued.id))
    assert paper.kind_label == "Удостоверение о повышении квалификации"
    assert paper.certifies == "Удалённый курс" and paper.organiser == "" and paper.issued_on.day == 10
    assert "Удалённый курс" in pdf_text(paper)


def test_long_titles_still_fit_the_page(app) -> None:  # type: ignore[no-untyped-def]
    award = _award("Лауреат")
    contest = db.session.get_one(Contest, award.contest_id)
    contest.title = "Межрегиональная научно-практическая конференция школьников «Ровесник – ровеснику» " * 3
    db.session.commit()
    data = render_paper(award_paper(award, contest), "http://localhost/verify/X")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1 and "Лауреат олимпиады «Межрегиональная" in text
    assert text.count("Ровесник – ровеснику") == 3 and "номинация «7–8 классы»" in text  # nothing cut off


def test_a_course_without_authors_is_issued_by_its_creator(app) -> None:  # type: ignore[no-untyped-def]
    creator = teacher(full_name="Елена Орлова", institution=InstitutionFactory(name="ИМЦ"))
    course = cf.course(creator, title="Архивный курс")
    db.session.execute(delete(CourseMember).where(CourseMember.course_id == course.id))
    issued = certificates.issue(
        kind=CertificateKind.COURSE,
        user_id=None,
        holder="Пётр Сидоров",
        title=course.title,
        source_type="course",
        source_id=course.id,
        details="36",
        now=LATE,
    )
    db.session.commit()
    paper = course_paper(course, issued)
    assert paper.organiser == "ИМЦ" and paper.signatures[0].name == "Елена Орлова"
