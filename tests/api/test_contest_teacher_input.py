"""«Дистанционный учитель» through the API: bad contest bodies, refused roles, the CSV import."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from tests.api.test_contest_teacher import T0, WEEK, at, body, create
from tests.factories.accounts import organiser, student, teacher


def test_bad_contest_bodies_are_422_with_fields(app, api) -> None:
    owner = organiser()
    db.session.commit()
    stages = body()["stages"]
    overlap = [dict(s) for s in stages]
    overlap[2]["opens_at"] = (T0 + 2 * WEEK + timedelta(days=1)).isoformat()
    reversed_ = [dict(s) for s in stages]
    reversed_[1]["closes_at"] = (T0 + WEEK).isoformat()
    zero = [dict(s) for s in stages]
    zero[1]["advancement"] = {"rule": "top_percent", "value": 0}
    over = [dict(s) for s in stages]
    over[1]["advancement"] = {"rule": "top_percent", "value": 120}
    cases = [
        (body(stages=overlap), "stages.2.opens_at"),
        (body(stages=reversed_), "stages.1.closes_at"),
        (body(stages=zero), "stages.1.advancement.value"),
        (body(stages=over), "stages.1.advancement.value"),
        (body(divisions=[]), "divisions"),
        (body(divisions=["A", "A"]), "divisions"),
        (body(timezone="Mars/Olympus"), "timezone"),
        (body(award_quota_percent=150), "award_quota_percent"),
        (body(awards=[{"title": "X", "ranks": [3, 1]}]), "awards.0"),
        ({**body(), "stages": [{**stages[0], "opens_at": "2027-01-01T10:00:00"}]}, "stages.0.opens_at"),
    ]
    for data, field in cases:
        response = create(api, owner, data)
        assert response.status_code == 422, (field, response.get_json())
        assert field in response.get_json()["error"]["fields"], (field, response.get_json())
    from contest_engine.models import Contest

    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0


def test_unknown_division_and_refused_roles(app, api) -> None:
    owner, other_organiser, person = organiser(), organiser(), teacher()
    db.session.commit()
    assert create(api, person).status_code == 403
    assert create(api, student()).status_code == 403
    assert api().post("/contests", body()).status_code == 401
    cid = create(api, owner).get_json()["id"]
    with at(T0 + timedelta(days=1)):
        unknown = api(person).post(
            f"/contests/{cid}/participants", {"user_id": person.id, "division": "Нет такой"}
        )
        assert unknown.status_code == 422 and "division" in unknown.get_json()["error"]["fields"]
        # Registering someone else is for organisers only.
        other = teacher()
        db.session.commit()
        assert (
            api(person)
            .post(f"/contests/{cid}/participants", {"user_id": other.id, "division": "Учителя"})
            .status_code
            == 403
        )
        assert api(other_organiser).post(f"/contests/{cid}/awards/compute").status_code == 403
        assert api(person).get(f"/contests/{cid}/audit").status_code == 403
        assert (
            api(person)
            .post(f"/contests/{cid}/participants/import", data="email,division\n", content_type="text/csv")
            .status_code
            == 403
        )
    assert api(owner).get("/contests/999999").status_code == 404


def test_csv_import_is_all_or_nothing(app, api) -> None:
    owner = organiser()
    existing = teacher(email="known@example.org")
    db.session.commit()
    cid = create(api, owner).get_json()["id"]
    bad = "email,full_name,division\nknown@example.org,,Учителя\nnew@example.org,Новый Учитель,Нет\n"
    with at(T0 + timedelta(days=1)):
        report = (
            api(owner)
            .post(f"/contests/{cid}/participants/import", data=bad.encode(), content_type="text/csv")
            .get_json()
        )
    assert report["created"] == 0 and report["errors"][0]["line"] == 3
    good = (
        "email,full_name,division,institution\n"
        "known@example.org,,Учителя,Школа\n"
        "new@example.org,Новый Учитель,Учителя,\n"
    )
    with at(T0 + timedelta(days=1)):
        report = (
            api(owner)
            .post(f"/contests/{cid}/participants/import", data=good.encode(), content_type="text/csv")
            .get_json()
        )
    assert report == {"created": 2, "errors": []}
    listing = api(owner).get(f"/contests/{cid}/participants").get_json()
    assert listing["total"] == 2 and existing.id in {row["user_id"] for row in listing["items"]}
