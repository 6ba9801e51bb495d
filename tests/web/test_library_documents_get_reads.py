"""Library documents read on GET (app/read_requests.py's guard set to "raise" here): the publication
certificate is issued when the material is published (or by the clock for older publications), so
its download, the material page, the portfolio, its PDF and the documents API only read."""

from __future__ import annotations

from sqlalchemy import func, select

from app.certificates import Certificate
from app.extensions import db
from app.timeutil import utcnow
from community.library import moderation
from community.library.certificates import issue_missing_certificates
from community.library.models import MaterialStatus
from community.portfolio.models import PortfolioSettings
from tests.conftest import login
from tests.factories.accounts import methodist, teacher
from tests.factories.community import published_material


def _certificates() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate)) or 0


def test_a_publication_through_moderation_is_downloaded_without_a_write(client, api, guarded) -> None:  # type: ignore[no-untyped-def]
    author = teacher(full_name="Ольга Миронова")
    material = published_material(author, status=MaterialStatus.PENDING, title="Птицы нашего края")
    version = moderation.pending_version(material.id)
    assert version is not None
    moderation.review(version, "publish", "", actor=methodist(), now=utcnow(), link="/library")
    assert _certificates() == 1  # earned, and issued, at publication
    login(client, author)
    for url in (
        f"/library/materials/{material.id}",
        f"/library/materials/{material.id}/certificate.pdf",
        f"/portfolio/{author.id}",
        f"/portfolio/{author.id}.pdf",
    ):
        assert client.get(url).status_code == 200, url
    for path in (
        f"/materials/{material.id}/certificate",
        f"/materials/{material.id}/certificate.pdf",
        f"/users/{author.id}/portfolio",
        f"/users/{author.id}/portfolio.pdf",
    ):
        assert api(author).get(path).status_code == 200, path
    page = client.get(f"/portfolio/{author.id}").get_data(as_text=True)
    assert "Птицы нашего края" in page
    assert _certificates() == 1


def test_an_older_publication_is_read_on_every_page_until_the_clock_issues_it(client, api, guarded) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author, title="Старый конспект")
    db.session.add(PortfolioSettings(user_id=author.id, is_public=True))
    db.session.commit()
    login(client, author)
    assert client.get(f"/library/materials/{material.id}/certificate.pdf").status_code == 302
    assert api(author).get(f"/materials/{material.id}/certificate").status_code == 409
    assert "Старый конспект" not in client.get(f"/portfolio/{author.id}").get_data(as_text=True)
    assert _certificates() == 0
    assert issue_missing_certificates(utcnow()) == ["issued 1 publication certificate(s)"]
    assert "Старый конспект" in client.get(f"/portfolio/{author.id}").get_data(as_text=True)
    assert client.get(f"/library/materials/{material.id}/certificate.pdf").status_code == 200
