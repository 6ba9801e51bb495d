"""Review of issue 17's monitoring caches: the network's report lists every district by name (a
district without schools shows with zeros), so a district made or deleted after the page was kept
must show at once, as a renamed one does."""

from __future__ import annotations

from typing import Any

from app.accounts import District
from app.districts import create_district, delete_district
from app.extensions import db
from tests.conftest import login
from tests.factories.accounts import admin
from tests.web.test_monitoring_report_cache import _page, _world


def test_a_new_and_a_deleted_district_show_on_a_report_already_seen(app: Any, client: Any) -> None:
    _world()
    login(client, admin())
    assert 'data-row="district-' in _page(client, "/monitoring/olympiads")
    made = create_district(name="Заречный район", region="", actor=None)
    assert f'data-row="district-{made.id}"' in _page(client, "/monitoring/olympiads")
    delete_district(db.session.get_one(District, made.id), actor=None)
    assert f'data-row="district-{made.id}"' not in _page(client, "/monitoring/olympiads")
