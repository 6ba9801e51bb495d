"""Course services: enrolment, submissions, grading, gradebook, completion and certificates."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from app.audit import AuditEntry
from app.certificates import Certificate
from app.domain_errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.uploads import StoredFile
from courses import catalogue, certificates, enrolment, gradebook, grading, progress, structure, submissions
from courses.files import Upload
from courses.models import CourseMember, CourseRole, Submission
from tests.factories import courses as cf
from tests.factories.accounts import student, teacher

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def upload(name: str = "work.pdf", data: bytes = b"%PDF-1.4 test") -> Upload:
    return Upload(name, io.BytesIO(data))


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_create_course_makes_the_creator_author_and_a_bank(app) -> None:  # type: ignore[no-untyped-def]
    author = teacher()
    course = cf.course(author)
    assert course.bank_id is not None
    member = db.session.scalar(select(CourseMember).where(CourseMember.course_id == course.id))
    assert (member.user_id, member.role) == (author.id, CourseRole.AUTHOR)


@pytest.mark.parametrize(("settings", "field"), [
    ({"title": " "}, "title"),
    ({"title": "x", "hours": -1}, "hours"),
    ({"title": "x", "enrolment_mode": "key"}, "enrolment_key"),
    ({"title": "x", "enrolment_mode": "magic"}, "enrolment_mode"),
    ({"title": "x", "starts_on": datetime(2026, 5, 1).date(), "ends_on": datetime(2026, 4, 1).date()}, "ends_on"),
])
def test_create_course_refuses_bad_settings(app, settings, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as refused:
        catalogue.create_course(catalogue.CourseSettings(**settings), actor=teacher())
    assert field in refused.value.fields


def test_self_enrol_with_key(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course(enrolment_mode="key", enrolment_key="секрет")
    user = student()
    with pytest.raises(Invalid) as wrong:
        enrolment.self_enrol(course, user, key="нет")
    assert "key" in wrong.value.fields
    enrolment.self_enrol(course, user, key="секрет")
    with pytest.raises(Conflict):
        enrolment.self_enrol(course, user, key="секрет")
    assert count(CourseMember) == 2


def test_invitation_only_refuses_self_enrolment(app) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        enrolment.self_enrol(cf.course(), student())


def test_enrol_twice_by_tutor_is_a_conflict(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    user = cf.enrolled(course)
    with pytest.raises(Conflict):
        cf.enrolled(course, user)


def test_enrol_csv_all_or_nothing(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    a, b = student(email="a@school.ru"), student(email="b@school.ru")
    author = cf._author(course)
    with pytest.raises(Invalid) as refused:
        enrolment.enrol_csv(course, "email\na@school.ru\nnobody@school.ru\nbroken\n", "student", actor=author)
    assert "nobody@school.ru" in refused.value.message and "broken" in refused.value.message
    assert count(CourseMember) == 1
    cf.enrolled(course, b)
    report = enrolment.enrol_csv(course, "email\nA@school.ru\nb@school.ru\n", "student", actor=author)
    assert (report.enrolled, report.already) == (["a@school.ru"], ["b@school.ru"])
    assert count(CourseMember) == 3
    assert a.id in set(db.session.scalars(select(CourseMember.user_id)))


def test_concurrent_self_enrolment_leaves_one_row(app) -> None:  # type: ignore[no-untyped-def]
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    course = cf.course(enrolment_mode="open")
    user = student()
    course_id, user_id = course.id, user.id
    db.session.commit()
    db.session.close()  # the test's own session must not hold SQLite's write lock
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        with app.app_context():
            from app.accounts import User
            from courses.models import Course

            barrier.wait()
            try:
                enrolment.self_enrol(db.session.get(Course, course_id), db.session.get(User, user_id))
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"]
    assert db.session.scalar(select(func.count()).select_from(CourseMember).where(
        CourseMember.user_id == user_id)) == 1


def test_submission_timing_late_and_closed(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course), due_at=NOW - timedelta(hours=1), cutoff_at=NOW + timedelta(hours=1))
    user = cf.enrolled(course)
    submission = submissions.submit(item, user, text="Ответ", files=[], now=NOW)
    assert submission.late is True
    with pytest.raises(Conflict):
        submissions.submit(item, user, text="Поздно", files=[], now=NOW + timedelta(hours=2))


def test_submission_files_checked_before_anything_is_stored(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course), allowed_extensions="pdf", max_file_mb=1)
    user = cf.enrolled(course)
    with pytest.raises(Invalid) as wrong_type:
        submissions.submit(item, user, text="", files=[upload(), upload("virus.exe")], now=NOW)
    assert "files" in wrong_type.value.fields
    with pytest.raises(Invalid) as too_big:
        submissions.submit(item, user, text="", files=[upload("big.pdf", b"x" * (1024 * 1024 + 1))], now=NOW)
    assert "big.pdf" in too_big.value.fields["files"]
    assert count(StoredFile) == 0 and count(Submission) == 0
    submission = submissions.submit(item, user, text="", files=[upload("Сочинение Иванова.pdf")], now=NOW)
    assert [f.file.original_name for f in submission.files] == ["Сочинение Иванова.pdf"]


def test_empty_submission_refused(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course))
    with pytest.raises(Invalid):
        submissions.submit(item, cf.enrolled(course), text="  ", files=[], now=NOW)


def test_resubmission_rules(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    once = cf.assignment(module, "Один раз", resubmission=False)
    again = cf.assignment(module, "Можно снова")
    user = cf.enrolled(course)
    submissions.submit(once, user, text="1", files=[], now=NOW)
    with pytest.raises(Conflict):
        submissions.submit(once, user, text="2", files=[], now=NOW)
    submissions.submit(again, user, text="1", files=[], now=NOW)
    second = submissions.submit(again, user, text="2", files=[], now=NOW)
    assert (second.version, second.text) == (2, "2")
    grading.grade_submission(second, points=Decimal("5"), actor=cf._author(course), now=NOW)
    with pytest.raises(Conflict):
        submissions.submit(again, user, text="3", files=[], now=NOW)


@pytest.mark.parametrize("points", [Decimal("-1"), Decimal("10.5")])
def test_grade_outside_range_is_a_field_error(app, points: Decimal) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course))
    submission = submissions.submit(item, cf.enrolled(course), text="x", files=[], now=NOW)
    with pytest.raises(Invalid) as refused:
        grading.grade_submission(submission, points=points, actor=cf._author(course), now=NOW)
    assert "points" in refused.value.fields


def test_rubric_grading(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    rubric = [{"name": "Содержание", "levels": [{"label": "слабо", "points": 0}, {"label": "хорошо", "points": 6}]},
              {"name": "Оформление", "levels": [{"label": "да", "points": 4}]}]
    item = cf.assignment(cf.module(course), rubric=rubric)
    submission = submissions.submit(item, cf.enrolled(course), text="x", files=[], now=NOW)
    with pytest.raises(Invalid):
        grading.grade_submission(submission, rubric_levels={"Содержание": 1}, actor=cf._author(course), now=NOW)
    graded = grading.grade_submission(submission, rubric_levels={"Содержание": 1, "Оформление": 0},
                                       feedback="Хорошо", actor=cf._author(course), now=NOW)
    assert graded.points == Decimal("10")


def test_completion_locking_and_certificate(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    first = cf.page(module, "Введение", completion="viewed")
    task = cf.assignment(module, item={"completion": "graded", "completion_points": Decimal("6"),
                                       "prerequisite_id": first.id})
    user = cf.enrolled(course)
    visible, locked_by = progress.item_access(task, user, now=NOW)
    assert visible and locked_by.id == first.id
    progress.mark_viewed(first, user, NOW)
    progress.mark_viewed(first, user, NOW)
    assert progress.item_access(task, user, now=NOW)[1] is None
    submission = submissions.submit(task, user, text="x", files=[], now=NOW)
    with pytest.raises(Conflict):
        certificates.course_certificate(course, user, now=NOW)
    grading.grade_submission(submission, points=Decimal("5"), actor=cf._author(course), now=NOW)
    assert progress.student_progress(course, user, NOW).percent == 50
    grading.grade_submission(submission, points=Decimal("6"), actor=cf._author(course), now=NOW)
    assert progress.student_progress(course, user, NOW).course_complete
    certificate = certificates.course_certificate(course, user, now=NOW)
    again = certificates.course_certificate(course, user, now=NOW)
    assert certificate.code == again.code and count(Certificate) == 1
    pdf = certificates.certificate_pdf(course, certificate, "http://localhost/verify/" + certificate.code)
    assert pdf.startswith(b"%PDF")


def test_hidden_and_dated_items_are_not_shown_to_students(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    cf.page(module, "Видно")
    cf.page(module, "Скрыто", hidden=True)
    cf.page(module, "Позже", visible_from=NOW + timedelta(days=1))
    user = cf.enrolled(course)
    shown = progress.outline(course, user, teaching=False, now=NOW)
    assert [s.item.title for s in shown.modules[0].items] == ["Видно"]
    teaching = progress.outline(course, cf._author(course), teaching=True, now=NOW)
    assert len(teaching.modules[0].items) == 3


def test_gradebook_row_saves_every_changed_cell_in_one_commit(app) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: the row used to be diffed in the view and committed once per cell; now one service
    call saves the row, all or nothing, with one commit and an audit entry per changed cell."""
    course = cf.course()
    module = cf.module(course)
    a, b, c = (cf.assignment(module, name, max_points="10") for name in "ABC")
    learner = cf.enrolled(course)
    author = cf._author(course)
    gradebook.set_override(course, c, learner, Decimal("4"), actor=author, now=NOW)
    commits: list[object] = []

    def counted(session: object) -> None:
        commits.append(session)

    event.listen(db.session, "after_commit", counted)
    try:
        saved = gradebook.save_row(course, learner, {a.id: "7", b.id: " 5 ", c.id: "4"}, actor=author, now=NOW)
    finally:
        event.remove(db.session, "after_commit", counted)
    assert saved == 2 and len(commits) == 1
    assert gradebook.gradebook(course, only_user=learner).rows[0].grades == [
        (Decimal("7"), True), (Decimal("5"), True), (Decimal("4"), True)]
    audited = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "course.grade_overridden"))
    assert audited == 3  # the earlier single cell and the row's two
    with pytest.raises(Invalid) as refused:
        gradebook.save_row(course, learner, {a.id: "9", b.id: "11", c.id: "abc"}, actor=author, now=NOW)
    assert set(refused.value.fields) == {f"p{b.id}", f"p{c.id}"}
    db.session.expire_all()
    assert gradebook.gradebook(course, only_user=learner).rows[0].grades[0] == (Decimal("7"), True)
    with pytest.raises(NotFound):
        gradebook.save_row(course, author, {a.id: "1"}, actor=author, now=NOW)


