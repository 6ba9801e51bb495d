"""Demo data for `make run` and screenshots. Idempotent: rows are found by a natural key first.

The accounts come first, then each room's part in the order create_app registers them
(app/wiring.py); the rooms' demo modules import this one, never the other way round."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.accounts import Institution, Role, User
from app.extensions import db
from app.security import hash_password

DEMO_PASSWORD = "vmeste-demo"

INSTITUTIONS = [
    ("МБОУ «Гимназия № 1»", "Центральный район", "Новосибирская область"),
    ("МБОУ СОШ № 12", "Центральный район", "Новосибирская область"),
    ("МАОУ «Лицей № 3»", "Ленинский район", "Новосибирская область"),
    ("МБОУ СОШ № 47", "Ленинский район", "Новосибирская область"),
    ("Районный методический центр", "Кировский район", "Новосибирская область"),
    ("Институт развития образования", "Центральный район", "Новосибирская область"),
]

USERS = [
    ("admin@vmeste.local", "Администратор Системы", Role.ADMIN, "Институт развития образования"),
    (
        "organiser@vmeste.local",
        "Ольга Петровна Организаторова",
        Role.ORGANISER,
        "Районный методический центр",
    ),
    ("teacher@vmeste.local", "Татьяна Ивановна Учителева", Role.TEACHER, "МБОУ «Гимназия № 1»"),
    ("teacher2@vmeste.local", "Сергей Николаевич Преподаватель", Role.TEACHER, "МБОУ СОШ № 12"),
    ("student@vmeste.local", "Иван Учеников", Role.STUDENT, "МАОУ «Лицей № 3»"),
    ("student2@vmeste.local", "Мария Школьникова", Role.STUDENT, "МБОУ СОШ № 47"),
    ("juror@vmeste.local", "Елена Викторовна Жюри", Role.JUROR, "Институт развития образования"),
    ("juror2@vmeste.local", "Андрей Павлович Эксперт", Role.JUROR, "МБОУ СОШ № 12"),
    (
        "methodist@vmeste.local",
        "Наталья Сергеевна Методистова",
        Role.METHODIST,
        "Районный методический центр",
    ),
    ("teacher3@vmeste.local", "Галина Петровна Химикова", Role.TEACHER, "МАОУ «Лицей № 3»"),
    ("teacher4@vmeste.local", "Алексей Викторович Историков", Role.TEACHER, "МБОУ СОШ № 47"),
]

DemoPart = Callable[[], list[str]]
_parts: list[DemoPart] = []


def demo_part(part: DemoPart) -> DemoPart:
    """Register a room's part; registering it again moves it last, so the app's list sets the order."""
    if part in _parts:
        _parts.remove(part)
    _parts.append(part)
    return part


def demo_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, f"demo user {email} is missing: load the accounts part first"
    return user


def load_accounts() -> list[str]:
    institutions = {i.name: i for i in db.session.scalars(select(Institution))}
    for name, district, region in INSTITUTIONS:
        if name not in institutions:
            institutions[name] = Institution(name=name, district=district, region=region)
            db.session.add(institutions[name])
    db.session.flush()
    existing = set(db.session.scalars(select(User.email)))
    password_hash = hash_password(DEMO_PASSWORD)
    for email, full_name, role, institution in USERS:
        if email not in existing:
            db.session.add(
                User(
                    email=email,
                    full_name=full_name,
                    role=role,
                    password_hash=password_hash,
                    institution_id=institutions[institution].id,
                )
            )
    db.session.commit()
    return [f"  {email:28} {DEMO_PASSWORD}   ({role.value})" for email, _, role, _ in USERS]


def load_demo() -> list[str]:
    lines = ["Demo accounts (e-mail, password, role):", *load_accounts()]
    for part in _parts:
        lines.extend(part())
    return lines
