"""Methodical library: 100,000 published materials by 20,000 authors (bulk inserts), and the catalogue
page, a Russian full-text search and a faceted search on it; plus the stemmer's and the catalogue
service's own timings."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import insert, select, text

from app.accounts import Institution, Role, User
from app.extensions import Base, db
from app.timeutil import utcnow
from bench.scenario import BenchContext, HttpTarget, PureResult, rate, timed
from community.associations.models import Association
from community.library import russian_words
from community.library.catalogue import Viewer, browse
from community.library.catalogue_params import Filters
from community.library.models import (
    Material,
    MaterialGrade,
    MaterialKind,
    MaterialStatus,
    MaterialSubject,
    MaterialVersion,
    VersionState,
)
from community.library.search_schema import PG_INDEX, PG_TABLE, PG_VECTOR, create_statements
from community.subjects import Subject, ensure_default_subjects

MATERIALS = 100_000
AUTHORS = 20_000
ASSOCIATIONS = 60
CHUNK = 5_000

TOPICS = (
    "Сложение дробей",
    "Умножение десятичных дробей",
    "Уравнения с одной переменной",
    "Квадратные уравнения",
    "Теорема Пифагора",
    "Подобные треугольники",
    "Законы Ньютона",
    "Электрический ток",
    "Фотосинтез",
    "Строение клетки",
    "Причастный оборот",
    "Безударные гласные в корне",
    "Поэзия Серебряного века",
    "Война и мир: образ Наташи Ростовой",
    "Великая Отечественная война",
    "Реформы Петра I",
    "Климат России",
    "Материки и океаны",
    "Алгоритмы и исполнители",
    "Циклы в Python",
    "Present Perfect",
    "Химические реакции",
    "Периодическая система",
    "Права ребёнка",
    "Безопасность на дорогах",
    "Здоровый образ жизни",
    "Новогодний праздник в начальной школе",
    "Масленица",
    "Звёздное небо",
    "Народные промыслы",
)
KIND_WORDS = {
    MaterialKind.LESSON_PLAN: "Конспект урока",
    MaterialKind.PRESENTATION: "Презентация к уроку",
    MaterialKind.WORKSHEET: "Рабочий лист",
    MaterialKind.TEST: "Проверочная работа",
    MaterialKind.EVENT_SCENARIO: "Сценарий мероприятия",
    MaterialKind.ARTICLE: "Статья из опыта работы",
    MaterialKind.VIDEO: "Видеоурок",
    MaterialKind.OTHER: "Материалы",
}
PHRASES = (
    "Урок построен на групповой работе и взаимопроверке.",
    "Материал подходит для дистанционного обучения.",
    "Включены задания разного уровня сложности и ключи с ответами.",
    "Используются элементы технологии критического мышления.",
    "Разработка прошла апробацию на открытом уроке в школе.",
    "В приложении — раздаточный материал и критерии оценивания.",
    "Учтены требования обновлённого ФГОС.",
    "Подойдёт для подготовки к ОГЭ и ЕГЭ.",
)
# The searches measured: a topic word in another form than the titles have it, and a rare phrase.
SEARCH = "дроби"


def prepare(ctx: BenchContext) -> None:
    rng = random.Random(11)
    ensure_default_subjects()
    db.session.commit()
    subject_ids = list(db.session.scalars(select(Subject.id).order_by(Subject.id)))
    institution_ids = ctx.data.get("institution_ids") or list(db.session.scalars(select(Institution.id)))
    authors = _authors(ctx, rng, institution_ids)
    db.session.execute(
        insert(Association),
        [
            {
                "name": f"МО учителей № {n}",
                "description": "Методическое объединение",
                "district": f"Район {n % 30 + 1}",
            }
            for n in range(1, ASSOCIATIONS + 1)
        ],
    )
    association_ids = list(db.session.scalars(select(Association.id)))
    start = utcnow() - timedelta(days=3 * 365)
    with _search_rows_after_loading():
        for offset in range(0, MATERIALS, CHUNK):
            rows = [_material(rng, authors, association_ids, start, n) for n in range(offset, offset + CHUNK)]
            ids = _insert_materials(rows)
            _insert_links(rng, ids, subject_ids)
            _index(ids, rows)
    db.session.execute(
        text(
            "UPDATE material SET published_version_id = "
            "(SELECT v.id FROM material_version v WHERE v.material_id = material.id)"
        )
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))  # the planners see the new sizes before the first request
    db.session.commit()
    ctx.data["library_subject_id"] = subject_ids[3]  # Математика


def _authors(ctx: BenchContext, rng: random.Random, institution_ids: list[int]) -> list[tuple[int, int]]:
    db.session.execute(
        insert(User),
        [
            {
                "email": f"author{n}@library.bench.vmeste.local",
                "full_name": f"Автор Методический {n}",
                "role": Role.TEACHER,
                "institution_id": rng.choice(institution_ids),
                "password_hash": ctx.password_hash,
                "timezone": "Europe/Moscow",
                "locale": "ru",
                "active": True,
            }
            for n in range(AUTHORS)
        ],
    )
    query = select(User.id, User.institution_id).where(User.email.like("author%@library.bench.vmeste.local"))
    return [(row.id, row.institution_id) for row in db.session.execute(query)]


def _material(
    rng: random.Random, authors: list[tuple[int, int]], associations: list[int], start: object, n: int
) -> dict[str, object]:
    author_id, institution_id = rng.choice(authors)
    kind = rng.choice(list(MaterialKind))
    grade = rng.randint(1, 11)
    title = f"{KIND_WORDS[kind]}: «{rng.choice(TOPICS)}», {grade} класс"
    summary = " ".join(rng.sample(PHRASES, 3))
    published = start + timedelta(minutes=15 * n)  # type: ignore[operator]
    ratings = rng.choice((0, 0, 1, 3, 7))
    return {
        "author_id": author_id,
        "institution_id": institution_id,
        "association_id": rng.choice(associations) if rng.random() < 0.3 else None,
        "kind": kind,
        "status": MaterialStatus.PUBLISHED,
        "title": title,
        "summary": summary,
        "summary_html": f"<p>{summary}</p>",
        "search_text": f"{title}\n{summary}",
        "created_at": published,
        "updated_at": published,
        "published_at": published,
        "rating_sum": sum(rng.randint(3, 5) for _ in range(ratings)),
        "ratings_count": ratings,
        "comments_count": rng.choice((0, 0, 0, 1, 2, 5)),
        "views_count": rng.randint(0, 500),
        "downloads_count": rng.randint(0, 100),
        "_grade": grade,
    }


def _insert_materials(rows: list[dict[str, object]]) -> list[int]:
    before = db.session.scalar(select(db.func.coalesce(db.func.max(Material.id), 0))) or 0
    _bulk(Material, [{k: v for k, v in row.items() if k != "_grade"} for row in rows])
    return list(range(int(before) + 1, int(before) + 1 + len(rows)))


def _insert_links(rng: random.Random, ids: list[int], subject_ids: list[int]) -> None:
    subjects, grades, versions = [], [], []
    for material_id in ids:
        for subject_id in rng.sample(subject_ids, rng.choice((1, 1, 2))):
            subjects.append({"material_id": material_id, "subject_id": subject_id})
        first = rng.randint(1, 10)
        for grade in range(first, min(11, first + rng.choice((0, 0, 1, 2))) + 1):
            grades.append({"material_id": material_id, "grade": grade})
        versions.append(
            {"material_id": material_id, "number": 1, "state": VersionState.PUBLISHED, "title": ""}
        )
    _bulk(MaterialSubject, subjects)
    _bulk(MaterialGrade, grades)
    _bulk(MaterialVersion, versions)


def _bulk(model: type[Base], rows: Sequence[Mapping[str, object]]) -> None:
    """One executemany through the table (psycopg pipelines it). Not the ORM's bulk insert, which
    leaves a None out of a row's keys and starts a new statement whenever the keys change (the 30 %
    of materials with an association made ~2 rows a statement, 42,000 statements in all), nor
    RETURNING, whose 1,000-row statements psycopg parses anew each time (slower still)."""
    db.session.execute(db.metadata.tables[model.__tablename__].insert(), rows)


@contextmanager
def _search_rows_after_loading() -> Iterator[None]:
    """PostgreSQL: the schema's trigger computes each new material's vector and updates the GIN index
    one row at a time (most of the load's time); here the trigger rests while the bulk goes in, then
    one INSERT … SELECT with the trigger's own expression fills the search rows and the index is
    built once. The library searched is the same."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    create_index = next(s for s in create_statements("postgresql") if s.startswith("CREATE INDEX"))
    db.session.execute(text(f"ALTER TABLE material DISABLE TRIGGER {PG_TABLE}_sync"))
    db.session.execute(text(f"DROP INDEX {PG_INDEX}"))
    before = db.session.scalar(select(db.func.coalesce(db.func.max(Material.id), 0)))
    yield
    # A plain range, not NOT EXISTS against the table being filled: the planner, with no statistics
    # yet, rescanned the growing table for every material (minutes).
    vector = PG_VECTOR.replace("NEW.", "material.")
    db.session.execute(
        text(
            f"INSERT INTO {PG_TABLE} (material_id, document) SELECT material.id, {vector} FROM material "
            "WHERE material.id > :before"
        ),
        {"before": before},
    )
    db.session.execute(text(create_index))
    db.session.execute(text(f"ALTER TABLE material ENABLE TRIGGER {PG_TABLE}_sync"))


def _index(ids: list[int], rows: list[dict[str, object]]) -> None:
    """SQLite's stems table (PostgreSQL indexes the column by itself)."""
    if db.engine.dialect.name != "sqlite":
        return
    db.session.execute(
        text("INSERT INTO material_fts (rowid, words) VALUES (:id, :words)"),
        [
            {"id": material_id, "words": russian_words.index_document(str(row["search_text"]))}
            for material_id, row in zip(ids, rows, strict=True)
        ],
    )


def targets(ctx: BenchContext) -> list[HttpTarget]:
    teacher = ctx.data.get("teacher_email")
    math = ctx.data.get("library_subject_id", 4)
    return [
        HttpTarget("library catalogue (100,000 materials)", "/library/", login_as=teacher, at_least=0.15),
        HttpTarget(f"library full-text search «{SEARCH}»", f"/library/?q={quote(SEARCH)}", login_as=teacher),
        HttpTarget(
            "library faceted search (subject, grade, kind)",
            f"/library/?subject={math}&grade=5&kind=test&sort=rated",
            login_as=teacher,
        ),
        HttpTarget("library API search «урок» + facets", f"/api/v1/materials?q={quote('урок')}&grade=7"),
    ]


def pure(ctx: BenchContext) -> list[PureResult]:
    document = "\n".join(PHRASES) * 4
    return [
        rate(
            "index_document, 1 KB of Russian text (stems, cached words)",
            lambda: russian_words.index_document(document),
        ),
        timed("catalogue service, first page + facets, 100,000 materials", lambda: _browse(Filters())),
        timed(f"catalogue service, search «{SEARCH}»", lambda: _browse(Filters(q=SEARCH))),
    ]


def _browse(filters: Filters) -> object:
    result = browse(filters, Viewer(), page=1, per_page=20)
    db.session.rollback()
    return result
