"""Numbers as a Russian reader writes them: «4,67 из 5», «93,3 %», «1 250».

One display rule for the whole interface: at most two decimals, rounded half up, trailing zeros
dropped (so 100.0000 shows as «100» and 9.3333 as «9,33»); shares keep one decimal. The exact
values stay in the database and in exports; only the page rounds. Pure: Babel, no Flask, so rules
and the PDF writer use it too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_decimal

DISPLAY_PLACES = 2
SHARE_PLACES = 1


def rounded(value: float | int | Decimal, places: int = DISPLAY_PLACES) -> Decimal:
    """The one rounding rule for display: half up (school arithmetic), not banker's."""
    try:
        exact = value if isinstance(value, Decimal) else Decimal(str(value))
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return Decimal(0)


def number(value: float | int | Decimal | None, locale: str = "ru", places: int = DISPLAY_PLACES) -> str:
    """«4,67», «100», «1 250,5»; an empty string for None (nothing to show)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(rounded(value, places), format=pattern, locale=locale)


def score(
    value: float | int | Decimal | None, out_of: float | int | Decimal | None, locale: str = "ru"
) -> str:
    """«4,67 из 5» (the connecting word follows the locale)."""
    if value is None:
        return "—"
    if out_of is None:
        return number(value, locale)
    word = "из" if locale.startswith("ru") else "of"
    return f"{number(value, locale)} {word} {number(out_of, locale)}"


def percent(share: float | int | Decimal | None, locale: str = "ru", places: int = SHARE_PLACES) -> str:
    """A share in 0..1 as «93,3 %» (Russian puts a non-breaking space before the sign)."""
    if share is None:
        return "—"
    shown = number(Decimal(str(share)) * 100, locale, places)
    return f"{shown}\u00a0%" if locale.startswith("ru") else f"{shown}%"


def percent_of(value: float | int | Decimal | None, locale: str = "ru") -> str:
    """A value already in percent (0..100), e.g. a quiz grade: «93,3 %»."""
    if value is None:
        return "—"
    return percent(Decimal(str(value)) / 100, locale)
