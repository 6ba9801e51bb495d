"""School subjects: the shared vocabulary materials, associations and events are filed under.

The list is data (seeded by the migration, extended by an administrator), kept in Russian with an
English name for the English interface.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base, db

# (Russian name, English name), in the order a Russian school timetable lists them.
DEFAULT_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("Начальные классы", "Primary school"),
    ("Русский язык", "Russian language"),
    ("Литература", "Literature"),
    ("Математика", "Mathematics"),
    ("Алгебра", "Algebra"),
    ("Геометрия", "Geometry"),
    ("Информатика", "Computer science"),
    ("Физика", "Physics"),
    ("Химия", "Chemistry"),
    ("Биология", "Biology"),
    ("География", "Geography"),
    ("История", "History"),
    ("Обществознание", "Social studies"),
    ("Английский язык", "English"),
    ("Немецкий язык", "German"),
    ("Французский язык", "French"),
    ("Окружающий мир", "The world around us"),
    ("Музыка", "Music"),
    ("Изобразительное искусство", "Fine arts"),
    ("Технология", "Technology"),
    ("Физическая культура", "Physical education"),
    ("Основы безопасности и защиты Родины", "Safety and civil defence"),
    ("Астрономия", "Astronomy"),
    ("Воспитательная работа", "Pastoral work"),
    ("Дополнительное образование", "Extracurricular education"),
    ("Управление образованием", "School management"),
)


class Subject(Base):
    """A school subject («Математика»)."""

    __tablename__ = "subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    def label(self, locale: str) -> str:
        """The name in the viewer's language (Russian unless English is asked for and known)."""
        return self.name_en if locale.startswith("en") and self.name_en else self.name


def all_subjects() -> list[Subject]:
    return list(db.session.scalars(select(Subject).order_by(Subject.position, Subject.name)))


def subjects_by_ids(ids: list[int]) -> dict[int, Subject]:
    """The subjects among `ids` that exist; callers compare lengths to report unknown ones."""
    if not ids:
        return {}
    return {s.id: s for s in db.session.scalars(select(Subject).where(Subject.id.in_(set(ids))))}


def ensure_default_subjects() -> int:
    """Add the missing default subjects (the demo and fresh test databases); returns how many."""
    known = set(db.session.scalars(select(Subject.name)))
    added = 0
    for position, (name, name_en) in enumerate(DEFAULT_SUBJECTS):
        if name not in known:
            db.session.add(Subject(name=name, name_en=name_en, position=position))
            added += 1
    db.session.flush()
    return added
