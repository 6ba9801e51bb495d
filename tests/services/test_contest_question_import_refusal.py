"""A refused contest question import writes nothing, not even the contest's lazily made bank; a good
import makes the bank once (contests created before contests had banks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from app.extensions import db
from contest_engine.models import Contest
from contest_engine.olympiad import import_questions
from courses.quiz.models import Question, QuestionBank
from courses.quiz.question_formats import MAX_IMPORT_CHARS
from tests.conftest import login
from tests.factories.accounts import organiser
from tests.web.test_contest_olympiad_pages import GIFT, olympiad

BROKEN = "::Q:: broken {=4"
MOODLE_BROKEN = '<?xml version="1.0"?><quiz><question type="multichoice"><name>'


def bankless_contest(owner: Any) -> Contest:
    """A contest as made before it had a bank: no bank_id, no question_bank row."""
    contest = olympiad(owner)
    db.session.commit()
    bank_id = contest.bank_id
    contest.bank_id = None
    db.session.flush()
    db.session.execute(delete(QuestionBank).where(QuestionBank.id == bank_id))
    db.session.commit()
    return contest


def banks() -> int:
    return int(db.session.scalar(select(func.count()).select_from(QuestionBank)) or 0)


def test_refused_service_import_writes_no_bank(app) -> None:
    owner = organiser()
    contest = bankless_contest(owner)
    before = banks()
    for text in (BROKEN, MOODLE_BROKEN, ""):
        report = import_questions(contest, text, actor=owner)
        assert report.refused and report.errors
        assert banks() == before
        assert db.session.get(Contest, contest.id).bank_id is None  # type: ignore[union-attr]
    report = import_questions(contest, GIFT, actor=owner)
    assert not report.refused and len(report.imported) == 2
    assert banks() == before + 1
    bank_id = db.session.get(Contest, contest.id).bank_id  # type: ignore[union-attr]
    assert bank_id is not None
    again = import_questions(contest, GIFT, actor=owner)
    assert len(again.imported) == 2 and banks() == before + 1
    count = db.session.scalar(select(func.count()).select_from(Question).where(Question.bank_id == bank_id))
    assert count == 4


def test_refused_page_import_writes_no_bank(client) -> None:
    owner = organiser()
    contest = bankless_contest(owner)
    before = banks()
    login(client, owner)
    bad = client.post(f"/contests/{contest.id}/questions", data={"gift": BROKEN})
    assert bad.status_code == 422 and "gift-errors" in bad.get_data(as_text=True)
    assert banks() == before
    good = client.post(f"/contests/{contest.id}/questions", data={"gift": GIFT})
    assert good.status_code == 302
    assert banks() == before + 1
    bank_id = db.session.get(Contest, contest.id).bank_id  # type: ignore[union-attr]
    page = client.get(f"/contests/{contest.id}/questions").get_data(as_text=True)
    assert f"/banks/{bank_id}" in page


def test_refused_api_import_writes_no_bank(app, api) -> None:
    owner = organiser()
    contest = bankless_contest(owner)
    before = banks()
    boss = api(owner)
    url = f"/contests/{contest.id}/questions/import"
    bad = boss.post(url, data=BROKEN, content_type="text/plain")
    assert bad.get_json()["imported"] == 0 and bad.get_json()["errors"]
    assert banks() == before
    huge = boss.post(url, data="x" * (MAX_IMPORT_CHARS + 1), content_type="text/plain")
    assert huge.status_code == 422 and huge.get_json()["error"]["fields"]["body"]
    assert banks() == before
    good = boss.post(url, data=GIFT, content_type="text/plain")
    assert good.get_json()["imported"] == 2
    assert banks() == before + 1
