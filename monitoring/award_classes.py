"""Award classes (pure): which of winner, prize-winner or laureate an award's title names.

Organisers title awards freely («Победитель», «Призёр II степени», «Winner», «Диплом лауреата»);
monitoring counts three classes. A title naming none of them is a laureate: it is still an award
(the seeds count «laureates, prize-winners and winners» together)."""

from __future__ import annotations

WINNER = "winner"
PRIZE_WINNER = "prize_winner"
LAUREATE = "laureate"
CLASSES = (WINNER, PRIZE_WINNER, LAUREATE)

# Stems in the order they are tried: a title like «Лауреат (победитель номинации)» is a winner
# because the winner's stem comes first. The recompute job classifies each distinct title once.
_STEMS: tuple[tuple[str, str], ...] = (
    ("победител", WINNER),
    ("призёр", PRIZE_WINNER),
    ("призер", PRIZE_WINNER),
    ("prize", PRIZE_WINNER),  # before «winner»: «Prize-winner» is a prize-winner
    ("winner", WINNER),
    ("лауреат", LAUREATE),
    ("laureate", LAUREATE),
)


def award_class(title: str) -> str:
    """The class of an award by its title, case-insensitively; anything else is a laureate."""
    text = (title or "").casefold().replace("ё", "е")
    for stem, klass in _STEMS:
        if stem.replace("ё", "е") in text:
            return klass
    return LAUREATE
