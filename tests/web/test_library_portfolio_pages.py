"""The teacher's portfolio: who sees it, the sections the teacher chose, its single PDF, and a query
count that does not grow with the number of documents."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from app.accounts import User
from app.certificates import Certificate, CertificateKind, issue
from app.extensions import db
from community.portfolio.models import PortfolioSettings
from tests.conftest import login
from tests.factories.accounts import admin, student, teacher
from tests.factories.library_certificates import certified_material


def documents_of(owner: User, n: int = 1) -> dict[str, list[str]]:
    """`n` documents of each kind the portfolio shows; their codes by kind."""
    codes: dict[str, list[str]] = {}
    for i in range(n):
        certified_material(owner, title=f"Конспект урока № {i + 1}")
        for kind, title, details, source in (
            (CertificateKind.COURSE, f"Курс ФГОС № {i + 1}", "72", "course"),
            (CertificateKind.DIPLOMA, f"Диплом I степени — Конкурс № {i + 1}", "Педагоги", "award"),
            (CertificateKind.JURY, f"Олимпиада № {i + 1}: финал", "Член жюри", "stage"),
        ):
            certificate = issue(
                kind=kind,
                user_id=owner.id,
                holder=owner.full_name,
                title=title,
                source_type=source,
                source_id=1000 + i,
                details=details,
            )
            codes.setdefault(str(kind), []).append(certificate.code)
    db.session.commit()
    return codes


def make_public(owner: User, **flags: bool) -> None:
    db.session.add(PortfolioSettings(user_id=owner.id, is_public=True, **flags))
    db.session.commit()


def test_pupils_have_no_portfolio(client) -> None:  # type: ignore[no-untyped-def]
    pupil = student()
    login(client, pupil)
    assert client.get(f"/portfolio/{pupil.id}").status_code == 404
    assert client.get(f"/portfolio/{pupil.id}.pdf").status_code == 404
    assert client.get("/portfolio/settings").status_code == 403
    assert "data-my-portfolio" not in client.get("/auth/profile").get_data(as_text=True)


def test_a_private_portfolio_is_the_owners_and_the_admins(client) -> None:  # type: ignore[no-untyped-def]
    owner = teacher()
    documents_of(owner)
    assert client.get(f"/portfolio/{owner.id}").status_code == 404  # anonymous
    login(client, teacher())
    assert client.get(f"/portfolio/{owner.id}").status_code == 404
    assert client.get(f"/portfolio/{owner.id}.pdf").status_code == 404
    client.post("/auth/logout")
    login(client, admin())
    assert client.get(f"/portfolio/{owner.id}").status_code == 200
    client.post("/auth/logout")
    login(client, owner)
    page = client.get(f"/portfolio/{owner.id}")
    assert page.status_code == 200 and "data-visibility" in page.get_data(as_text=True)
    assert "data-my-portfolio" in client.get("/auth/profile").get_data(as_text=True)
    assert client.get("/portfolio/").headers["Location"].endswith(f"/portfolio/{owner.id}")


def test_a_public_portfolio_shows_every_section_with_check_links(client) -> None:  # type: ignore[no-untyped-def]
    owner = teacher(full_name="Наталья Кузнецова")
    codes = documents_of(owner)
    make_public(owner)
    html = client.get(f"/portfolio/{owner.id}").get_data(as_text=True)
    for section in ("publications", "courses", "diplomas", "jury"):
        assert f'data-section="{section}"' in html
    assert 'data-section="events"' not in html  # nothing to show yet: no empty section
    for kind_codes in codes.values():
        assert f"/verify/{kind_codes[0]}" in html
    publication = db.session.scalar(
        select(Certificate).where(Certificate.kind == CertificateKind.PUBLICATION)
    )
    assert publication is not None and f"/verify/{publication.code}" in html
    assert "72 ак. ч." in html and "Конспект урока № 1" in html


def test_section_toggles_and_revoked_documents(client) -> None:  # type: ignore[no-untyped-def]
    owner = teacher()
    codes = documents_of(owner)
    login(client, owner)
    response = client.post("/portfolio/settings", data={"is_public": "y", "courses": "y", "jury": "y"})
    assert response.status_code == 302
    revoked = db.session.scalar(select(Certificate).where(Certificate.code == codes["jury"][0]))
    assert revoked is not None
    revoked.revoked_at = revoked.issued_at
    db.session.commit()
    client.post("/auth/logout")
    html = client.get(f"/portfolio/{owner.id}").get_data(as_text=True)
    assert 'data-section="courses"' in html and codes["course"][0] in html
    for hidden in ("publications", "diplomas", "jury"):
        assert f'data-section="{hidden}"' not in html
    assert codes["diploma"][0] not in html and codes["jury"][0] not in html
    settings = db.session.get(PortfolioSettings, owner.id)
    assert settings is not None and settings.is_public and not settings.show_publications


def test_settings_page_keeps_the_choice(client) -> None:  # type: ignore[no-untyped-def]
    owner = teacher()
    login(client, owner)
    page = client.get("/portfolio/settings").get_data(as_text=True)
    assert 'name="is_public"' in page and 'name="events"' in page  # events have their kinds now
    client.post("/portfolio/settings", data={"diplomas": "y"})
    page = client.get("/portfolio/settings").get_data(as_text=True)
    assert '<input checked class="form-check-input" id="diplomas"' in page
    assert '<input class="form-check-input" id="courses"' in page
    settings = db.session.get(PortfolioSettings, owner.id)
    assert settings is not None and not settings.is_public and settings.show_diplomas
    assert not settings.show_courses


def test_the_pdf_lists_exactly_the_shown_documents(client) -> None:  # type: ignore[no-untyped-def]
    owner = teacher(full_name="Наталья Кузнецова")
    codes = documents_of(owner, n=2)
    make_public(owner, show_jury=False)
    response = client.get(f"/portfolio/{owner.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    shown = [*codes["course"], *codes["diploma"]]
    publications = list(
        db.session.scalars(select(Certificate.code).where(Certificate.kind == CertificateKind.PUBLICATION))
    )
    assert len(publications) == 2
    assert len(reader.pages) == 1 + len(shown) + len(publications)
    cover = reader.pages[0].extract_text()
    assert "Наталья Кузнецова" in cover
    for code in [*shown, *publications]:
        assert code in cover
    for code in codes["jury"]:
        assert code not in "\n".join(page.extract_text() for page in reader.pages)
    pages = [page.extract_text() for page in reader.pages[1:]]
    assert sorted(next(c for c in [*shown, *publications] if c in text) for text in pages) == sorted(
        [*shown, *publications]
    )


def test_portfolio_query_count_does_not_grow(client, count_queries) -> None:  # type: ignore[no-untyped-def]
    small, large = teacher(), teacher()
    documents_of(small, n=1)
    documents_of(large, n=6)
    make_public(small)
    make_public(large)
    counts = []
    for owner_id in (small.id, large.id):
        client.get(f"/portfolio/{owner_id}")  # warm
        with count_queries(cold=True) as counter:
            assert client.get(f"/portfolio/{owner_id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] and counts[0] <= 6
