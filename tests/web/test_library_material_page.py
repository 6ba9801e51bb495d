"""The material page and its file downloads: who sees what, and a fixed number of queries whatever
the number of files, versions and subjects."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from community.library import authoring
from community.library.material_files import IncomingFile
from community.library.material_input import MaterialInput
from community.library.models import Material, MaterialFile, MaterialStatus, MaterialVersion
from community.library.publication import publish_version
from tests.conftest import login
from tests.factories.accounts import methodist, teacher
from tests.factories.community import AssociationFactory, add_member, published_material, subjects

PDF = b"%PDF-1.4 " + b"x" * 100


def _material(author: Any, *, files: int, versions: int, subject_count: int) -> Material:
    """A published material with `versions` published versions, each with `files` files."""
    ids = [s.id for s in subjects().values()][:subject_count]
    association = AssociationFactory()
    add_member(association, author)
    data = MaterialInput(
        title="Дроби",
        summary="Конспект",
        kind="lesson_plan",
        subject_ids=ids,
        grades=list(range(1, 12)),
        association_id=association.id,
        links=[("https://resh.edu.ru", "РЭШ")] * 3,
    )
    pdfs = [IncomingFile(f"Часть {n}.pdf", io.BytesIO(PDF)) for n in range(files)]
    material = authoring.create_material(data, pdfs, actor=author, now=utcnow(), send=True)
    for _ in range(versions - 1):
        publish_version(authoring.latest_version(material), actor=author, now=utcnow())
        db.session.commit()
        authoring.update_material(material, data, actor=author, now=utcnow(), send=True)
    publish_version(authoring.latest_version(material), actor=author, now=utcnow())
    db.session.commit()
    return material


def signed_in(client: FlaskClient, user: Any) -> FlaskClient:
    """A fresh browser signed in as `user` (the login form keeps whoever is signed in already)."""
    fresh = client.application.test_client()
    login(fresh, user)
    return fresh


def _queries(client: FlaskClient, count_queries: Any, material_id: int) -> int:
    client.get(f"/library/materials/{material_id}")  # warm-up: templates compiled, session loaded
    with count_queries(cold=True) as counter:
        response = client.get(f"/library/materials/{material_id}")
    assert response.status_code == 200
    return counter.count


def test_the_page_runs_the_same_queries_for_one_file_or_many(client: FlaskClient, count_queries: Any) -> None:
    author, reader = teacher(), teacher()
    small = _material(author, files=1, versions=1, subject_count=1).id
    large = _material(author, files=8, versions=4, subject_count=6).id
    db.session.commit()
    for browser in (client, signed_in(client, reader), signed_in(client, author)):
        assert _queries(browser, count_queries, small) == _queries(browser, count_queries, large)


def test_a_published_material_is_open_to_anyone_with_its_facts(client: FlaskClient) -> None:
    author = teacher()
    material = _material(author, files=2, versions=2, subject_count=2)
    db.session.commit()
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    assert "Дроби" in page and author.full_name in page and author.institution.name in page
    assert "Часть 0.pdf" in page and "РЭШ" in page and "Начальные классы" in page
    assert 'id="version-history"' not in page  # the history is the author's and moderators'
    assert 'href="https://resh.edu.ru"' in page and 'rel="nofollow noopener noreferrer ugc"' in page


def test_unpublished_materials_are_404_for_readers_and_open_to_author_and_moderators(
    client: FlaskClient,
) -> None:
    author = teacher()
    pending = published_material(author, status=MaterialStatus.PENDING, title="На проверке")
    db.session.commit()
    assert client.get(f"/library/materials/{pending.id}").status_code == 404
    colleague, moderator, own = teacher(), methodist(), author
    db.session.commit()
    assert signed_in(client, colleague).get(f"/library/materials/{pending.id}").status_code == 404
    page = signed_in(client, moderator).get(f"/library/materials/{pending.id}").get_data(as_text=True)
    assert "На проверке" in page
    mine = signed_in(client, own)
    assert "На проверке" in mine.get(f"/library/materials/{pending.id}").get_data(as_text=True)
    assert mine.get(f"/library/materials/{pending.id}?version=7").status_code == 404
    assert client.get("/library/materials/999999").status_code == 404


def test_files_download_for_readers_of_the_published_version_only(client: FlaskClient) -> None:
    author = teacher()
    material = _material(author, files=1, versions=1, subject_count=1)
    published_file = db.session.scalars(select(MaterialFile)).one()
    authoring.update_material(
        material,
        MaterialInput(
            title="Дроби 2", summary="x", kind="lesson_plan", subject_ids=[subjects()["Математика"].id]
        ),
        [IncomingFile("Новое.pdf", io.BytesIO(PDF))],
        actor=author,
        now=utcnow(),
    )
    draft = authoring.latest_version(material)
    draft_file = db.session.scalars(
        select(MaterialFile).where(MaterialFile.version_id == draft.id, MaterialFile.position == 1)
    ).one()
    db.session.commit()
    url = "/library/materials/{}/files/{}"
    response = client.get(url.format(material.id, published_file.id))
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(url.format(material.id, draft_file.id)).status_code == 404
    reader = teacher()
    db.session.commit()
    client = signed_in(client, reader)
    assert client.get(url.format(material.id, published_file.id)).status_code == 200
    assert client.get(url.format(material.id, draft_file.id)).status_code == 404
    db.session.refresh(material)
    assert material.downloads_count == 1  # the anonymous download is not counted, the colleague's is
    client.get(url.format(material.id, published_file.id))
    db.session.refresh(material)
    assert material.downloads_count == 1  # once a day
    client = signed_in(client, author)
    assert client.get(url.format(material.id, draft_file.id)).status_code == 200
    other = published_material(teacher())
    db.session.commit()
    assert client.get(url.format(other.id, published_file.id)).status_code == 404


def test_the_author_sees_the_history_and_a_new_version_in_progress(client: FlaskClient) -> None:
    author = teacher()
    material = _material(author, files=1, versions=2, subject_count=1)
    authoring.update_material(
        material,
        MaterialInput(
            title="Третья", summary="x", kind="lesson_plan", subject_ids=[subjects()["Математика"].id]
        ),
        actor=author,
        now=utcnow(),
    )
    db.session.commit()
    login(client, author)
    page = client.get(f"/library/materials/{material.id}").get_data(as_text=True)
    for number, state in ((1, "superseded"), (2, "published"), (3, "draft")):
        assert f'data-version="{number}" data-state="{state}"' in page
    assert 'id="working-notice"' in page
    states = [v.state for v in db.session.scalars(select(MaterialVersion).order_by(MaterialVersion.number))]
    assert [str(s) for s in states] == ["superseded", "published", "draft"]


def test_views_are_counted_once_a_day_per_colleague(client: FlaskClient) -> None:
    author, reader = teacher(), teacher()
    material = published_material(author)
    db.session.commit()
    url = f"/library/materials/{material.id}"
    client.get(url)  # anonymous: nobody to count once
    signed_in(client, author).get(url)  # the author's own reloads are not readership
    colleague = signed_in(client, reader)
    colleague.get(url)
    colleague.get(url)
    db.session.refresh(material)
    assert material.views_count == 1
