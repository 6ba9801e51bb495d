"""The catalogue's query parameters read into filters: one vocabulary for the page and the API
(`?q=&subject=&grade=&kind=&district=&institution_id=&association_id=&author_id=&status=&sort=`).
A facet parameter may repeat (`?subject=4&subject=8`: either subject). The API reads strictly (a bad
value is a RuleError naming its parameter); the page reads leniently (a bad value is left out, as a
hand-edited link should still show a catalogue).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from community.rules import RuleError

SORTS = ("relevance", "new", "popular", "rated")
FACETS = ("subject", "grade", "kind", "district", "institution", "association")
# The URL parameter of each facet.
PARAMS = {
    "subject": "subject",
    "grade": "grade",
    "kind": "kind",
    "district": "district",
    "institution": "institution_id",
    "association": "association_id",
}
GRADES = range(1, 12)
MAX_ID = 2**31 - 1
MAX_QUERY_CHARS = 200
MAX_DISTRICT_CHARS = 255
MAX_VALUES = 20  # per facet: more ticked boxes than this is not a person

# The «rated» order damps each average towards a prior, as if every material had already received
# RATING_PRIOR_WEIGHT ratings of RATING_PRIOR_STARS: a single 5 (damped 3.83) then ranks below three
# ratings averaging 4.67 (damped 4.20), so one friendly vote cannot put a material above ones many
# teachers liked, while a material rated well by many still climbs. 3.5 is a middling-good score
# (most ratings in a methodical library are 3–5); 2 ratings is enough to outweigh a lone vote without
# burying a material that has only a few good ones. Cards still show the plain average.
RATING_PRIOR_STARS = 3.5
RATING_PRIOR_WEIGHT = 2


def damped_rating(rating_sum: int, ratings_count: int) -> float | None:
    """The average damped towards the prior, what the «rated» order sorts by (the catalogue computes
    the same in SQL); None while nobody has rated, so unrated materials sort last."""
    if ratings_count <= 0:
        return None
    prior = RATING_PRIOR_WEIGHT * RATING_PRIOR_STARS
    return (rating_sum + prior) / (ratings_count + RATING_PRIOR_WEIGHT)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    subject: tuple[int, ...] = ()
    grade: tuple[int, ...] = ()
    kind: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    institution: tuple[int, ...] = ()
    association: tuple[int, ...] = ()
    author_id: int | None = None
    status: str | None = None
    sort: str = ""  # "" = relevance when searching, newest first otherwise

    def selected(self, facet: str) -> tuple[int | str, ...]:
        values: tuple[int | str, ...] = getattr(self, facet)
        return values

    def without(self, facet: str) -> Filters:
        """The same filters with nothing ticked in `facet` (its counts are computed this way)."""
        return replace(self, **{facet: ()})  # type: ignore[arg-type]

    def effective_sort(self, searching: bool) -> str:
        if self.sort == "relevance" and not searching:
            return "new"
        return self.sort or ("relevance" if searching else "new")


def read_filters(
    get_list: Callable[[str], list[str]],
    *,
    kinds: Iterable[str],
    statuses: Iterable[str],
    strict: bool,
) -> Filters:
    """Filters from the query string (`get_list(name)` gives every value of a parameter)."""
    reader = _Reader(get_list, strict)
    q = " ".join(reader.one("q").split())
    if len(q) > MAX_QUERY_CHARS:
        reader.fail(RuleError("too_long", "q", limit=MAX_QUERY_CHARS))
        q = q[:MAX_QUERY_CHARS]
    sort = reader.one("sort")
    if sort and sort not in SORTS:
        reader.fail(RuleError("catalogue_unknown_sort", "sort", values=", ".join(SORTS)))
        sort = ""
    status = reader.one("status") or None
    if status is not None and status not in set(statuses):
        reader.fail(RuleError("catalogue_unknown_status", "status"))
        status = None
    author = reader.ids("author_id")
    kind_values = set(kinds)
    return Filters(
        q=q,
        subject=reader.ids("subject"),
        grade=reader.ints("grade", GRADES, "catalogue_grade_range"),
        kind=reader.choices("kind", kind_values),
        district=reader.texts("district", MAX_DISTRICT_CHARS),
        institution=reader.ids("institution_id"),
        association=reader.ids("association_id"),
        author_id=author[0] if author else None,
        status=status,
        sort=sort,
    )


class _Reader:
    def __init__(self, get_list: Callable[[str], list[str]], strict: bool) -> None:
        self.get_list = get_list
        self.strict = strict

    def fail(self, error: RuleError) -> None:
        if self.strict:
            raise error

    def one(self, name: str) -> str:
        values = [value.strip() for value in self.get_list(name) if value.strip()]
        return values[0] if values else ""

    def _values(self, name: str) -> list[str]:
        values = [value.strip() for value in self.get_list(name) if value.strip()]
        if len(values) > MAX_VALUES:
            self.fail(RuleError("catalogue_too_many_values", name, limit=MAX_VALUES))
            values = values[:MAX_VALUES]
        return values

    def ints(self, name: str, allowed: range, code: str) -> tuple[int, ...]:
        found: list[int] = []
        for value in self._values(name):
            number = int(value) if value.isdigit() and len(value) <= 10 else None
            if number is None:
                self.fail(RuleError("catalogue_not_a_number", name))
            elif number not in allowed:
                self.fail(RuleError(code, name, low=allowed.start, high=allowed.stop - 1))
            elif number not in found:
                found.append(number)
        return tuple(found)

    def ids(self, name: str) -> tuple[int, ...]:
        return self.ints(name, range(1, MAX_ID + 1), "catalogue_id_range")

    def choices(self, name: str, allowed: set[str]) -> tuple[str, ...]:
        found: list[str] = []
        for value in self._values(name):
            if value not in allowed:
                self.fail(RuleError("catalogue_unknown_kind", name, values=", ".join(sorted(allowed))))
            elif value not in found:
                found.append(value)
        return tuple(found)

    def texts(self, name: str, limit: int) -> tuple[str, ...]:
        found: list[str] = []
        for value in self._values(name):
            if len(value) > limit:
                self.fail(RuleError("too_long", name, limit=limit))
            elif value not in found:
                found.append(value)
        return tuple(found)
