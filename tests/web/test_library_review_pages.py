"""Review findings on the library's pages: moments in the viewer's zone to the minute (the comment,
the queue and the review page gave seconds, «2 дек. 2026 г., 06:12:23»); «Мои материалы» leading to
the rest of the library; a portfolio dating a publication by its publication, not its certificate."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from community.library import comments
from community.library.models import MaterialStatus, MaterialVersion
from community.portfolio.models import PortfolioSettings
from tests.conftest import login
from tests.factories.accounts import admin, methodist, teacher
from tests.factories.community import published_material
from tests.factories.library_certificates import certified_material

MOMENT = datetime(2026, 3, 10, 10, 15, 42, tzinfo=UTC)  # UTC; 15:15 in Yekaterinburg


def test_a_comments_time_is_the_viewers_to_the_minute(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material()
    comments.post_comment(material, teacher(), "Спасибо за урок", now=MOMENT)
    reader = teacher()
    reader.timezone = "Asia/Yekaterinburg"
    db.session.commit()
    login(client, reader)
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert "10.03.2026, 15:15</time>" in page
    assert "15:15:42" not in page


def test_the_queue_and_the_review_page_give_the_minute(client) -> None:  # type: ignore[no-untyped-def]
    material = published_material(teacher(), status=MaterialStatus.PENDING, title="Урок в очереди")
    version = db.session.scalars(
        select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    version.submitted_at = MOMENT
    moderator = methodist()
    moderator.timezone = "Asia/Yekaterinburg"
    db.session.commit()
    login(client, moderator)
    queue = client.get("/library/queue").get_data(as_text=True)
    assert "10.03.2026, 15:15" in queue and "15:15:42" not in queue
    review = client.get(f"/library/versions/{version.id}/review").get_data(as_text=True)
    assert "отправлена 10.03.2026, 15:15" in review and "15:15:42" not in review


def test_my_materials_lead_to_bookmarks_portfolio_and_a_moderators_work(client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    page = client.get("/library/my").get_data(as_text=True)
    assert "/library/bookmarks" in page and "/portfolio/" in page
    assert "/library/queue" not in page and "/library/trusted-authors" not in page
    client.post("/auth/logout")
    login(client, methodist())
    page = client.get("/library/my").get_data(as_text=True)
    assert "/library/queue" in page and "/library/comments/reported" in page
    assert "/library/trusted-authors" not in page
    client.post("/auth/logout")
    login(client, admin())
    assert "/library/trusted-authors" in client.get("/library/my").get_data(as_text=True)
    queue = client.get("/library/queue").get_data(as_text=True)
    assert "/library/comments/reported" in queue and "/library/trusted-authors" in queue


def test_a_portfolio_dates_a_publication_by_its_publication(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = certified_material(author, title="Урок о дробях")
    material.published_at = MOMENT
    db.session.commit()
    login(client, author)
    page = client.get(f"/portfolio/{author.id}").get_data(as_text=True)
    assert "Урок о дробях" in page and "10 мар. 2026" in page
    pdf = client.get(f"/portfolio/{author.id}.pdf")
    assert pdf.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Урок о дробях — 10 марта 2026" in text.replace("\n", " ")


def test_portfolio_settings_offer_the_events_switch(client) -> None:  # type: ignore[no-untyped-def]
    """The events section has its document kinds now (event certificates), so it is offered and
    an unticked box turns it off like any other."""
    owner = teacher()
    login(client, owner)
    page = client.get("/portfolio/settings").get_data(as_text=True)
    assert 'name="courses"' in page and 'name="events"' in page
    assert client.post("/portfolio/settings", data={"courses": "y"}).status_code == 302
    saved = db.session.get(PortfolioSettings, owner.id)
    assert saved is not None and saved.show_courses and not saved.show_jury and not saved.show_events


def test_a_versions_state_reads_as_a_version(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    material = published_material(author)
    login(client, author)
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert "В каталоге" in page
    mine = client.get("/library/my").get_data(as_text=True)
    assert "Версия 1:" in mine and "В каталоге" in mine


def test_a_draft_shows_no_rating_or_comments(client) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    draft = published_material(author, status=MaterialStatus.DRAFT, title="Черновик урока")
    login(client, author)
    page = client.get(f"/library/materials/{draft.id}").get_data(as_text=True)
    assert "Черновик урока" in page
    assert 'id="rating"' not in page and 'id="discussion"' not in page and "Оценок пока нет" not in page
    public = published_material(author)
    assert 'id="discussion"' in client.get(f"/library/materials/{public.id}").get_data(as_text=True)
