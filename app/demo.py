"""Demo data for `make run` and screenshots. Idempotent: rows are found by a natural key first.

The accounts come first, then each room's part in the order create_app registers them
(app/wiring.py); the rooms' demo modules import this one, never the other way round."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.accounts import DistrictScope, Institution, InstitutionScope, InstitutionType, Role, User
from app.districts import district_named, place_in_district
from app.extensions import added, db
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

INSTITUTION_TYPES = {
    "МБОУ «Гимназия № 1»": InstitutionType.GYMNASIUM,
    "МАОУ «Лицей № 3»": InstitutionType.LYCEUM,
    "Районный методический центр": InstitutionType.METHODICAL_CENTRE,
    "Институт развития образования": InstitutionType.QUALIFICATION_INSTITUTE,
}

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
    ("coordinator@vmeste.local", "Ирина Владимировна Завучева", Role.COORDINATOR, "МБОУ «Гимназия № 1»"),
    (
        "district@vmeste.local",
        "Марина Александровна Районова",
        Role.DISTRICT_METHODIST,
        "Институт развития образования",
    ),
]

# What the monitoring accounts see: the coordinator their gymnasium, the district methodist their district.
COORDINATOR_SCOPE = ("coordinator@vmeste.local", "МБОУ «Гимназия № 1»")
DISTRICT_SCOPE = ("district@vmeste.local", "Центральный район", "Новосибирская область")

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
            institutions[name] = Institution(name=name)
            db.session.add(institutions[name])
        school = institutions[name]
        if school.district_id is None:  # districts are records (app.districts keeps the copies)
            place_in_district(school, district_named(district, region))
        if school.type in (None, InstitutionType.SCHOOL):
            school.type = INSTITUTION_TYPES.get(name, InstitutionType.SCHOOL)
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
    db.session.flush()
    _monitoring_scopes(institutions)
    db.session.commit()
    return [f"  {email:28} {DEMO_PASSWORD}   ({role.value})" for email, _, role, _ in USERS]


def _monitoring_scopes(institutions: dict[str, Institution]) -> None:
    """The demo coordinator's school and the demo district methodist's district (added once)."""
    coordinator = demo_user(COORDINATOR_SCOPE[0])
    added(InstitutionScope(user_id=coordinator.id, institution_id=institutions[COORDINATOR_SCOPE[1]].id))
    methodist = demo_user(DISTRICT_SCOPE[0])
    district = district_named(DISTRICT_SCOPE[1], DISTRICT_SCOPE[2])
    added(DistrictScope(user_id=methodist.id, district_id=district.id))


def load_demo() -> list[str]:
    lines = ["Demo accounts (e-mail, password, role):", *load_accounts()]
    for part in _parts:
        lines.extend(part())
    return lines
