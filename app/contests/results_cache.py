"""Contest results pages, built once per results version: the ranking's table (the same for every
viewer who may see it) and the whole anonymous page, kept per worker by app/memo.py under the
stage's "stage:N:results" version, which every write of the ranking, its publication and edits of
the stage or its contest move on (contest_engine.queries.results_key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import Response, render_template, request
from flask_babel import get_locale
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from app.memo import remember
from contest_engine.messages import status_labels
from contest_engine.models import Stage
from contest_engine.queries import contest_divisions, results_key
from contest_engine.results import results_page, results_pending


class DivisionChoice(NamedTuple):
    id: int
    name: str


def results_table(
    stage: Stage, *, page: int, per_page: int, division_id: int | None, search: str, names_visible: bool
) -> tuple[Markup, int, tuple[DivisionChoice, ...]]:
    """The table of one page of the ranking with its pagination, how many rows matched, and the
    contest's divisions for the filter (renaming one moves the version on too).

    Keyed by everything it shows: the stage, the query string (the pagination links repeat it), the
    page, the filter, the search, the language and whether pupils' names are shown (a visitor's table,
    with pupils as numbers, is its own entry); institutions are those stored with the ranking's last
    write."""

    def build() -> tuple[Markup, int, tuple[DivisionChoice, ...]]:
        found = results_page(
            stage,
            page=page,
            per_page=per_page,
            division_id=division_id,
            search=search,
            names_visible=names_visible,
        )
        html = render_template("contests/_results_table.html", page=found, labels=status_labels())
        divisions = tuple(DivisionChoice(d.id, d.name) for d in contest_divisions(stage.contest_id))
        return Markup(html), found.total, divisions

    # A stage whose time ran out shows its ranking computed until it is stored (after the response,
    # which moves the version): the table kept while it was open must not stand in for it.
    parts = (
        stage.id,
        results_pending(stage),
        _query(),
        page,
        per_page,
        division_id,
        search,
        _locale(),
        names_visible,
    )
    return remember("contests.results_table", parts, _versions(stage.id), build)


def anonymous_page(stage_id: int, render: Callable[[], str]) -> Response | None:
    """The whole page for a visitor who is not signed in: the same for every such visitor of the
    same address and language, so it is built once per results version and each request costs the
    version check alone (no session is read or made: nothing in it is personal). None when the page
    is not an ordinary one (not found, hidden): the caller answers as usual."""

    def build() -> str | None:
        try:
            return render()
        except HTTPException:
            return None

    body = remember("contests.anonymous_results", (stage_id, _query(), _locale()), _versions(stage_id), build)
    if body is None:
        return None
    return Response(body, mimetype="text/html")


def _versions(stage_id: int) -> tuple[str, ...]:
    """The ranking's version, and «names»: the table joins each participant's current full name
    (a rename through the profile moves «names», not the stage's results)."""
    return (results_key(stage_id), "names")


def _query() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(request.args.items(multi=True)))


def _locale() -> str:
    return str(get_locale() or "ru")
