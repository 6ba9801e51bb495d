"""What the calendar's kinds, formats and audiences are called on pages and in the term plan."""

from __future__ import annotations

from app.i18n import lazy_

KIND_LABELS = {
    "webinar": lazy_("Webinar"),
    "open_lesson": lazy_("Open lesson"),
    "seminar": lazy_("Seminar"),
    "master_class": lazy_("Master class"),
    "conference": lazy_("Conference"),
    "round_table": lazy_("Round table"),
}
FORMAT_LABELS = {
    "online": lazy_("Online"),
    "offline": lazy_("In person"),
    "hybrid": lazy_("Online and in person"),
}
AUDIENCE_LABELS = {
    "network": lazy_("Everyone in the network"),
    "association": lazy_("Members of the association"),
    "invited": lazy_("Invited colleagues"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(str(kind))
    return str(label) if label is not None else str(kind)