def test_gradebook_totals_and_overrides(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    module = cf.module(course)
    a = cf.assignment(module, "A", max_points="10")
    b = cf.assignment(module, "B", max_points="20", item={"weight": Decimal("3")})
    first, second = cf.enrolled(course), cf.enrolled(course)
    author = cf._author(course)
    grading.grade_submission(submissions.submit(a, first, text="x", files=[], now=NOW), points=Decimal("8"),
                              actor=author, now=NOW)
    gradebook.set_override(course, b, first, Decimal("10"), actor=author, now=NOW)
    book = gradebook.gradebook(course)
    rows = {r.student.id: r for r in book.rows}
    assert [c.item.title for c in book.columns] == ["A", "B"]
    assert rows[first.id].grades == [(Decimal("8"), False), (Decimal("10"), True)]
    assert rows[first.id].total == (80 + 3 * 50) / Decimal(4)
    assert rows[second.id].total == 0
    with pytest.raises(Invalid):
        gradebook.set_override(course, b, first, Decimal("21"), actor=author, now=NOW)
    course.missing_grades = "exclude"
    db.session.commit()
    assert gradebook.gradebook(course).rows[1].total is None
    mine = gradebook.gradebook(course, only_user=first)
    assert [r.student.id for r in mine.rows] == [first.id]
    header, table = gradebook.gradebook_table(course)
    assert header[-1] and table[0][3] == "10.00*"
    assert gradebook.gradebook_csv(course).startswith("\ufeff")
    assert gradebook.gradebook_xlsx(course)[:2] == b"PK"


def test_move_modules_and_items(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    one, two = cf.module(course, "1"), cf.module(course, "2")
    author = cf._author(course)
    structure.move_module(two, "up", actor=author)
    assert [m.title for m in structure.load_structure(course.id)] == ["2", "1"]
    p1, p2 = cf.page(one, "a"), cf.page(one, "b")
    structure.move_item(p1, "down", actor=author)
    db.session.expire_all()
    assert [i.title for i in structure.load_structure(course.id)[1].items] == ["b", "a"]
    assert p2.position == 0


def test_submissions_table_filters_and_zip(app) -> None:  # type: ignore[no-untyped-def]
    course = cf.course()
    item = cf.assignment(cf.module(course), due_at=NOW)
    late, on_time, missing = cf.enrolled(course), cf.enrolled(course), cf.enrolled(course)
    submissions.submit(item, on_time, text="вовремя", files=[upload()], now=NOW)
    submissions.submit(item, late, text="поздно", files=[], now=NOW + timedelta(minutes=1))
    rows, total = grading.submissions_table(item)
    assert total == 3
    assert {r.student.id: r.status.value for r in rows} == {
        late.id: "late", on_time.id: "submitted", missing.id: "not_submitted"}
    assert [r.student.id for r in grading.submissions_table(item, status="late")[0]] == [late.id]
    archive = grading.submissions_zip(item)
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert len(names) == 3 and any(n.endswith("work.pdf") for n in names)


def test_concurrent_double_submit_leaves_one_submission(app) -> None:  # type: ignore[no-untyped-def]
    """A double click or two tabs: one row per student and assignment, never a 500."""
    if db.engine.url.database in (None, "", ":memory:"):
        pytest.skip("needs a file database")
    course = cf.course()
    item = cf.assignment(cf.module(course))
    user = cf.enrolled(course)
    item_id, user_id = item.id, user.id
    db.session.commit()
    db.session.close()
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        with app.app_context():
            from app.accounts import User
            from courses.models import Item

            barrier.wait()
            try:
                submissions.submit(db.session.get(Item, item_id), db.session.get(User, user_id), text="Ответ",
                                files=[], now=NOW)
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 4 and "ok" in outcomes
    rows = db.session.scalars(select(Submission).where(Submission.user_id == user_id)).all()
    assert len(rows) == 1 and rows[0].version == outcomes.count("ok")
