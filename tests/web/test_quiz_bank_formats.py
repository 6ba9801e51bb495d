"""The bank's import and export pages in GIFT and Moodle XML (issue 15): the format told by content
or chosen, the report with its warnings, exports in both formats, and who may use them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from courses.quiz.models import Question
from courses.quiz.moodlexml_read import parse_moodle_xml
from tests.conftest import login
from tests.factories.accounts import organiser, student, teacher
from tests.factories.quiz import make_bank, quiz_owner  # noqa: F401

FIXTURES = Path(__file__).parent.parent / "fixtures" / "questions"


@pytest.fixture()
def tutor(quiz_owner: Any) -> Any:  # noqa: F811 - the fixture
    user = teacher()
    quiz_owner.managers.add(user.id)
    db.session.commit()
    return user


def _rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Question)) or 0


def _upload(client: Any, bank_id: int, name: str, **fields: Any) -> Any:
    data = {"file": (io.BytesIO((FIXTURES / name).read_bytes()), name), "category_id": 0, **fields}
    return client.post(f"/quiz/banks/{bank_id}/import", data=data, content_type="multipart/form-data")


def test_a_moodle_xml_file_is_told_by_content(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    response = _upload(client, bank.id, "moodle_quiz.xml")
    assert response.status_code == 302
    assert _rows() == 9


def test_the_russian_bank_is_imported_with_its_warning_shown(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    response = _upload(client, bank.id, "russian_bank.gift.txt", question_format="gift")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _rows() == 53
    assert "data-import-warnings" in page and "109" in page
    assert "data-import-errors" not in page


def test_xml_forced_as_gift_is_refused_with_its_reason(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    text = (FIXTURES / "moodle_quiz.xml").read_text(encoding="utf-8")
    response = client.post(
        f"/quiz/banks/{bank.id}/import", data={"text": text, "category_id": 0, "question_format": "gift"}
    )
    assert response.status_code == 422 and "data-import-errors" in response.get_data(as_text=True)
    assert _rows() == 0


def test_an_unknown_format_is_422_by_its_field(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    response = client.post(
        f"/quiz/banks/{bank.id}/import",
        data={"text": "::A:: Q {T}", "category_id": 0, "question_format": "qti"},
    )
    assert response.status_code == 422 and _rows() == 0


def test_the_bank_exports_moodle_xml_and_offers_both_formats(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    _upload(client, bank.id, "moodle_quiz.xml")
    page = client.get(f"/quiz/banks/{bank.id}").get_data(as_text=True)
    assert "format=moodlexml" in page and "format=gift" in page
    exported = client.get(f"/quiz/banks/{bank.id}/export?format=moodlexml")
    assert exported.status_code == 200 and exported.mimetype == "application/xml"
    assert f'bank-{bank.id}.moodle.xml"' in exported.headers["Content-Disposition"]
    result = parse_moodle_xml(exported.get_data())
    assert result.errors == [] and len(result.questions) == 9
    gift = client.get(f"/quiz/banks/{bank.id}/export?format=gift")
    assert gift.mimetype == "text/plain" and "$CATEGORY: Физика" in gift.get_data(as_text=True)


@pytest.mark.parametrize("persona", [student, teacher, organiser])
def test_non_managers_cannot_import_or_export(client: Any, tutor: Any, persona: Any) -> None:
    bank = make_bank()
    login(client, persona())
    assert _upload(client, bank.id, "moodle_quiz.xml").status_code == 403
    assert client.get(f"/quiz/banks/{bank.id}/export?format=moodlexml").status_code == 403
    assert _rows() == 0


def test_a_file_over_the_limit_is_refused_whole(client: Any, tutor: Any) -> None:
    bank = make_bank()
    login(client, tutor)
    big = b"::A:: Q {T}\n\n" * 160_000
    response = client.post(
        f"/quiz/banks/{bank.id}/import",
        data={"file": (io.BytesIO(big), "big.gift"), "category_id": 0},
        content_type="multipart/form-data",
    )
    assert response.status_code in (413, 422) and _rows() == 0
