"""Demo calendar for `flask demo`: a term of the network's events — the methodical centre's weekly
webinar series (the first sittings already held, with attendance, certificates and feedback), open
lessons, a seminar in person, a hybrid master class, a conference and an association's round table.
Everything goes through the calendar's own services with `now` set to when it would have happened.
Idempotent: nothing is added when the series' title is already in the calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.accounts import Institution, User
from app.demo import demo_user
from app.extensions import db
from app.timeutil import utcnow
from community.associations.models import Association
from community.events import attendance, feedback, registration, scheduling
from community.events.models import Event
from community.events.scheduling import EventInput
from community.subjects import Subject

SERIES_TITLE = "Вебинар ИМЦ «Функциональная грамотность на каждом уроке»"
ZONE = "Asia/Novosibirsk"
LISTENERS = (
    "teacher@vmeste.local",
    "teacher2@vmeste.local",
    "teacher3@vmeste.local",
    "teacher4@vmeste.local",
)
COMMENTS = (
    (5, "Очень полезно: взяла два приёма для урока в 6 классе."),
    (4, "Хорошие примеры заданий, хотелось бы больше времени на вопросы."),
    (5, ""),
)


def load_events() -> list[str]:
    if db.session.scalar(select(Event.id).where(Event.title == SERIES_TITLE).limit(1)) is not None:
        return ["Calendar: already loaded"]
    today = utcnow().astimezone(ZoneInfo(ZONE)).replace(hour=0, minute=0, second=0, microsecond=0)
    methodist = demo_user("methodist@vmeste.local")
    series = _series(methodist, today)
    held = [event for event in series if event.ends_at < utcnow()]
    for event in held:
        _hold(event, methodist)
    singles = _singles(today)
    return [
        f"Calendar: a weekly series of {len(series)} webinars ({len(held)} held), {len(singles)} more events"
    ]


def _series(methodist: User, today: datetime) -> list[Event]:
    """Every Thursday at 16:00 Novosibirsk time, from three weeks ago to ten weeks ahead."""
    thursday = today - timedelta(days=(today.weekday() - 3) % 7) - timedelta(weeks=3)
    first = thursday.replace(hour=16, tzinfo=None)
    data = EventInput(
        kind="webinar",
        title=SERIES_TITLE,
        description=(
            "Еженедельный вебинар информационно-методического центра: задания на **читательскую, "
            "математическую и естественнонаучную** грамотность, разбор работ учеников, ответы на вопросы."
        ),
        starts_at=first,
        duration_minutes=90,
        timezone=ZONE,
        format="online",
        link="https://meet.vmeste.local/imc-fg",
        capacity=100,
        institution_id=_institution("Институт развития образования"),
        subject_ids=_subjects("Математика", "Русский язык", "Биология"),
        grades=[5, 6, 7, 8, 9],
        questions=["В каких классах вы работаете?"],
        weekly_until=(first + timedelta(weeks=13)).date(),
    )
    before = first.replace(tzinfo=ZoneInfo(ZONE)) - timedelta(days=7)
    return scheduling.schedule(data, actor=methodist, now=before)


def _hold(event: Event, methodist: User) -> None:
    """A held sitting: the teachers registered a week before, the host marked them, some answered."""
    people = [demo_user(email) for email in LISTENERS]
    for person in people:
        registration.register(event, person, {"q1": "5–9"}, now=event.starts_at - timedelta(days=6))
    came = people[:3]
    attendance.mark(event, [p.id for p in came], actor=methodist, now=event.starts_at + timedelta(minutes=5))
    for person, (score, comment) in zip(came, COMMENTS, strict=True):
        feedback.leave_feedback(
            event, person, score=score, comment=comment, now=event.ends_at + timedelta(hours=1)
        )


def _singles(today: datetime) -> list[Event]:
    math = _association("МО учителей математики Центрального района")
    plans = [
        (
            "teacher@vmeste.local",
            EventInput(
                kind="open_lesson",
                title="Открытый урок «Сложение дробей с разными знаменателями», 6 класс",
                description="Урок с групповой работой и взаимопроверкой, затем обсуждение с коллегами.",
                starts_at=_at(today, 9, 10),
                duration_minutes=45,
                timezone=ZONE,
                format="hybrid",
                link="https://meet.vmeste.local/open-lesson-fractions",
                address="МБОУ «Гимназия № 1», кабинет 214",
                capacity=15,
                institution_id=_institution("МБОУ «Гимназия № 1»"),
                subject_ids=_subjects("Математика"),
                grades=[6],
            ),
        ),
        (
            "teacher3@vmeste.local",
            EventInput(
                kind="open_lesson",
                title="Открытый урок «Скорость химической реакции», 9 класс",
                description="Лабораторный опыт и работа с графиками.",
                starts_at=_at(today, 16, 11),
                duration_minutes=45,
                timezone=ZONE,
                format="online",
                link="https://meet.vmeste.local/open-lesson-chemistry",
                capacity=30,
                institution_id=_institution("МАОУ «Лицей № 3»"),
                subject_ids=_subjects("Химия"),
                grades=[9],
            ),
        ),
        (
            "methodist@vmeste.local",
            EventInput(
                kind="seminar",
                title="Семинар «Сетевые открытые уроки в малокомплектных школах»",
                description="Как сельским школам вести совместные открытые уроки при больших расстояниях.",
                starts_at=_at(today, 12, 14),
                duration_minutes=180,
                timezone=ZONE,
                format="offline",
                address="Новосибирск, ул. Красный проспект, 2, ИМЦ, актовый зал",
                capacity=40,
                institution_id=_institution("Институт развития образования"),
                registration_closes_at=_at(today, 10, 18),
            ),
        ),
        (
            "teacher2@vmeste.local",
            EventInput(
                kind="master_class",
                title="Мастер-класс «Интерактивная доска на уроке истории»",
                description="Покажем, как собрать урок из готовых интерактивных заданий.",
                starts_at=_at(today, 18, 15),
                duration_minutes=60,
                timezone=ZONE,
                format="hybrid",
                link="https://meet.vmeste.local/master-class-history",
                address="МБОУ СОШ № 12, кабинет информатики",
                capacity=20,
                institution_id=_institution("МБОУ СОШ № 12"),
                subject_ids=_subjects("История"),
            ),
        ),
        (
            "methodist@vmeste.local",
            EventInput(
                kind="conference",
                title="Педагогическая конференция «Ровесник – ровеснику: проекты учеников»",
                description="Доклады руководителей проектов и итоги муниципального этапа.",
                starts_at=_at(today, 30, 10),
                duration_minutes=240,
                timezone=ZONE,
                format="online",
                link="https://meet.vmeste.local/conference",
                institution_id=_institution("Институт развития образования"),
            ),
        ),
        (
            "teacher@vmeste.local",
            EventInput(
                kind="round_table",
                title="Круглый стол МО математиков: подготовка к ОГЭ",
                description="Обмен опытом: пробные экзамены, разбор типичных ошибок.",
                starts_at=_at(today, 21, 15),
                duration_minutes=90,
                timezone=ZONE,
                format="online",
                link="https://meet.vmeste.local/round-table-oge",
                audience="association" if math else "network",
                association_id=math,
                subject_ids=_subjects("Математика"),
                grades=[9],
            ),
        ),
    ]
    events = []
    for email, data in plans:
        events += scheduling.schedule(data, actor=demo_user(email), now=utcnow())
    return events


def _at(today: datetime, days: int, hour: int) -> datetime:
    """A wall-clock moment in the demo's zone, `days` from today."""
    return (today + timedelta(days=days)).replace(hour=hour, tzinfo=None)


def _institution(name: str) -> int | None:
    return db.session.scalar(select(Institution.id).where(Institution.name == name))


def _association(name: str) -> int | None:
    return db.session.scalar(select(Association.id).where(Association.name == name))


def _subjects(*names: str) -> list[int]:
    return list(db.session.scalars(select(Subject.id).where(Subject.name.in_(names))))
