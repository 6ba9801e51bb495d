"""The words of the reports: titles, column headings and breakdown titles, translated when a report
is built (the viewer's language)."""

from __future__ import annotations

from app.i18n import _
from monitoring.figures import COUNTS, SHARES
from monitoring.report_shape import Column


def report_title(name: str) -> str:
    titles = {
        "qualification": _("Teachers' qualification"),
        "olympiads": _("Pupils' olympiads and contests"),
        "teacher_contests": _("Teachers' contests"),
        "activity": _("Community activity"),
    }
    return titles[name]


def column_label(key: str) -> str:
    labels = {
        "teachers": _("Teachers"),
        "courses_completed": _("Courses completed"),
        "hours": _("Hours"),
        "teachers_with_course_3y": _("Teachers with a course in 3 years"),
        "course_3y_share": _("Share with a course in 3 years"),
        "participants": _("Participants"),
        "advanced": _("Advanced"),
        "winners": _("Winners"),
        "prize_winners": _("Prize-winners"),
        "laureates": _("Laureates"),
        "awarded_share": _("Share of winners, prize-winners and laureates"),
        "advanced_share": _("Share advanced"),
        "publications": _("Publications"),
        "comments": _("Comments"),
        "forum_posts": _("Forum posts"),
        "events_held": _("Events held"),
        "events_attended": _("Events attended"),
        "association_members": _("Association members"),
        "active_teachers": _("Active teachers"),
        "activity_index": _("Index of network activity"),
    }
    return labels[key]


def columns(name: str) -> list[Column]:
    counts = [Column(key, column_label(key)) for key in COUNTS[name]]
    return counts + [Column(key, column_label(key), share=True) for key in SHARES[name]]


def breakdown_title(kind: str) -> str:
    titles = {"contest": _("By contest"), "subject": _("By subject"), "grade": _("By grade")}
    return titles[kind]
