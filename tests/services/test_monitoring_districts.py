"""Districts as records: create, rename (every institution's copy follows), delete only when empty,
institutions placed in a district by record or by text, and races on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import districts, institutions
from app.accounts import District, DistrictScope, Institution, InstitutionType
from app.audit import AuditEntry
from app.domain_errors import Conflict, Invalid, NotFound
from app.extensions import db
from tests.concurrency import at_once, skip_memory_database
from tests.factories.accounts import admin, district, district_methodist, institution_in


def _districts() -> int:
    return db.session.scalar(select(func.count()).select_from(District)) or 0


def test_create_district_strips_and_audits(app) -> None:  # type: ignore[no-untyped-def]
    actor = admin()
    created = districts.create_district(name="  Кировский район ", region=" НСО ", actor=actor)
    assert (created.name, created.region) == ("Кировский район", "НСО")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "district.created"))
    assert entry is not None and entry.object_id == created.id


@pytest.mark.parametrize(
    ("name", "region", "field"),
    [("", "НСО", "name"), ("   ", "", "name"), ("Р" * 256, "", "name"), ("Район", "О" * 256, "region")],
)
def test_create_district_refuses_bad_input(app, name, region, field) -> None:  # type: ignore[no-untyped-def]
    before = _districts()
    with pytest.raises(Invalid) as refused:
        districts.create_district(name=name, region=region, actor=None)
    assert field in refused.value.fields
    assert _districts() == before


def test_a_region_has_one_district_of_a_name(app) -> None:  # type: ignore[no-untyped-def]
    districts.create_district(name="Ленинский район", region="НСО", actor=None)
    with pytest.raises(Conflict) as refused:
        districts.create_district(name="Ленинский район", region="НСО", actor=None)
    assert "name" in refused.value.fields
    other = districts.create_district(name="Ленинский район", region="Кемеровская область", actor=None)
    assert other.id  # the same name in another region is another district


def test_rename_renames_every_institutions_copy(app, count_queries) -> None:  # type: ignore[no-untyped-def]
    central = district("Центральный район", "НСО")
    schools = [institution_in(central, f"Школа {n}") for n in range(30)]
    elsewhere = institution_in(district("Ленинский район", "НСО"), "Лицей")
    db.session.commit()
    with count_queries() as counter:
        districts.rename_district(central, name="Центральный округ", region="Новосибирская обл.", actor=None)
    updates = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE INSTITUTION")]
    assert len(updates) == 1  # one statement for thirty institutions
    copies = set(
        db.session.execute(
            select(Institution.district, Institution.region).where(
                Institution.id.in_([s.id for s in schools])
            )
        ).all()
    )
    assert copies == {("Центральный округ", "Новосибирская обл.")}
    db.session.refresh(elsewhere)
    assert elsewhere.district == "Ленинский район"
    db.session.refresh(central)
    assert central.name == "Центральный округ"


def test_rename_to_a_taken_name_is_a_conflict_and_changes_nothing(app) -> None:  # type: ignore[no-untyped-def]
    first = district("Первомайский район", "НСО")
    school = institution_in(first, "Школа")
    district("Советский район", "НСО")
    db.session.commit()
    with pytest.raises(Conflict):
        districts.rename_district(first, name="Советский район", region="НСО", actor=None)
    db.session.refresh(school)
    assert school.district == "Первомайский район"
    assert db.session.get_one(District, first.id).name == "Первомайский район"


def test_rename_refuses_an_empty_name(app) -> None:  # type: ignore[no-untyped-def]
    row = district("Дзержинский район", "НСО")
    db.session.commit()
    with pytest.raises(Invalid):
        districts.rename_district(row, name=" ", region="НСО", actor=None)


def test_delete_only_an_empty_district(app) -> None:  # type: ignore[no-untyped-def]
    full = district("Калининский район", "НСО")
    institution_in(full, "Школа № 1")
    empty = district("Октябрьский район", "НСО")
    methodist = district_methodist(empty)
    db.session.commit()
    with pytest.raises(Conflict):
        districts.delete_district(full, actor=None)
    assert db.session.get(District, full.id) is not None
    empty_id = empty.id
    districts.delete_district(empty, actor=None)
    assert db.session.get(District, empty_id) is None
    assert not db.session.scalars(select(DistrictScope).where(DistrictScope.user_id == methodist.id)).all()
    with pytest.raises(NotFound):
        districts.delete_district(District(id=empty_id, name="x", region=""), actor=None)


def test_district_page_counts_institutions(app) -> None:  # type: ignore[no-untyped-def]
    a = district("А-район", "НСО")
    b = district("Б-район", "НСО")
    for n in range(3):
        institution_in(a, f"Школа {n}")
    db.session.commit()
    page = districts.district_page(1, 50)
    counts = {row.district.name: row.institutions for row in page.items}
    assert counts["А-район"] == 3 and counts["Б-район"] == 0
    assert [row.district.name for row in districts.district_page(1, 50, "Б-").items] == [b.name]


def test_institution_by_record_copies_its_name(app) -> None:  # type: ignore[no-untyped-def]
    row = district("Заельцовский район", "НСО")
    db.session.commit()
    school = institutions.save_institution(
        None, name="Гимназия № 2", kind="gymnasium", district_id=row.id, actor=None
    )
    assert (school.district_id, school.district, school.region) == (row.id, "Заельцовский район", "НСО")
    assert school.type is InstitutionType.GYMNASIUM


def test_institution_by_text_finds_or_makes_the_record(app) -> None:  # type: ignore[no-untyped-def]
    known = district("Кировский район", "НСО")
    db.session.commit()
    first = institutions.save_institution(
        None, name="СОШ 1", district="Кировский район", region="НСО", actor=None
    )
    assert first.district_id == known.id
    second = institutions.save_institution(
        None, name="СОШ 2", district="Новый район", region="НСО", actor=None
    )
    made = db.session.get_one(District, second.district_id)
    assert (made.name, made.region) == ("Новый район", "НСО")
    cleared = institutions.save_institution(second, name="СОШ 2", actor=None)
    assert (cleared.district_id, cleared.district, cleared.region) == (None, "", "")
    assert cleared.type is InstitutionType.SCHOOL


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"district_id": 99999}, "district_id"),
        ({"kind": "kindergarten"}, "type"),
        ({"district": "Р" * 300}, "district"),
    ],
)
def test_institution_refuses_unknown_district_or_type(app, kw, field) -> None:  # type: ignore[no-untyped-def]
    before = db.session.scalar(select(func.count()).select_from(Institution))
    with pytest.raises(Invalid) as refused:
        institutions.save_institution(None, name="Школа", actor=None, **kw)
    assert field in refused.value.fields
    assert db.session.scalar(select(func.count()).select_from(Institution)) == before


def test_two_admins_creating_one_district_make_one(app) -> None:  # type: ignore[no-untyped-def]
    skip_memory_database()
    outcomes = at_once(
        app,
        [lambda: districts.create_district(name="Железнодорожный район", region="НСО", actor=None)] * 4,
    )
    assert sum(isinstance(o, Conflict) for o in outcomes) == 3
    assert (
        db.session.scalar(
            select(func.count()).select_from(District).where(District.name == "Железнодорожный район")
        )
        == 1
    )


def test_deleting_while_an_institution_joins_keeps_both_consistent(app) -> None:  # type: ignore[no-untyped-def]
    skip_memory_database()
    district_id = district("Советский район", "Томская область").id
    db.session.commit()  # and no read after it: the threads need the database's write lock

    def delete() -> object:
        return districts.delete_district(db.session.get_one(District, district_id), actor=None)

    def join() -> object:
        return institutions.save_institution(None, name="Новая школа", district_id=district_id, actor=None)

    outcomes = at_once(app, [delete, join])
    db.session.expire_all()
    school = db.session.scalar(select(Institution).where(Institution.name == "Новая школа"))
    if db.session.get(District, district_id) is None:
        assert school is None  # the delete won: the institution was refused, not left pointing nowhere
        assert any(isinstance(o, Exception) for o in outcomes)
    else:
        assert school is not None and school.district_id == district_id
