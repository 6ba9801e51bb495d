"""Course pages a teacher finds their way through alone (issue 16): the course navigation and link
breadcrumbs on every course page, item forms that ask only what the kind needs, the quiz item's
question picker, numbers by the locale, and empty states that say what to do next."""

from __future__ import annotations

import re
from decimal import Decimal

from app.extensions import db
from app.timeutil import utcnow
from courses import gradebook, structure
from courses.models import Item
from courses.quiz.bank_gift import import_gift
from courses.quiz.models import QuestionBank
from tests.conftest import login
from tests.factories import courses as cf
from tests.factories.accounts import teacher

GIFT = """\
$CATEGORY: Дроби
::Половина::Сколько будет 1/2 + 1/2? {=1 ~2 ~0}

::Земля::Земля круглая. {T}
"""


def _tabs(html: str) -> list[str]:
    nav = html.split("data-course-nav=")[1].split("</nav>")[0]
    return re.findall(r'data-course-tab="([a-z]+)"', nav)


def test_course_pages_carry_the_course_navigation_and_link_breadcrumbs(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    page = cf.page(module)
    task = cf.assignment(module)
    learner = cf.enrolled(course)
    author = cf._author(course)
    login(client, author)
    pages = {
        f"/courses/{course.id}": "view",
        f"/courses/{course.id}/gradebook": "gradebook",
        f"/courses/{course.id}/progress": "progress",
        f"/courses/{course.id}/members": "members",
        f"/courses/{course.id}/settings": "settings",
        f"/courses/items/{page.id}": None,
        f"/courses/items/{page.id}/edit": None,
        f"/courses/items/{task.id}/submissions": "view",
        f"/courses/modules/{module.id}/items/new/page": None,
    }
    for path, active in pages.items():
        html = client.get(path).get_data(as_text=True)
        assert "data-course-nav" in html, path
        assert {"view", "gradebook", "progress", "members", "settings"} <= set(_tabs(html)), path
        crumbs = html.split("data-breadcrumbs>")[1].split("</nav>")[0]
        assert 'href="/courses/"' in crumbs, path
        if path != f"/courses/{course.id}":
            assert f'href="/courses/{course.id}"' in crumbs, path  # the course itself is a link
        if active:
            assert re.search(
                rf'active" aria-current="page" href="[^"]+" *(id="[^"]+")? data-course-tab="{active}"', html
            ), path
    client.post("/auth/logout")
    login(client, learner)
    html = client.get(f"/courses/items/{page.id}").get_data(as_text=True)
    assert _tabs(html) == ["view", "gradebook", "forums"]  # a student sees no tutor's tabs
    assert f'href="/courses/{course.id}" data-course-nav-title' in html


def test_page_form_asks_for_text_not_points_and_keeps_the_weight(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    page = cf.page(module, weight=Decimal("3"))
    login(client, cf._author(course))
    form = client.get(f"/courses/modules/{module.id}/items/new/page").get_data(as_text=True)
    assert 'name="body"' in form and 'name="weight"' not in form and 'name="completion_points"' not in form
    main, more = form.split("<details")
    assert 'name="title"' in main and 'name="hidden"' in more and 'name="prerequisite"' in more
    assert " open>" not in more.split(">")[0] + ">"  # the fold starts closed
    saved = client.post(
        f"/courses/items/{page.id}/edit",
        data={"title": "Введение", "body": "Новый текст", "completion": "viewed", "prerequisite": "0"},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Item, page.id)
    assert edited.body == "Новый текст" and edited.weight == Decimal("3")


def test_assignment_form_groups_task_grading_and_folds_the_rare_rules(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    login(client, cf._author(course))
    url = f"/courses/modules/{module.id}/items/new/assignment"
    main, more = client.get(url).get_data(as_text=True).split("<details")
    for name in ("title", "description", "due_at", "max_points", "allow_files"):
        assert f'name="{name}"' in main, name
    for name in ("cutoff_at", "rubric", "max_file_mb", "weight", "visible_from"):
        assert f'name="{name}"' in more, name
    refused = client.post(
        url,
        data={"title": "Эссе", "max_points": "10", "max_file_mb": "0", "max_files": "5", "prerequisite": "0"},
    )
    assert refused.status_code == 422
    folded = refused.get_data(as_text=True).split("<details")[1]
    assert folded.split(">")[0].endswith(" open")  # the refused field's fold opens by itself
    assert "is-invalid" in folded
    assert cf.count(Item) == 0


def test_quiz_item_uses_the_quiz_rooms_picker_with_russian_types_and_excerpts(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    author = cf._author(course)
    report = import_gift(db.session.get(QuestionBank, course.bank_id), GIFT, actor=author)
    assert not report.errors
    login(client, author)
    url = f"/courses/modules/{module.id}/items/new/quiz"
    html = client.get(url).get_data(as_text=True)
    assert "data-quiz-picker" in html and "data-question-picker" not in html  # one picker, the quiz room's
    assert html.count('type="checkbox" name="questions"') == 2
    assert "Один вариант" in html and "Верно/неверно" in html
    assert "(single)" not in html and "(truefalse)" not in html and 'value="single"' in html
    assert ">Дроби</option>" in html and 'name="q"' in html  # server-side search and filters
    assert "Сколько будет 1/2 + 1/2?" in html and "Земля круглая." in html  # the excerpts
    assert "Выбрано вопросов: 0, баллов всего: 0" in html
    assert "/static/js/quiz.js" in html and "data-empty-bank" not in html
    empty = client.post(
        url, data={"title": "Тест", "max_grade": "10", "prerequisite": "0", "completion": "none"}
    )
    assert empty.status_code == 422
    refusal = empty.get_data(as_text=True).split("data-quiz-picker")[1]
    assert "Отметьте хотя бы один вопрос." in refusal and "Выбрано вопросов: 0" in refusal
    assert cf.count(Item) == 0
    first = report.imported[0].id
    again = client.post(
        url, data={"title": "", "questions": [first], "max_grade": "10", "prerequisite": "0"}
    ).get_data(as_text=True)
    assert f'name="questions" value="{first}" data-mark="1" checked' in again
    assert "Выбрано вопросов: 1, баллов всего: 1" in again and cf.count(Item) == 0


def test_gradebook_and_progress_write_numbers_by_the_locale(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    task = cf.assignment(module, max_points="10")
    cf.assignment(module, max_points="10")
    learner = cf.enrolled(course)
    author = cf._author(course)
    gradebook.set_override(course, task, learner, Decimal("7.5"), actor=author, now=utcnow())
    login(client, author)
    html = client.get(f"/courses/{course.id}/gradebook").get_data(as_text=True)
    assert 'value="7,5"' in html  # exact, typed back as a Russian teacher types it
    assert "макс. 10, вес 1<" in html  # not «10.00», «1.00»
    assert "37,5\u00a0%" in html and "37.5" not in html
    assert '<th scope="col">ФИО</th>' in html  # a column of people is headed by what it holds
    progress = client.get(f"/courses/{course.id}/progress").get_data(as_text=True)
    assert "ФИО" in progress and "Название" not in progress
    client.post("/auth/logout")
    login(client, learner)
    own = client.get(f"/courses/{course.id}/gradebook").get_data(as_text=True)
    assert ">7,5*</td>" in own and "37,5\u00a0%" in own


def test_empty_course_says_what_to_do_next(client) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    learner = cf.enrolled(course)
    login(client, cf._author(course))
    html = client.get(f"/courses/{course.id}").get_data(as_text=True)
    empty = html.split("data-empty-state>")[1].split("</div>")[0]
    assert 'href="#add-module-form"' in empty and 'id="add-module-form"' in html
    assert 'id="add-module-top"' in html  # the primary action is a visible button
    module = cf.module(course)
    html = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert f'href="/courses/modules/{module.id}/items/new/page" data-add="page"' in html
    assert 'class="btn btn-sm btn-outline-primary" href="/courses/modules/' in html
    client.post("/auth/logout")
    structure.delete_module(db.session.get(type(module), module.id), actor=cf._author(course))
    login(client, learner)
    html = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "data-empty-state" in html and "/forums/course/" in html and "add-module" not in html


def test_course_form_in_sections_with_dates_folded(client) -> None:  # type: ignore[no-untyped-def]
    login(client, teacher())
    html = client.get("/courses/new").get_data(as_text=True)
    main, more = html.split("<details")
    assert 'name="title"' in main and 'name="hours"' in main and 'name="enrolment_key"' in main
    assert 'name="starts_on"' in more and 'name="missing_grades"' in more
    assert "Объём, часов" in main
    refused = client.post(
        "/courses/new", data={"title": "Курс", "hours": "-1", "enrolment_mode": "invitation"}
    )
    assert refused.status_code == 422
    assert 'name="hours"' in refused.get_data(as_text=True).split("<details")[0]
