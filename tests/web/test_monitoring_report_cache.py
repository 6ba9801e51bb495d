"""The reports read the summary job's totals (0020) and keep their figures and pages between requests
(app/monitoring/report_cache.py): a job run moves the totals on the page already seen; a renamed
contest or district shows at once; the totals tables add up mon_contest exactly; the page's statements
do not grow with the network, built or kept; and no pupil is named."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from app.accounts import District
from app.districts import rename_district
from app.extensions import db
from app.timeutil import utcnow
from contest_engine.models import Contest, ContestKind
from monitoring.academic_year import academic_year, year_start
from monitoring.models import ContestAudience, ContestNetworkTotal, ContestSummary, ContestTotal
from monitoring.recompute import recompute_all
from tests.conftest import login
from tests.factories.accounts import admin, district, institution_in, student
from tests.monitoring_people import as_the_job_leaves_it
from tests.services.test_monitoring_figures_compute import _contest
from tests.web.test_monitoring_pages import more_schools


def _opens() -> Any:
    return year_start(academic_year(utcnow())) + timedelta(days=20)


def _total(html: str, key: str = "participants") -> str:
    cell = html.split('data-row="total"', 1)[1].split(f'data-key="{key}"', 1)[1]
    return cell.split('<span class="d-block">', 1)[1].split("</span>", 1)[0]


def _card_participants(card: str) -> str:
    """This year's olympiad participants on a school's card."""
    row = card.split('data-card="olympiads"', 1)[1].split('data-key="participants"', 1)[1]
    return row.split('<td class="text-end">', 1)[1].split("</td>", 1)[0]


def _page(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    return str(response.get_data(as_text=True))


def _world() -> dict[str, Any]:
    centre = district("Центральный район")
    school = institution_in(centre, "Гимназия № 1")
    pupils = [student(institution=school, full_name=f"Ученик Скрытный {n}") for n in range(3)]
    contest = _contest(
        ContestKind.OLYMPIAD,
        _opens(),
        [(pupils[0], "9", "Физика", True, "Победитель"), (pupils[1], "9", "Физика", False, "")],
    )
    contest.title = "Олимпиада по физике"
    db.session.commit()
    recompute_all(utcnow())
    return {"centre": centre.id, "school": school.id, "contest": contest.id, "third": pupils[2]}


def test_a_job_run_moves_the_totals_of_a_page_already_seen(app: Any, client: Any) -> None:
    ids = _world()
    login(client, admin())
    district_path = f"/monitoring/olympiads?district_id={ids['centre']}"
    assert _total(_page(client, "/monitoring/olympiads")) == "2"
    assert _total(_page(client, district_path)) == "2"
    assert _card_participants(_page(client, f"/monitoring/school/{ids['school']}")) == "2"
    _contest(ContestKind.OLYMPIAD, _opens(), [(ids["third"], "10", "Физика", False, "")])
    db.session.commit()
    assert _total(_page(client, "/monitoring/olympiads")) == "2"  # as of the last run, as it says
    recompute_all(utcnow())
    network = _page(client, "/monitoring/olympiads")
    assert _total(network) == "3"
    assert _total(_page(client, district_path)) == "3"
    assert _card_participants(_page(client, f"/monitoring/school/{ids['school']}")) == "3"
    assert "Скрытный" not in network


def test_a_renamed_contest_and_district_show_at_once(app: Any, client: Any) -> None:
    ids = _world()
    login(client, admin())
    assert "Олимпиада по физике" in _page(client, "/monitoring/olympiads")
    db.session.execute(
        update(Contest).where(Contest.id == ids["contest"]).values(title="Физика: городской тур")
    )
    db.session.commit()
    page = _page(client, "/monitoring/olympiads")
    assert "Физика: городской тур" in page and "Олимпиада по физике" not in page
    rename_district(db.session.get_one(District, ids["centre"]), name="Северный район", region="", actor=None)
    assert "Северный район" in _page(client, "/monitoring/olympiads")


def test_the_totals_add_up_mon_contest(app: Any) -> None:
    _world()
    pupils = ContestAudience.PUPILS
    detailed = db.session.execute(
        select(
            ContestSummary.institution_id,
            func.sum(ContestSummary.participants),
            func.sum(ContestSummary.winners),
        )
        .where(ContestSummary.audience == pupils)
        .group_by(ContestSummary.institution_id)
    ).all()
    kept = db.session.execute(
        select(ContestTotal.institution_id, ContestTotal.participants, ContestTotal.winners).where(
            ContestTotal.audience == pupils
        )
    ).all()
    assert sorted(map(tuple, detailed)) == sorted(map(tuple, kept)) == [(kept[0][0], 2, 1)]
    network = db.session.execute(
        select(ContestNetworkTotal.grade, ContestNetworkTotal.participants, ContestNetworkTotal.advanced)
    ).all()
    assert [tuple(row) for row in network] == [("9", 2, 1)]


def test_statements_do_not_grow_with_the_network_built_or_kept(
    app: Any, client: Any, count_queries: Any
) -> None:
    ids = _world()
    login(client, admin())
    paths = ("/monitoring/olympiads", f"/monitoring/olympiads?district_id={ids['centre']}")
    counts: dict[str, list[int]] = {path: [] for path in paths}
    for more in (0, 30):
        if more:
            more_schools(ids["centre"], academic_year(utcnow()), more)  # summary rows, as a run leaves them
            as_the_job_leaves_it()
            db.session.commit()
        for path in paths:
            for _ in ("built", "kept"):
                with count_queries(cold=True) as counter:
                    _page(client, path)
                counts[path].append(counter.count)
    for path, (built, kept, built_more, kept_more) in counts.items():
        assert built == built_more and kept == kept_more and kept < built, (path, counts[path])
