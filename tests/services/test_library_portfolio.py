"""Portfolio services: the sections gathered from verified documents, the teacher's settings (one row
even when saved twice at once), and what is left out (revoked documents, materials gone)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.accounts import User
from app.certificates import Certificate, CertificateKind, issue
from app.extensions import db
from community.library.models import Material, MaterialStatus
from community.portfolio.models import PortfolioSettings
from community.portfolio.portfolio import gather, save_settings, settings_of
from tests.factories.accounts import teacher
from tests.factories.community import published_material
from tests.factories.library_certificates import certified_material

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _course(owner: User, hours: str, source_id: int) -> Certificate:
    return issue(
        kind=CertificateKind.COURSE,
        user_id=owner.id,
        holder=owner.full_name,
        title=f"Курс {source_id}",
        source_type="course",
        source_id=source_id,
        details=hours,
    )


def test_a_teacher_who_never_chose_sees_every_section_privately(app) -> None:  # type: ignore[no-untyped-def]
    owner = teacher()
    settings = settings_of(owner.id)
    assert not settings.is_public and settings.show_publications and settings.show_events
    assert db.session.scalar(select(func.count()).select_from(PortfolioSettings)) == 0


def test_sections_in_order_with_course_hours(app) -> None:  # type: ignore[no-untyped-def]
    owner = teacher()
    _course(owner, "72", 1)
    _course(owner, "36", 2)
    certified_material(owner, title="Конспект")
    published_material(owner, title="Черновик", status=MaterialStatus.DRAFT)
    issue(
        kind=CertificateKind.JURY,
        user_id=owner.id,
        holder="x",
        title="Жюри",
        source_type="stage",
        source_id=1,
    )
    _course(teacher(), "100", 3)  # someone else's
    portfolio = gather(owner)
    assert [section for section, _items in portfolio.sections] == ["publications", "courses", "jury"]
    assert portfolio.course_hours == 108
    (publication,) = dict(portfolio.sections)["publications"]
    assert publication.title == "Конспект" and publication.material_link.startswith("/library/materials/")
    assert {d.hours for d in dict(portfolio.sections)["courses"]} == {72, 36}


def test_revoked_documents_and_vanished_materials_are_left_out(app) -> None:  # type: ignore[no-untyped-def]
    owner = teacher()
    kept, gone = certified_material(owner, title="Остаётся"), certified_material(owner, title="Удалён")
    revoked = _course(owner, "72", 1)
    revoked.revoked_at = NOW
    db.session.commit()
    db.session.delete(db.session.get_one(Material, gone.id))
    db.session.commit()
    portfolio = gather(owner)
    assert [d.title for d in portfolio.documents] == ["Остаётся"]
    assert kept.id == int(portfolio.documents[0].material_link.rsplit("/", 1)[1])


def test_settings_saved_and_audited(app) -> None:  # type: ignore[no-untyped-def]
    owner = teacher()
    save_settings(owner, actor=owner, is_public=True, sections={"courses"}, now=NOW)
    save_settings(owner, actor=owner, is_public=False, sections={"jury", "diplomas"}, now=NOW)
    settings = db.session.get_one(PortfolioSettings, owner.id)
    assert not settings.is_public and settings.show_jury and settings.show_diplomas
    assert not settings.show_courses and not settings.show_publications and not settings.show_events
    _course(owner, "72", 1)
    assert gather(owner).sections == []


def test_two_saves_at_once_leave_one_row(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    owner_id = teacher().id
    db.session.commit()
    db.session.close()
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run(public: bool) -> None:
        with app.app_context():
            barrier.wait()
            try:
                owner = db.session.get_one(User, owner_id)
                save_settings(owner, actor=owner, is_public=public, sections={"courses"}, now=NOW)
            except BaseException as error:  # noqa: BLE001 - the test reports any failure below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i % 2 == 0,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(PortfolioSettings)) == 1
