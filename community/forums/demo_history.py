"""Demo history of the forums: last academic year's discussion in the network forum (teachers of
four schools), written through the forums' services like the current demo topics, so monitoring's
activity report has two years to compare. Idempotent: a topic already there (by title) is skipped."""

from __future__ import annotations

from datetime import UTC, datetime

from app.timeutil import utcnow
from community.forums import places
from community.forums.demo import write_topics
from community.forums.demo_data import DemoTopic


def _days_since_last_november(now: datetime) -> int:
    """Days back to 20 November of the previous academic year (UTC is near enough for the demo)."""
    year = now.year if now.month >= 9 else now.year - 1
    return (now - datetime(year - 1, 11, 20, 9, 0, tzinfo=UTC)).days


def _topics(days_ago: int) -> tuple[DemoTopic, ...]:
    return (
        (
            "teacher3@vmeste.local",
            "Итоги городской олимпиады прошлого года: что получилось",
            "Коллеги, делимся опытом подготовки к олимпиаде: какие задания пошли лучше всего, "
            "как организовали кружок и сколько ребят дошли до финала.",
            days_ago,
            (
                ("teacher@vmeste.local", "У нас помогли еженедельные разборы задач прошлых лет.", 3, 0),
                (
                    "teacher4@vmeste.local",
                    "Мы добавили онлайн-тренировки по субботам — участников стало больше.",
                    20,
                    0,
                ),
                (
                    "teacher2@vmeste.local",
                    "Согласен про разборы. Готов поделиться подборкой задач по физике.",
                    30,
                    2,
                ),
            ),
        ),
        (
            "methodist@vmeste.local",
            "Курсы повышения квалификации: план на год",
            "Напоминаем: каждому педагогу нужны курсы раз в три года. Пишите, какие темы нужны вашей школе.",
            days_ago - 20,
            (
                (
                    "teacher2@vmeste.local",
                    "Нужны курсы по цифровым инструментам и функциональной грамотности.",
                    5,
                    0,
                ),
                ("teacher3@vmeste.local", "Поддерживаю, особенно по оцениванию.", 26, 0),
            ),
        ),
    )


def load_forum_history() -> list[str]:
    added = write_topics(places.network_forum(), _topics(_days_since_last_november(utcnow())))
    return [f"Forums history: {added} topics of the previous academic year in the network forum"]


# The history's topic titles (the network forum holds these besides the current demo topics).
TITLES = tuple(topic[1] for topic in _topics(0))
