"""An association's page as a whole (members by district and institution, its forum's latest topics,
its shelf of the library), the list's filters, and the fixed number of queries of both pages."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from community.associations.models import JoinPolicy
from community.forums import places
from community.forums.models import ForumScope
from community.library.models import MaterialStatus
from tests.conftest import login
from tests.factories.accounts import InstitutionFactory, methodist, student, teacher
from tests.factories.community import AssociationFactory, add_member, published_material, subjects
from tests.factories.forum_posting import topic


def _association_with_forum(**kw: object):  # type: ignore[no-untyped-def]
    association = AssociationFactory(**kw)
    db.session.flush()
    places.add_default_forums(ForumScope.ASSOCIATION, association.id)
    db.session.commit()
    return association, places.find_forum(ForumScope.ASSOCIATION, association.id)


def test_members_are_grouped_by_district_and_institution(client, app) -> None:
    association, _forum = _association_with_forum()
    lyceum = InstitutionFactory(name="МАОУ «Лицей № 3»", district="Ленинский район")
    gymnasium = InstitutionFactory(name="МБОУ «Гимназия № 1»", district="Центральный район")
    add_member(association, teacher(full_name="Анна Лицеева", institution=lyceum), leader=True)
    add_member(association, teacher(full_name="Борис Лицеев", institution=lyceum))
    add_member(association, teacher(full_name="Вера Гимназистова", institution=gymnasium))
    pupil = student(full_name="Пётр Ученик", institution=gymnasium)
    add_member(association, pupil)  # a row no service would write: the page still hides the pupil
    db.session.commit()
    login(client, teacher())
    page = client.get(f"/library/associations/{association.id}").get_data(as_text=True)
    members = page[page.index("Участники") :]
    order = ["Ленинский район", "МАОУ «Лицей № 3»", "Анна Лицеева", "Борис Лицеев"]
    order += ["Центральный район", "МБОУ «Гимназия № 1»", "Вера Гимназистова"]
    positions = [members.index(text) for text in order]
    assert positions == sorted(positions)
    assert members.count("Ленинский район") == 1
    assert "Пётр Ученик" not in page


def test_the_page_shows_the_forums_latest_topics_and_the_shelf(client, app) -> None:
    association, forum = _association_with_forum()
    leader = teacher(full_name="Ольга Лидерова")
    add_member(association, leader, leader=True)
    db.session.commit()
    topic(forum, leader, title="Открытый урок по дробям")
    published_material(leader, title="Конспект «Дроби вокруг нас»", association=association)
    published_material(leader, title="Черновик теста", association=association, status=MaterialStatus.DRAFT)
    published_material(leader, title="Урок без объединения")
    db.session.commit()
    login(client, leader)
    page = client.get(f"/library/associations/{association.id}").get_data(as_text=True)
    assert "Открытый урок по дробям" in page and 'id="association-new-topic"' in page
    shelf = page[page.index('id="association-shelf"') :]
    assert "Конспект" in shelf and "Черновик теста" not in shelf and "Урок без объединения" not in shelf
    assert f"association_id={association.id}" in shelf


def test_a_district_association_hides_its_forum_from_strangers(client, app) -> None:
    association, forum = _association_with_forum(join_policy=JoinPolicy.REQUEST)
    leader = teacher()
    add_member(association, leader, leader=True)
    db.session.commit()
    topic(forum, leader, title="Только для своих")
    login(client, teacher())
    page = client.get(f"/library/associations/{association.id}").get_data(as_text=True)
    assert "Только для своих" not in page and 'id="association-forum"' not in page


def test_the_list_filters_by_subject_and_district(client, app) -> None:
    names = subjects()
    AssociationFactory(name="МО математиков центра", subject_id=names["Математика"].id)
    AssociationFactory(name="МО химиков Ленинского", subject_id=names["Химия"].id, district="Ленинский район")
    AssociationFactory(name="Сетевое МО информатиков", subject_id=names["Информатика"].id, district="")
    db.session.commit()
    login(client, teacher())
    everything = client.get("/library/associations").get_data(as_text=True)
    assert all(n in everything for n in ("МО математиков центра", "МО химиков", "Сетевое МО"))
    chemistry = client.get(f"/library/associations?subject={names['Химия'].id}").get_data(as_text=True)
    assert "МО химиков Ленинского" in chemistry and "МО математиков центра" not in chemistry
    central = client.get("/library/associations?district=Центральный район").get_data(as_text=True)
    assert "МО математиков центра" in central and "МО химиков" not in central
    network = client.get("/library/associations?district=-").get_data(as_text=True)
    assert "Сетевое МО информатиков" in network and "МО математиков центра" not in network
    lenient = client.get("/library/associations?subject=abc&district=")
    assert lenient.status_code == 200 and "МО химиков" in lenient.get_data(as_text=True)


def test_the_pages_run_a_fixed_number_of_queries_with_topics_and_materials(
    client, app, count_queries
) -> None:
    association, forum = _association_with_forum()
    viewer = methodist()
    add_member(association, viewer, leader=True)
    db.session.commit()
    login(client, viewer)
    counts = []
    for size in (1, 8):
        for _ in range(size):
            author = teacher()
            add_member(association, author)
            published_material(author, association=association)
            topic(forum, author, title=f"Тема {utcnow().timestamp()}")
        db.session.commit()
        with count_queries() as counter:
            assert client.get(f"/library/associations/{association.id}").status_code == 200
            assert client.get("/library/associations").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert db.session.scalar(select(db.func.count()).select_from(db.metadata.tables["forum_topic"])) == 9
