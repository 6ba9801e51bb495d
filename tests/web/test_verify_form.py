"""/verify: a box for the code typed from paper (forgiving, with a message by the field for an empty
or unknown code), and the document's page — kind, holder, what it certifies, award or hours, issuer,
the date in the issuer's zone as on the paper, revoked state — showing a pupil's name only."""

from __future__ import annotations

from datetime import UTC, datetime

from app import certificates
from app.certificates import CertificateKind
from app.documents.paper import grouped_code
from app.extensions import db
from contest_engine.models import Award, ContestKind
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import InstitutionFactory, organiser, student, teacher
from tests.factories.contests import DivisionFactory, ParticipationFactory, contest_with_organiser

EVENING = datetime(2026, 11, 9, 20, 0, tzinfo=UTC)  # already 10 November in Novosibirsk


def _diploma(holder: object, *, kind: ContestKind = ContestKind.OLYMPIAD) -> str:
    chair = organiser(institution=InstitutionFactory(name="Гимназия № 1"))
    contest, _user = contest_with_organiser(
        chair, title="Олимпиада «Эрудит»", kind=kind, timezone="Asia/Novosibirsk"
    )
    division = DivisionFactory(contest=contest)
    participation = ParticipationFactory(contest=contest, user=holder, division=division, grade="7")
    award = Award(
        contest_id=contest.id, division_id=division.id, participation_id=participation.id, title="Победитель"
    )
    db.session.add(award)
    db.session.flush()
    code = certificates.issue(
        kind=CertificateKind.DIPLOMA,
        user_id=holder.id,  # type: ignore[attr-defined]
        holder=holder.full_name,  # type: ignore[attr-defined]
        title="Победитель — Олимпиада «Эрудит»",
        source_type="award",
        source_id=award.id,
        now=EVENING,
    ).code
    award.certificate_code = code
    db.session.commit()
    return code


def test_the_form_is_a_box_for_the_code_and_lists_nothing(client) -> None:  # type: ignore[no-untyped-def]
    code = _diploma(student())
    page = client.get("/verify")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="code"' in html and "data-verify-form" in html
    assert "Код документа" in html and code not in html


def test_an_empty_code_is_refused_by_the_field(client) -> None:  # type: ignore[no-untyped-def]
    for typed in ("", "   ", " - - "):
        response = client.get("/verify", query_string={"code": typed})
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "is-invalid" in html
        assert "Введите код, напечатанный на документе." in html


def test_an_unknown_code_is_refused_by_the_field(client) -> None:  # type: ignore[no-untyped-def]
    _diploma(student())
    response = client.get("/verify", query_string={"code": "ZZZZ-ZZZZ-ZZZZ"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "is-invalid" in html
    assert "Документа с таким кодом нет" in html and 'value="ZZZZ-ZZZZ-ZZZZ"' in html


def test_an_overlong_code_is_refused_not_crashed(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/verify", query_string={"code": "A" * 5000})
    assert response.status_code == 422 and "Введите код" in response.get_data(as_text=True)


def test_a_code_typed_loosely_finds_its_document(client) -> None:  # type: ignore[no-untyped-def]
    code = _diploma(student())
    loose = " " + grouped_code(code).lower().replace("-", " - ") + " "
    response = client.get("/verify", query_string={"code": loose})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{code}")
    assert client.get(f"/verify/{grouped_code(code).lower()}").status_code == 200


def test_an_unknown_code_in_the_address_offers_the_box_again(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/verify/NOSUCHCODE")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and 'name="code"' in html and "Документа с таким кодом нет" in html


def test_a_pupils_diploma_shows_the_name_and_nothing_else_about_them(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    pupil = student(full_name="Анна Петрова", institution=InstitutionFactory(name="Школа № 5"))
    code = _diploma(pupil)
    with count_queries(cold=True) as counter:
        page = client.get(f"/verify/{code}")
    html = page.get_data(as_text=True).replace("\u202f", " ")
    assert page.status_code == 200 and "data-valid" in html
    assert 'data-kind="diploma">Диплом</dd>' in html and "Анна Петрова" in html
    assert "Победитель олимпиады «Олимпиада «Эрудит»»" in html  # what it certifies, in words
    assert "data-award>Победитель" in html and "data-issuer>Гимназия № 1" in html
    assert "10 ноября 2026 г." in html and "Новосибирск" in html  # the issuer's date, as on paper
    assert "Школа № 5" not in html and "7 класс" not in html  # nothing else about a minor
    assert counter.count <= 12


def test_an_adults_document_names_their_institution(client) -> None:  # type: ignore[no-untyped-def]
    adult = teacher(full_name="Ольга Ким", institution=InstitutionFactory(name="Лицей № 2"))
    code = _diploma(adult, kind=ContestKind.TEACHER)
    html = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Ольга Ким" in html and "Лицей № 2" in html and "Победитель конкурса" in html


def test_a_course_certificate_shows_its_hours_and_the_moscow_date(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course(title="Смешанное обучение", hours=72)
    code = certificates.issue(
        kind=CertificateKind.COURSE,
        user_id=None,
        holder="Пётр Сидоров",
        title=course.title,
        source_type="course",
        source_id=course.id,
        details="72",
        now=EVENING,
    ).code
    db.session.commit()
    html = client.get(f"/verify/{code}").get_data(as_text=True).replace("\u202f", " ")
    assert "Удостоверение о повышении квалификации" in html and "data-hours>72</dd>" in html
    assert "«Смешанное обучение»" in html and "9 ноября 2026 г." in html and "Москва" in html


def test_a_revoked_document_says_so_with_the_reason(client) -> None:  # type: ignore[no-untyped-def]
    code = _diploma(student(full_name="Анна Петрова"))
    found = certificates.lookup(code)
    assert found is not None
    found.revoked_at, found.revoked_reason = datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "Пересчёт результатов"
    db.session.commit()
    response = client.get(f"/verify/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "data-revoked" in html and "data-valid" not in html
    assert "Документ отозван" in html and "Пересчёт результатов" in html and "Анна Петрова" in html


def test_the_footer_links_the_check_for_everyone(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").get_data(as_text=True)
    assert 'href="/verify" class="text-muted" data-verify-link>Проверить документ</a>' in html
    login(client, teacher())
    assert "data-verify-link" in client.get("/dashboard").get_data(as_text=True)
