"""Time zones by city: the form offers «Самара (UTC+4)», and a stored zone is never lost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import force_locale

from app.time_zones import city, utc_offset, zone_choices, zone_label


def test_offsets_are_written_as_people_say_them() -> None:
    summer = datetime(2026, 7, 1, tzinfo=UTC)
    assert utc_offset("Europe/Samara", summer) == "UTC+4"
    assert utc_offset("Asia/Kolkata", summer) == "UTC+5:30"
    assert utc_offset("America/New_York", summer) == "UTC−4"
    assert utc_offset("UTC", summer) == "UTC"


def test_zones_are_named_by_city_in_russian(app: Any) -> None:
    with app.test_request_context(), force_locale("ru"):
        assert zone_label("Europe/Samara") == "Самара (UTC+4)"
        assert city("Asia/Novosibirsk") == "Новосибирск"
        labels = dict(zone_choices())
        assert labels["Europe/Moscow"] == "Москва (UTC+3)"
        assert not any("/" in label for label in labels.values())
    with app.test_request_context(), force_locale("en"):
        assert zone_label("Europe/Samara") == "Samara (UTC+4)"


def test_a_stored_zone_outside_the_list_stays_offered(app: Any) -> None:
    with app.test_request_context(), force_locale("ru"):
        values = [value for value, _label in zone_choices("Europe/Berlin")]
        assert values[-1] == "Europe/Berlin"
        assert "Europe/Berlin" not in [value for value, _label in zone_choices()]
