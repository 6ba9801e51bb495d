"""Registration refuses a text longer than its column by that field (contest_engine.registration)."""

from __future__ import annotations

import pytest

from app.domain_errors import Invalid
from contest_engine import registration
from tests.factories.accounts import teacher
from tests.factories.contests import T0, DivisionFactory, contest_with_organiser


@pytest.mark.parametrize(
    ("field", "value"),
    [("institution", "ш" * 256), ("grade", "7" * 33), ("subject", "п" * 256)],
)
def test_a_too_long_text_is_refused_by_its_own_field(app, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    contest, owner = contest_with_organiser()
    division = DivisionFactory(contest=contest)
    person = teacher()
    with pytest.raises(Invalid) as refused:
        registration.register(contest, person, division=division.id, now=T0, actor=owner, **{field: value})
    assert set(refused.value.fields) == {field}
