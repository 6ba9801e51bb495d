"""Foundation pages: the login page, the empty signed-in page (the floor: the layout around a tiny
form), a teacher's dashboard, the network list and the admin's institutions list, with 1,000
institutions and 10,000 users; plus Markdown and password timings."""

from __future__ import annotations

import random

from sqlalchemy import insert

from app.accounts import Institution, Role, User
from app.extensions import db
from bench.scenario import BenchContext, HttpTarget, PureResult, rate, timed

INSTITUTIONS = 1_000
USERS = 10_000
DISTRICTS = [f"Район {n}" for n in range(1, 31)]
ROLES = [Role.TEACHER] * 5 + [Role.STUDENT] * 4 + [Role.JUROR]
ADMIN = "bench-admin@vmeste.local"
TEACHER = "bench-teacher@vmeste.local"


def prepare(ctx: BenchContext) -> None:
    """Bulk inserts: the pages are measured at this size, not the generation."""
    rng = random.Random(2026)
    db.session.execute(
        insert(Institution),
        [
            {"name": f"МБОУ СОШ № {n}", "district": rng.choice(DISTRICTS), "region": "Новосибирская область"}
            for n in range(1, INSTITUTIONS + 1)
        ],
    )
    ids = list(db.session.scalars(db.select(Institution.id)))
    people = [
        {
            "email": ADMIN,
            "full_name": "Администратор Нагрузочный",
            "role": Role.ADMIN,
            "institution_id": ids[0],
        },
        {
            "email": TEACHER,
            "full_name": "Учитель Нагрузочный",
            "role": Role.TEACHER,
            "institution_id": ids[1],
        },
    ]
    people += [
        {
            "email": f"user{n}@bench.vmeste.local",
            "full_name": f"Участник {n}",
            "role": rng.choice(ROLES),
            "institution_id": rng.choice(ids),
        }
        for n in range(USERS - len(people))
    ]
    for person in people:
        person.update(password_hash=ctx.password_hash, timezone="Europe/Moscow", locale="ru", active=True)
    db.session.execute(insert(User), people)
    db.session.commit()
    ctx.data.update(admin_email=ADMIN, teacher_email=TEACHER, institution_ids=ids)


def targets(ctx: BenchContext) -> list[HttpTarget]:
    return [
        HttpTarget("login page", "/auth/login"),
        # The floor every signed-in page pays: the layout around a three-field form with no data of
        # its own (the lightest signed-in page: 3 statements, 10 KB; the notification settings
        # page, the other candidate, draws a table of 27 checkboxes).
        HttpTarget(
            "empty signed-in page (change password form)", "/auth/password", login_as=TEACHER, at_least=0.25
        ),
        HttpTarget("dashboard (teacher)", "/dashboard", login_as=TEACHER, at_least=0.15),
        HttpTarget("network list (1,000 institutions, 10,000 users)", "/network", login_as=TEACHER),
        HttpTarget("admin institutions list", "/admin/institutions", login_as=ADMIN),
    ]


def pure(ctx: BenchContext) -> list[PureResult]:
    from app import institutions
    from app.markdown import render_markdown, render_markdown_uncached
    from app.security import check_password

    text = (
        "# Положение о конкурсе\n\n**Цель**: развитие *сетевого* взаимодействия.\n\n"
        "- этап 1\n- этап 2\n\n[сайт](https://example.org) <script>alert(1)</script>\n"
    ) * 5
    return [
        rate(
            "render_markdown, 1 KB of new text (Markdown + sanitiser)", lambda: render_markdown_uncached(text)
        ),
        rate("render_markdown, 1 KB seen before (cached)", lambda: render_markdown(text)),
        timed(
            "password check (argon2id, configured cost)",
            lambda: check_password(ctx.password_hash, ctx.password),
        ),
        timed("network_page service, first page of 1,000", lambda: institutions.network_page(1, 100)),
    ]
