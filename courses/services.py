"""Course use cases. Each validates (with courses.rules), writes, records the audit entry and
commits once; refusals are app.domain_errors with field names the forms and the API show."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, selectinload
from werkzeug.datastructures import FileStorage

from app import audit, exports
from app.accounts import User
from app.certificates import Certificate, CertificateKind, issue
from app.domain_errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.i18n import _, force_locale
from app.notifications import notify
from app.uploads import CheckedUpload, UploadError, UploadRules, check_upload, read_bytes, store_checked
from courses import rules
from courses.models import (
    Assignment,
    CompletionRule,
    Course,
    CourseAsset,
    CourseMember,
    CourseRole,
    EnrolmentMode,
    GradeOverride,
    Item,
    ItemKind,
    ItemView,
    MissingGrades,
    Module,
    Submission,
    SubmissionFile,
)
from courses.quiz import services as quiz_services
from courses.quiz.models import QuestionBank, Quiz
from courses.quiz.services import AttemptPolicy

IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
# The rules a page image and a file item pass, from the editor or from a backup alike.
ASSET_RULES = UploadRules(allowed_extensions=IMAGE_EXTENSIONS, max_bytes=5 * 1024 * 1024)
ITEM_FILE_RULES = UploadRules()
MAX_TITLE = 255


def _invalid(fields: dict[str, str]) -> Invalid:
    return Invalid(next(iter(fields.values())), fields)


def _scope(course_id: int) -> dict[str, Any]:
    return {"scope_type": "course", "scope_id": course_id}


# --- courses ----------------------------------------------------------------------------------


@dataclass
class CourseSettings:
    title: str
    summary: str = ""
    hours: int = 0
    starts_on: date | None = None
    ends_on: date | None = None
    enrolment_mode: str = EnrolmentMode.INVITATION.value
    enrolment_key: str = ""
    missing_grades: str = MissingGrades.ZERO.value


def _check_settings(settings: CourseSettings) -> None:
    fields: dict[str, str] = {}
    settings.title = settings.title.strip()
    settings.enrolment_key = settings.enrolment_key.strip()
    if not settings.title:
        fields["title"] = _("Enter the course title.")
    elif len(settings.title) > MAX_TITLE:
        fields["title"] = _("Too long (at most %(n)s characters).", n=MAX_TITLE)
    if settings.hours < 0 or settings.hours > 10000:
        fields["hours"] = _("Hours must be between 0 and 10000.")
    if settings.starts_on and settings.ends_on and settings.ends_on < settings.starts_on:
        fields["ends_on"] = _("The course cannot end before it starts.")
    if settings.enrolment_mode not in {m.value for m in EnrolmentMode}:
        fields["enrolment_mode"] = _("Unknown enrolment mode.")
    elif settings.enrolment_mode == EnrolmentMode.KEY and not settings.enrolment_key:
        fields["enrolment_key"] = _("Set the enrolment key.")
    if len(settings.enrolment_key) > 64:
        fields["enrolment_key"] = _("Too long (at most %(n)s characters).", n=64)
    if settings.missing_grades not in {m.value for m in MissingGrades}:
        fields["missing_grades"] = _("Unknown setting.")
    if fields:
        raise _invalid(fields)


def create_course(settings: CourseSettings, *, actor: User) -> Course:
    """The creator becomes the course's author; the course gets its own question bank."""
    _check_settings(settings)
    course = Course(
        title=settings.title, summary=settings.summary, hours=settings.hours, starts_on=settings.starts_on,
        ends_on=settings.ends_on, enrolment_mode=EnrolmentMode(settings.enrolment_mode),
        enrolment_key=settings.enrolment_key, missing_grades=MissingGrades(settings.missing_grades),
        created_by_id=actor.id,
    )
    db.session.add(course)
    db.session.flush()
    db.session.add(CourseMember(course_id=course.id, user_id=actor.id, role=CourseRole.AUTHOR))
    audit.record("course.created", actor=actor, object_type="course", object_id=course.id, **_scope(course.id))
    db.session.flush()
    _attach_bank(course)
    db.session.commit()
    return course


def _attach_bank(course: Course) -> None:
    bank = quiz_services.create_bank("course", course.id, course.title)
    course.bank_id = bank.id


def update_course(course: Course, settings: CourseSettings, *, actor: User) -> Course:
    _check_settings(settings)
    course.title, course.summary, course.hours = settings.title, settings.summary, settings.hours
    course.starts_on, course.ends_on = settings.starts_on, settings.ends_on
    course.enrolment_mode = EnrolmentMode(settings.enrolment_mode)
    course.enrolment_key = settings.enrolment_key
    course.missing_grades = MissingGrades(settings.missing_grades)
    audit.record("course.updated", actor=actor, object_type="course", object_id=course.id, **_scope(course.id))
    db.session.commit()
    return course


def get_course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        raise NotFound(_("Not found."))
    return course


# --- modules and items ------------------------------------------------------------------------


def add_module(course: Course, *, title: str, position: int | None = None, hidden: bool = False,
               visible_from: datetime | None = None, actor: User) -> Module:
    """Append a module (or insert it at `position`, shifting the later ones down)."""
    title = title.strip()
    if not title:
        raise _invalid({"title": _("Enter the module title.")})
    if len(title) > MAX_TITLE:
        raise _invalid({"title": _("Too long (at most %(n)s characters).", n=MAX_TITLE)})
    if position is not None and position < 0:
        raise _invalid({"position": _("Must be at least %(n)s.", n=0)})
    ids = list(db.session.scalars(
        select(Module.id).where(Module.course_id == course.id).order_by(Module.position, Module.id)))
    module = Module(course_id=course.id, title=title, hidden=hidden, visible_from=visible_from, position=len(ids))
    db.session.add(module)
    db.session.flush()
    if position is not None and position < len(ids):
        ids.insert(position, module.id)
        _renumber(Module, ids)
    audit.record("course.module_added", actor=actor, object_type="module", object_id=module.id, **_scope(course.id))
    db.session.commit()
    return module


def update_module(module: Module, *, title: str, hidden: bool, visible_from: datetime | None, actor: User) -> Module:
    title = title.strip()
    if not title:
        raise _invalid({"title": _("Enter the module title.")})
    module.title, module.hidden, module.visible_from = title[:MAX_TITLE], hidden, visible_from
    audit.record("course.module_updated", actor=actor, object_type="module", object_id=module.id,
                 **_scope(module.course_id))
    db.session.commit()
    return module


def delete_module(module: Module, *, actor: User) -> None:
    course_id = module.course_id
    audit.record("course.module_deleted", actor=actor, object_type="module", object_id=module.id,
                 details={"title": module.title}, **_scope(course_id))
    db.session.delete(module)
    db.session.commit()


def _renumber(model: Any, ids: Sequence[int]) -> None:
    for position, row_id in enumerate(ids):
        db.session.execute(update(model).where(model.id == row_id).values(position=position))


def move_module(module: Module, direction: str, *, actor: User) -> None:
    ids = list(db.session.scalars(
        select(Module.id).where(Module.course_id == module.course_id).order_by(Module.position, Module.id)))
    _renumber(Module, rules.move(ids, module.id, direction))
    audit.record("course.module_moved", actor=actor, object_type="module", object_id=module.id,
                 details={"direction": direction}, **_scope(module.course_id))
    db.session.commit()


def move_item(item: Item, direction: str, *, actor: User) -> None:
    ids = list(db.session.scalars(
        select(Item.id).where(Item.module_id == item.module_id).order_by(Item.position, Item.id)))
    _renumber(Item, rules.move(ids, item.id, direction))
    audit.record("course.item_moved", actor=actor, object_type="item", object_id=item.id,
                 details={"direction": direction}, **_scope(item.course_id))
    db.session.commit()


@dataclass
class ItemSettings:
    """What an author sets on any item; kind-specific content travels beside it."""

    title: str
    body: str = ""
    url: str = ""
    hidden: bool = False
    visible_from: datetime | None = None
    completion: str = CompletionRule.NONE.value
    completion_points: Decimal | None = None
    prerequisite_id: int | None = None
    weight: Decimal = Decimal("1")


def _check_item(settings: ItemSettings, kind: ItemKind, course_id: int, item_id: int | None) -> None:
    fields: dict[str, str] = {}
    settings.title = settings.title.strip()
    settings.url = settings.url.strip()
    if not settings.title:
        fields["title"] = _("Enter the title.")
    elif len(settings.title) > MAX_TITLE:
        fields["title"] = _("Too long (at most %(n)s characters).", n=MAX_TITLE)
    if kind == ItemKind.LINK and not settings.url.startswith(("http://", "https://")):
        fields["url"] = _("Enter an address starting with http:// or https://.")
    if settings.completion not in {c.value for c in CompletionRule}:
        fields["completion"] = _("Unknown completion condition.")
    elif settings.completion in (CompletionRule.SUBMITTED, CompletionRule.GRADED) and kind not in (
            ItemKind.ASSIGNMENT, ItemKind.QUIZ):
        fields["completion"] = _("Only assignments and quizzes can be submitted or graded.")
    if settings.completion_points is not None and not 0 <= settings.completion_points <= 10000:  # as max_points
        fields["completion_points"] = _("Must be between %(lo)s and %(hi)s.", lo=0, hi=10000)
    if settings.weight < 0:
        fields["weight"] = _("Must be at least %(n)s.", n=0)
    if settings.prerequisite_id is not None:
        if settings.prerequisite_id == item_id:
            fields["prerequisite_id"] = _("An item cannot require itself.")
        elif db.session.scalar(select(Item.course_id).where(Item.id == settings.prerequisite_id)) != course_id:
            fields["prerequisite_id"] = _("Choose an item of this course.")
    if fields:
        raise _invalid(fields)


def _apply_item(item: Item, settings: ItemSettings) -> None:
    item.title, item.body, item.url = settings.title, settings.body, settings.url
    item.hidden, item.visible_from = settings.hidden, settings.visible_from
    item.completion = CompletionRule(settings.completion)
    item.completion_points = settings.completion_points
    item.prerequisite_id = settings.prerequisite_id
    item.weight = settings.weight


def _new_item(module: Module, kind: ItemKind, settings: ItemSettings) -> Item:
    position = db.session.scalar(
        select(func.count()).select_from(Item).where(Item.module_id == module.id)) or 0
    item = Item(course_id=module.course_id, module_id=module.id, kind=kind, position=position)
    _apply_item(item, settings)
    db.session.add(item)
    return item


def add_item(module: Module, kind: str, settings: ItemSettings, *, upload: FileStorage | None = None,
             actor: User) -> Item:
    """A page, link or file item (assignments and quizzes have their own services)."""
    if kind not in (ItemKind.PAGE, ItemKind.LINK, ItemKind.FILE):
        raise _invalid({"kind": _("Unknown item type.")})
    item_kind = ItemKind(kind)
    _check_item(settings, item_kind, module.course_id, None)
    stored = None
    if item_kind == ItemKind.FILE:
        if upload is None or not upload.filename:
            raise _invalid({"upload": _("Choose a file.")})
        stored = _store_checked([upload], ITEM_FILE_RULES, actor.id, "upload")[0]
    item = _new_item(module, item_kind, settings)
    if stored is not None:
        db.session.flush()
        item.file_id = stored.id
    db.session.flush()
    audit.record("course.item_added", actor=actor, object_type="item", object_id=item.id,
                 details={"kind": kind}, **_scope(module.course_id))
    db.session.commit()
    return item


def update_item(item: Item, settings: ItemSettings, *, upload: FileStorage | None = None, actor: User) -> Item:
    _check_item(settings, item.kind, item.course_id, item.id)
    if item.kind == ItemKind.FILE and upload is not None and upload.filename:
        stored = _store_checked([upload], ITEM_FILE_RULES, actor.id, "upload")[0]
        db.session.flush()
        item.file_id = stored.id
    _apply_item(item, settings)
    audit.record("course.item_updated", actor=actor, object_type="item", object_id=item.id, **_scope(item.course_id))
    db.session.commit()
    return item


def delete_item(item: Item, *, actor: User) -> None:
    audit.record("course.item_deleted", actor=actor, object_type="item", object_id=item.id,
                 details={"title": item.title}, **_scope(item.course_id))
    assignment_id = item.assignment_id
    db.session.delete(item)
    if assignment_id is not None:
        db.session.execute(Assignment.__table__.delete().where(Assignment.id == assignment_id))
    db.session.commit()


def add_asset(course: Course, upload: FileStorage, *, actor: User) -> CourseAsset:
    """An image for a page; the caller puts its Markdown into the page text."""
    stored = _store_checked([upload], ASSET_RULES, actor.id, "image")[0]
    db.session.flush()
    asset = CourseAsset(course_id=course.id, file_id=stored.id)
    db.session.add(asset)
    db.session.commit()
    return asset


def _store_checked(uploads: Sequence[FileStorage], upload_rules: UploadRules, user_id: int | None,
                   field_name: str) -> list[Any]:
    """Check every file before storing any: one bad file refuses them all, nothing is kept."""
    checked: list[CheckedUpload] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, upload_rules))
        except UploadError as error:
            raise _invalid({field_name: str(error)}) from None
    return [store_checked(file, user_id) for file in checked]


# --- assignments ------------------------------------------------------------------------------


@dataclass
class AssignmentSettings:
    description: str = ""
    due_at: datetime | None = None
    cutoff_at: datetime | None = None
    max_points: Decimal = Decimal("10")
    rubric: list[dict[str, Any]] = field(default_factory=list)
    allow_text: bool = True
    allow_files: bool = True
    allowed_extensions: str = "pdf,doc,docx,odt,txt,jpg,jpeg,png"
    max_file_mb: int = 10
    max_files: int = 5
    resubmission: bool = True


def _check_assignment(settings: AssignmentSettings) -> None:
    fields: dict[str, str] = {}
    if settings.due_at and settings.cutoff_at and settings.cutoff_at < settings.due_at:
        fields["cutoff_at"] = _("The cut-off cannot be before the due date.")
    try:
        settings.rubric = rules.check_rubric(settings.rubric)
    except rules.RubricError as error:
        fields["rubric"] = _("The rubric is invalid: every criterion needs a unique name and levels with "
                             "points of at least 0.") if error else ""
    else:
        if settings.rubric:
            settings.max_points = rules.rubric_max(settings.rubric)
    if settings.max_points < Decimal("0.01") or settings.max_points > 10000:  # stored with 2 places: 0.001 is 0
        fields.setdefault("max_points", _("Points must be between 0.01 and 10000."))
    if not settings.allow_text and not settings.allow_files:
        fields["allow_text"] = _("Allow online text, files or both.")
    extensions = [e.strip().lower().lstrip(".") for e in settings.allowed_extensions.split(",") if e.strip()]
    if settings.allow_files and not extensions:
        fields["allowed_extensions"] = _("List the allowed file types, e.g. pdf, docx.")
    settings.allowed_extensions = ",".join(dict.fromkeys(extensions))[:255]
    if not 1 <= settings.max_file_mb <= 64:
        fields["max_file_mb"] = _("Must be between %(lo)s and %(hi)s.", lo=1, hi=64)
    if not 1 <= settings.max_files <= 20:
        fields["max_files"] = _("Must be between %(lo)s and %(hi)s.", lo=1, hi=20)
    if fields:
        raise _invalid(fields)


def _apply_assignment(assignment: Assignment, settings: AssignmentSettings) -> None:
    for name in ("description", "due_at", "cutoff_at", "max_points", "rubric", "allow_text", "allow_files",
                 "allowed_extensions", "max_file_mb", "max_files", "resubmission"):
        setattr(assignment, name, getattr(settings, name))


def create_assignment(module: Module, settings: ItemSettings, assignment_settings: AssignmentSettings, *,
                      actor: User) -> Item:
    _check_item(settings, ItemKind.ASSIGNMENT, module.course_id, None)
    _check_assignment(assignment_settings)
    assignment = Assignment(course_id=module.course_id)
    _apply_assignment(assignment, assignment_settings)
    db.session.add(assignment)
    db.session.flush()
    item = _new_item(module, ItemKind.ASSIGNMENT, settings)
    item.assignment_id = assignment.id
    db.session.flush()
    audit.record("course.item_added", actor=actor, object_type="item", object_id=item.id,
                 details={"kind": "assignment"}, **_scope(module.course_id))
    db.session.commit()
    return item


def update_assignment(item: Item, settings: ItemSettings, assignment_settings: AssignmentSettings, *,
                      actor: User) -> Item:
    _check_item(settings, ItemKind.ASSIGNMENT, item.course_id, item.id)
    _check_assignment(assignment_settings)
    assignment = db.session.get(Assignment, item.assignment_id)
    assert assignment is not None
    graded = db.session.scalar(select(func.count()).select_from(Submission).where(
        Submission.assignment_id == assignment.id, Submission.points.is_not(None))) or 0
    if graded and assignment_settings.max_points != assignment.max_points:
        raise _invalid({"max_points": _("Submissions are already graded: the maximum can no longer change.")})
    _apply_assignment(assignment, assignment_settings)
    _apply_item(item, settings)
    audit.record("course.item_updated", actor=actor, object_type="item", object_id=item.id, **_scope(item.course_id))
    db.session.commit()
    return item


def submit(item: Item, user: User, *, text: str, files: Sequence[FileStorage], now: datetime) -> Submission:
    """Hand in (or hand in again, when the assignment allows it and it is not graded yet).
    After the cut-off: refused; after the due date: accepted and marked late. Files are checked
    against the assignment's types and size before anything is stored."""
    assignment = db.session.get(Assignment, item.assignment_id) if item.assignment_id else None
    if assignment is None:
        raise NotFound(_("Not found."))
    timing = rules.submission_timing(now, assignment.due_at, assignment.cutoff_at)
    if timing == rules.Timing.CLOSED:
        raise Conflict(_("The cut-off date has passed: submissions are closed."))
    text = text.strip() if assignment.allow_text else ""
    files = [f for f in files if f and f.filename]
    fields: dict[str, str] = {}
    if files and not assignment.allow_files:
        fields["files"] = _("This assignment does not accept files.")
    elif len(files) > assignment.max_files:
        fields["files"] = _("At most %(n)s files.", n=assignment.max_files)
    if not text and not files:
        fields.setdefault("text", _("Write an answer or attach a file."))
    if len(text) > 200_000:
        fields["text"] = _("Too long (at most %(n)s characters).", n=200_000)
    if fields:
        raise _invalid(fields)
    existing = db.session.scalar(select(Submission).where(
        Submission.assignment_id == assignment.id, Submission.user_id == user.id))
    if existing is not None:
        if not assignment.resubmission:
            raise Conflict(_("You have already submitted this assignment; resubmission is not allowed."))
        if existing.points is not None:
            raise Conflict(_("Your submission is already graded."))
    upload_rules = UploadRules(allowed_extensions=assignment.extensions, max_bytes=assignment.max_file_mb * 1024 * 1024)
    stored = _store_checked(files, upload_rules, user.id, "files")
    late = timing == rules.Timing.LATE
    if existing is None:
        submission = Submission(assignment_id=assignment.id, user_id=user.id, text=text, submitted_at=now, late=late)
        db.session.add(submission)
    else:
        submission = existing
        # Conditional update: two resubmissions at once both count, neither overwrites a grade.
        changed = db.session.execute(
            update(Submission).where(Submission.id == existing.id, Submission.points.is_(None))
            .values(text=text, submitted_at=now, late=late, version=Submission.version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not changed:
            db.session.rollback()
            raise Conflict(_("Your submission is already graded."))
        db.session.execute(SubmissionFile.__table__.delete().where(SubmissionFile.submission_id == existing.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("This assignment was just submitted from another window; reload the page.")) from None
    for stored_file in stored:
        db.session.flush()
        db.session.add(SubmissionFile(submission_id=submission.id, file_id=stored_file.id))
    audit.record("course.submitted", actor=user, object_type="submission", object_id=submission.id,
                 details={"late": late, "files": len(stored)}, **_scope(item.course_id))
    db.session.commit()
    return load_submission(submission.id)


def load_submission(submission_id: int) -> Submission:
    """A submission with its files (one query for the row, one for the files)."""
    found = db.session.scalar(select(Submission).where(Submission.id == submission_id)
                              .options(selectinload(Submission.files))
                              .execution_options(populate_existing=True))
    if found is None:
        raise NotFound(_("Not found."))
    return found


def grade_submission(submission: Submission, *, points: Decimal | None = None,
                     rubric_levels: dict[str, int] | None = None, feedback: str = "", actor: User,
                     now: datetime) -> Submission:
    """Points within 0..max, or one level per rubric criterion (points are then their sum)."""
    assignment = db.session.get(Assignment, submission.assignment_id)
    assert assignment is not None
    if assignment.rubric:
        try:
            points = rules.rubric_points(assignment.rubric, rubric_levels or {})
        except rules.RubricError:
            raise _invalid({"rubric": _("Choose a level for every criterion.")}) from None
    if points is None:
        raise _invalid({"points": _("Enter the points.")})
    try:
        rules.check_points(points, assignment.max_points)
    except ValueError:
        raise _invalid({"points": _("Points must be between 0 and %(max)s.", max=assignment.max_points)}) from None
    submission.points = points
    submission.rubric_levels = dict(rubric_levels or {}) if assignment.rubric else {}
    submission.feedback = feedback.strip()
    submission.graded_at = now
    submission.grader_id = actor.id
    item_id = db.session.scalar(select(Item.id).where(Item.assignment_id == assignment.id))
    audit.record("course.graded", actor=actor, object_type="submission", object_id=submission.id,
                 details={"points": str(points)}, **_scope(assignment.course_id))
    notify(submission.user_id, _("Your assignment has been graded."), f"/courses/items/{item_id}")
    db.session.commit()
    return submission


@dataclass
class SubmissionRow:
    student: User
    submission: Submission | None
    status: rules.Status


def submissions_table(item: Item, *, status: str = "", page: int = 1, per_page: int = 50
                      ) -> tuple[list[SubmissionRow], int]:
    """The students of the course with their submission for this assignment, filtered by status;
    three queries whatever the size (count, students with submissions, files)."""
    sub = aliased(Submission)
    query = (
        select(User, sub)
        .join(CourseMember, (CourseMember.user_id == User.id) & (CourseMember.course_id == item.course_id)
              & (CourseMember.role == CourseRole.STUDENT))
        .outerjoin(sub, (sub.user_id == User.id) & (sub.assignment_id == item.assignment_id))
        .options(selectinload(sub.files))
    )
    if status == rules.Status.NOT_SUBMITTED:
        query = query.where(sub.id.is_(None))
    elif status == rules.Status.GRADED:
        query = query.where(sub.points.is_not(None))
    elif status == rules.Status.LATE:
        query = query.where(sub.late.is_(True), sub.points.is_(None))
    elif status == rules.Status.SUBMITTED:
        query = query.where(sub.id.is_not(None), sub.late.is_(False), sub.points.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(User.full_name, User.id).limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    result = [
        SubmissionRow(user, submission, rules.submission_status(
            submission is not None, bool(submission and submission.late),
            bool(submission and submission.points is not None)))
        for user, submission in rows
    ]
    return result, total


def submissions_zip(item: Item) -> bytes:
    """Every submission as folders named after the students: their text and their files."""
    rows = db.session.execute(
        select(Submission, User).join(User, User.id == Submission.user_id)
        .where(Submission.assignment_id == item.assignment_id).order_by(User.full_name, User.id)
        .options(selectinload(Submission.files))
    ).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission, user in rows:
            folder = _safe_name(f"{user.full_name} {user.id}")
            if submission.text:
                archive.writestr(f"{folder}/text.txt", submission.text)
            for index, attached in enumerate(submission.files, start=1):
                archive.writestr(f"{folder}/{index}-{_safe_name(attached.file.original_name)}",
                                 read_bytes(attached.file))
    return buffer.getvalue()


def _safe_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in name).strip(" .")
    return cleaned[:120] or "file"


# --- enrolment --------------------------------------------------------------------------------


def _add_member(course: Course, user: User, role: CourseRole) -> CourseMember:
    member = CourseMember(course_id=course.id, user_id=user.id, role=role)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:
        raise Conflict(_("%(name)s is already enrolled in this course.", name=user.full_name),
                       {"user_id": _("Already enrolled.")}) from None
    return member


def self_enrol(course: Course, user: User, *, key: str = "") -> CourseMember:
    """Open courses take anyone signed in; key courses need the key; invitation-only refuse."""
    if course.enrolment_mode == EnrolmentMode.INVITATION:
        raise Conflict(_("This course is by invitation only."))
    if course.enrolment_mode == EnrolmentMode.KEY and key.strip() != course.enrolment_key:
        raise _invalid({"key": _("Wrong enrolment key.")})
    member = _add_member(course, user, CourseRole.STUDENT)
    audit.record("course.enrolled", actor=user, object_type="user", object_id=user.id,
                 details={"role": "student", "how": "self"}, **_scope(course.id))
    db.session.commit()
    return member


def enrol(course: Course, user: User, role: str, *, actor: User) -> CourseMember:
    if role not in (CourseRole.STUDENT, CourseRole.TUTOR):
        raise _invalid({"role": _("Choose student or tutor.")})
    member = _add_member(course, user, CourseRole(role))
    audit.record("course.enrolled", actor=actor, object_type="user", object_id=user.id,
                 details={"role": role, "how": "tutor"}, **_scope(course.id))
    notify(user.id, _("You have been enrolled in the course “%(title)s”.", title=course.title),
           f"/courses/{course.id}")
    db.session.commit()
    return member


def enrol_by_email(course: Course, email: str, role: str, *, actor: User) -> CourseMember:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise _invalid({"email": _("No user with this e-mail.")})
    return enrol(course, user, role, actor=actor)


@dataclass
class EnrolReport:
    enrolled: list[str]
    already: list[str]


def enrol_csv(course: Course, text: str, role: str, *, actor: User) -> EnrolReport:
    """All or nothing: any malformed line or unknown e-mail refuses the whole file, listing them.
    People already in the course are reported and left as they are."""
    if role not in (CourseRole.STUDENT, CourseRole.TUTOR):
        raise _invalid({"role": _("Choose student or tutor.")})
    emails, bad_lines = rules.read_email_csv(text)
    problems = [_("Line %(line)s: “%(value)s” is not an e-mail address.", line=n, value=v) for n, v in bad_lines]
    found = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_([e.email for e in emails])))}
    problems += [_("Line %(line)s: no user with the e-mail %(email)s.", line=e.line, email=e.email)
                 for e in emails if e.email not in found]
    if not emails and not problems:
        problems.append(_("The file has no e-mail addresses."))
    if problems:
        raise Invalid(_("Nothing was enrolled. Fix these lines and try again:") + " " + "; ".join(problems),
                      {"file": "; ".join(problems)})
    members = set(db.session.scalars(select(CourseMember.user_id).where(
        CourseMember.course_id == course.id, CourseMember.user_id.in_([u.id for u in found.values()]))))
    report = EnrolReport(enrolled=[], already=[])
    for line in emails:
        user = found[line.email]
        if user.id in members:
            report.already.append(user.email)
            continue
        db.session.add(CourseMember(course_id=course.id, user_id=user.id, role=CourseRole(role)))
        notify(user.id, _("You have been enrolled in the course “%(title)s”.", title=course.title),
               f"/courses/{course.id}")
        report.enrolled.append(user.email)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("Someone enrolled the same people at the same time; try again.")) from None
    audit.record("course.enrolled_csv", actor=actor, details={"count": len(report.enrolled), "role": role},
                 **_scope(course.id))
    db.session.commit()
    return report


def unenrol(course: Course, member: CourseMember, *, actor: User) -> None:
    if member.role == CourseRole.AUTHOR:
        raise Conflict(_("The author cannot be removed from the course."))
    audit.record("course.unenrolled", actor=actor, object_type="user", object_id=member.user_id, **_scope(course.id))
    db.session.delete(member)
    db.session.commit()


# --- viewing and progress ---------------------------------------------------------------------


def mark_viewed(item: Item, user: User, now: datetime) -> None:
    """Record the first view; later views and two views at once change nothing."""
    exists = db.session.scalar(select(ItemView.id).where(ItemView.item_id == item.id, ItemView.user_id == user.id))
    if exists:
        return
    try:
        with db.session.begin_nested():
            db.session.add(ItemView(item_id=item.id, user_id=user.id, viewed_at=now))
    except IntegrityError:
        pass
    db.session.commit()


@dataclass
class ItemState:
    item: Item
    visible: bool
    complete: bool
    locked_by: Item | None
    status: rules.Status | None = None
    points: Decimal | None = None
    max_points: Decimal | None = None


@dataclass
class ModuleState:
    module: Module
    visible: bool
    items: list[ItemState]


@dataclass
class Outline:
    course: Course
    modules: list[ModuleState]
    progress: rules.Progress | None
    items_by_id: dict[int, Item]


def load_structure(course_id: int, *, with_files: bool = True) -> list[Module]:
    """Modules with their items (and assignments) in two queries; `with_files=False` leaves out the
    items' stored files (the course page never shows them; `item.file` then raises)."""
    options = [selectinload(Module.items).joinedload(Item.assignment)]
    if with_files:
        options.append(selectinload(Module.items).joinedload(Item.file))
    return list(db.session.scalars(
        select(Module).where(Module.course_id == course_id).order_by(Module.position, Module.id)
        .options(*options)
    ).unique())


def quiz_max_grades(quiz_ids: Iterable[int]) -> dict[int, Decimal]:
    ids = list(quiz_ids)
    if not ids:
        return {}
    return {row.id: Decimal(row.max_grade) for row in db.session.execute(
        select(Quiz.id, Quiz.max_grade).where(Quiz.id.in_(ids)))}


def _quiz_grades(quiz_ids: list[int], user_ids: list[int] | None) -> dict[tuple[int, int], Decimal]:
    if not quiz_ids or (user_ids is not None and not user_ids):
        return {}
    return {key: Decimal(value) for key, value in quiz_services.quiz_grades(quiz_ids, user_ids).items()}


@dataclass
class StudentFacts:
    """Everything about some students in one course, loaded with a fixed number of queries."""

    viewed: set[tuple[int, int]]  # (item id, user id)
    submissions: dict[tuple[int, int], Any]  # (assignment id, user id) → row: id, points, late
    overrides: dict[tuple[int, int], Any]  # (item id, user id) → row: points
    quiz_grades: dict[tuple[int, int], Decimal]  # (quiz id, user id)
    quiz_max: dict[int, Decimal]

    def points(self, item: Item, user_id: int) -> tuple[Decimal | None, bool]:
        """The grade that counts and whether a tutor typed it in."""
        override = self.overrides.get((item.id, user_id))
        if override is not None:
            return override.points, True
        if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
            submission = self.submissions.get((item.assignment_id, user_id))
            return (submission.points if submission else None), False
        if item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            return self.quiz_grades.get((item.quiz_id, user_id)), False
        return None, False

    def max_points(self, item: Item) -> Decimal | None:
        if item.kind == ItemKind.ASSIGNMENT and item.assignment is not None:
            return item.assignment.max_points
        if item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            return self.quiz_max.get(item.quiz_id)
        return None

    def item_facts(self, item: Item, user_id: int) -> rules.ItemFacts:
        points, _overridden = self.points(item, user_id)
        submitted = False
        if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
            submitted = (item.assignment_id, user_id) in self.submissions
        elif item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            submitted = (item.quiz_id, user_id) in self.quiz_grades
        return rules.ItemFacts(
            item_id=item.id, rule=str(item.completion), completion_points=item.completion_points,
            prerequisite_id=item.prerequisite_id, viewed=(item.id, user_id) in self.viewed,
            submitted=submitted, points=points,
        )


def load_facts(course_id: int, items: Sequence[Item], user_ids: list[int] | None, *,
               with_views: bool = True) -> StudentFacts:
    """Views, submissions, overrides and quiz grades of these users (None: all) in one course
    (`with_views=False`: no views, for the gradebook, which never reads them)."""

    view_query = select(ItemView.item_id, ItemView.user_id).join(Item, Item.id == ItemView.item_id).where(
        Item.course_id == course_id)
    # Plain rows, not ORM objects: the gradebook reads thousands of them and needs four columns.
    sub_query = select(Submission.id, Submission.assignment_id, Submission.user_id, Submission.points,
                       Submission.late).join(Assignment, Assignment.id == Submission.assignment_id).where(
        Assignment.course_id == course_id)
    override_query = select(GradeOverride.item_id, GradeOverride.user_id, GradeOverride.points).join(
        Item, Item.id == GradeOverride.item_id).where(Item.course_id == course_id)
    if user_ids is not None:
        view_query = view_query.where(ItemView.user_id.in_(user_ids))
        sub_query = sub_query.where(Submission.user_id.in_(user_ids))
        override_query = override_query.where(GradeOverride.user_id.in_(user_ids))
    quiz_ids = [i.quiz_id for i in items if i.quiz_id is not None]
    return StudentFacts(
        viewed={(row.item_id, row.user_id) for row in db.session.execute(view_query)} if with_views else set(),
        submissions={(s.assignment_id, s.user_id): s for s in db.session.execute(sub_query)},
        overrides={(o.item_id, o.user_id): o for o in db.session.execute(override_query)},
        quiz_grades=_quiz_grades(quiz_ids, user_ids),
        quiz_max=quiz_max_grades(quiz_ids),
    )


def outline(course: Course, user: User, *, teaching: bool, now: datetime) -> Outline:
    """The course page: visible modules and items, each with its completion and lock for a student
    (teachers see everything, hidden parts marked). A fixed number of queries at any size."""
    modules = load_structure(course.id, with_files=False)
    items = [item for module in modules for item in module.items]
    items_by_id = {item.id: item for item in items}
    result: list[ModuleState] = []
    if teaching:
        for module in modules:
            result.append(ModuleState(module, rules.is_visible(module.hidden, module.visible_from, now), [
                ItemState(item, rules.is_visible(item.hidden, item.visible_from, now), False, None)
                for item in module.items]))
        return Outline(course, result, None, items_by_id)
    user_id = user.id  # read once: `user` may be a proxy (current_user), costly per item
    facts = load_facts(course.id, items, [user_id])
    # Each visible item's facts, grade and status computed once, then reused for the progress
    # (completion and locks) and for the rows.
    visible: list[tuple[Module, list[tuple[Item, Decimal | None, rules.Status | None]]]] = []
    item_facts: list[rules.ItemFacts] = []
    for module in modules:
        if not rules.is_visible(module.hidden, module.visible_from, now):
            continue
        rows = []
        for item in module.items:
            if not rules.is_visible(item.hidden, item.visible_from, now):
                continue
            known = facts.item_facts(item, user_id)
            item_facts.append(known)
            status = None
            if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
                submission = facts.submissions.get((item.assignment_id, user_id))
                status = rules.submission_status(submission is not None, bool(submission and submission.late),
                                                 known.points is not None)
            rows.append((item, known.points, status))
        visible.append((module, rows))
    state = rules.progress(item_facts)
    complete, locked_by = state.complete, state.locked_by
    for module, rows in visible:
        states = []
        for item, points, status in rows:
            locked = locked_by.get(item.id)
            states.append(ItemState(item, True, complete[item.id], items_by_id.get(locked) if locked else None,
                                    status, points, facts.max_points(item)))
        result.append(ModuleState(module, True, states))
    return Outline(course, result, state, items_by_id)


def item_access(item: Item, user: User, *, now: datetime) -> tuple[bool, Item | None]:
    """For a student: (visible, the prerequisite still to complete or None)."""
    module = db.session.get(Module, item.module_id)
    assert module is not None
    visible = rules.is_visible(module.hidden, module.visible_from, now) and rules.is_visible(
        item.hidden, item.visible_from, now)
    if not visible or item.prerequisite_id is None:
        return visible, None
    prerequisite = db.session.get(Item, item.prerequisite_id)
    if prerequisite is None:
        return visible, None
    if prerequisite.kind == ItemKind.ASSIGNMENT:
        db.session.get(Assignment, prerequisite.assignment_id)
    facts = load_facts(item.course_id, [prerequisite], [user.id])
    complete = rules.is_complete(facts.item_facts(prerequisite, user.id))
    return visible, None if complete else prerequisite


def student_progress(course: Course, user: User, now: datetime) -> rules.Progress:
    result = outline(course, user, teaching=False, now=now).progress
    assert result is not None
    return result


@dataclass
class ProgressRow:
    student: User
    progress: rules.Progress


def progress_table(course: Course, *, page: int, per_page: int, now: datetime) -> tuple[list[ProgressRow], int]:
    """Every student's completion, paginated; a fixed number of queries."""
    modules = load_structure(course.id)
    items = [i for m in modules if rules.is_visible(m.hidden, m.visible_from, now)
             for i in m.items if rules.is_visible(i.hidden, i.visible_from, now)]
    students, total = _students_page(course.id, page, per_page)
    facts = load_facts(course.id, items, [s.id for s in students])
    rows = [ProgressRow(s, rules.progress([facts.item_facts(i, s.id) for i in items])) for s in students]
    return rows, total


def _students_page(course_id: int, page: int, per_page: int) -> tuple[list[User], int]:
    where = (CourseMember.course_id == course_id) & (CourseMember.role == CourseRole.STUDENT)
    total = db.session.scalar(select(func.count()).select_from(CourseMember).where(where)) or 0
    students = list(db.session.scalars(
        select(User).join(CourseMember, CourseMember.user_id == User.id).where(where)
        .order_by(User.full_name, User.id).limit(per_page).offset((max(page, 1) - 1) * per_page)))
    return students, total


# --- gradebook --------------------------------------------------------------------------------


@dataclass
class GradebookColumn:
    item: Item
    max_points: Decimal
    weight: Decimal


@dataclass
class GradebookRow:
    student: User
    grades: list[tuple[Decimal | None, bool]]  # per column: points, overridden
    total: Fraction | None


@dataclass
class Gradebook:
    columns: list[GradebookColumn]
    rows: list[GradebookRow]
    total_students: int


def gradebook(course: Course, *, only_user: User | None = None, page: int = 1, per_page: int = 50) -> Gradebook:
    """One column per assignment and quiz, the weighted total per the course's missing-grade
    setting, overrides marked. `only_user` gives that student's row alone. Fixed query count."""
    items = list(db.session.scalars(
        select(Item).join(Module, Module.id == Item.module_id)
        .where(Item.course_id == course.id, Item.kind.in_([ItemKind.ASSIGNMENT, ItemKind.QUIZ]))
        .order_by(Module.position, Module.id, Item.position, Item.id).options(joinedload(Item.assignment))))
    if only_user is not None:
        students, total = [only_user], 1
    else:
        students, total = _students_page(course.id, page, per_page)
    facts = load_facts(course.id, items, [s.id for s in students], with_views=False)
    columns = []
    for item in items:
        maximum = facts.max_points(item)
        if maximum is not None:
            columns.append(GradebookColumn(item, maximum, item.weight))
    # Where each column's grade comes from, read once per column rather than once per cell
    # (the same precedence as StudentFacts.points: an override, else the submission or quiz grade).
    overrides = facts.overrides
    sources: list[tuple[int, dict[tuple[int, int], Any] | None, int | None, bool]] = []
    for column in columns:
        item = column.item
        if item.kind == ItemKind.ASSIGNMENT and item.assignment_id is not None:
            sources.append((item.id, facts.submissions, item.assignment_id, True))
        elif item.kind == ItemKind.QUIZ and item.quiz_id is not None:
            sources.append((item.id, facts.quiz_grades, item.quiz_id, False))
        else:
            sources.append((item.id, None, None, False))
    missing = str(course.missing_grades)
    rows = []
    for student in students:
        uid = student.id
        grades: list[tuple[Decimal | None, bool]] = []
        for item_id, found_in, key, is_submission in sources:
            override = overrides.get((item_id, uid))
            if override is not None:
                grades.append((override.points, True))
            elif found_in is None:
                grades.append((None, False))
            else:
                found = found_in.get((key, uid))  # type: ignore[arg-type]
                grades.append(((found.points if found else None) if is_submission else found, False))
        cells = [rules.GradeCell(points, c.max_points, c.weight, overridden)
                 for (points, overridden), c in zip(grades, columns, strict=True)]
        rows.append(GradebookRow(student, grades, rules.course_total(cells, missing)))
    return Gradebook(columns, rows, total)


def set_override(course: Course, item: Item, student: User, points: Decimal | None, *, actor: User,
                 now: datetime) -> None:
    """Type a grade into the gradebook (None removes the override and the computed grade returns)."""
    if item.course_id != course.id or not item.graded:
        raise NotFound(_("Not found."))
    if points is not None:
        facts = load_facts(course.id, [item], [student.id])
        maximum = facts.max_points(item) if item.kind == ItemKind.QUIZ else (
            db.session.get(Assignment, item.assignment_id).max_points if item.assignment_id else None)  # type: ignore[union-attr]
        if maximum is None or points < 0 or points > maximum:
            raise _invalid({"points": _("Points must be between 0 and %(max)s.", max=maximum)})
    existing = db.session.scalar(select(GradeOverride).where(
        GradeOverride.item_id == item.id, GradeOverride.user_id == student.id))
    if points is None:
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(GradeOverride(item_id=item.id, user_id=student.id, points=points, set_by_id=actor.id,
                                     set_at=now))
    else:
        existing.points, existing.set_by_id, existing.set_at = points, actor.id, now
    audit.record("course.grade_overridden", actor=actor, object_type="item", object_id=item.id,
                 details={"user_id": student.id, "points": None if points is None else str(points)},
                 **_scope(course.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("The grade was changed at the same time; reload the gradebook.")) from None


def gradebook_table(course: Course) -> tuple[list[str], list[list[Any]]]:
    """All students (no pagination) as a header and rows, for CSV and XLSX export."""
    book = gradebook(course, per_page=1_000_000)
    header = [_("Student"), _("E-mail")] + [c.item.title for c in book.columns] + [_("Course total, %")]
    rows: list[list[Any]] = []
    for row in book.rows:
        cells: list[Any] = [row.student.full_name, row.student.email]
        for points, overridden in row.grades:
            cells.append("" if points is None else (f"{points}*" if overridden else points))
        cells.append(rules.display(row.total) if row.total is not None else "")
        rows.append(cells)
    return header, rows


def gradebook_csv(course: Course) -> str:
    header, rows = gradebook_table(course)
    return exports.csv_text(header, rows)


def gradebook_xlsx(course: Course) -> bytes:
    header, rows = gradebook_table(course)
    return exports.xlsx_bytes(_("Gradebook"), header,
                              ([float(c) if isinstance(c, Decimal) else c for c in row] for row in rows))


# --- certificates -----------------------------------------------------------------------------


def course_certificate(course: Course, user: User, *, now: datetime) -> Certificate:
    """Issue (once) the certificate of a completed course; refused while anything required is left."""
    state = student_progress(course, user, now)
    if not state.course_complete:
        raise Conflict(_("Complete every required item of the course to get the certificate."))
    certificate = issue(kind=CertificateKind.COURSE, user_id=user.id, holder=user.full_name, title=course.title,
                        source_type="course", source_id=course.id, details=str(course.hours), now=now)
    audit.record("course.certificate_issued", actor=user, object_type="certificate", object_id=None,
                 details={"code": certificate.code}, **_scope(course.id))
    db.session.commit()
    return certificate


def certificate_pdf(course: Course, certificate: Certificate, verify_url: str) -> bytes:
    from app.pdf import render_certificate_pdf  # fpdf loads only when a certificate is drawn

    with force_locale("ru"):
        lines = [
            _("has completed the qualification course"),
            f"«{course.title}»",
            _("in the amount of %(hours)s academic hours", hours=course.hours),
        ]
        heading = _("CERTIFICATE")
    return render_certificate_pdf(heading=heading, holder=certificate.holder, title=course.title, lines=lines,
                                  code=certificate.code, verify_url=verify_url,
                                  issued_on=certificate.issued_at.date())


# --- quizzes ----------------------------------------------------------------------------------


def add_quiz_item(module: Module, settings: ItemSettings, *, question_ids: list[int],
                  quiz_options: dict[str, Any], actor: User) -> Item:
    """A quiz built from the course's bank, added as an item of the module."""
    course = db.session.get(Course, module.course_id)
    assert course is not None
    _check_item(settings, ItemKind.QUIZ, module.course_id, None)
    if course.bank_id is None:
        raise Conflict(_("The course has no question bank."))
    bank = db.session.get(QuestionBank, course.bank_id)
    quiz = quiz_services.create_quiz(bank, title=settings.title, question_ids=question_ids, actor=actor,
                                     **quiz_options)
    item = _new_item(module, ItemKind.QUIZ, settings)
    item.quiz_id = quiz.id
    db.session.flush()
    audit.record("course.item_added", actor=actor, object_type="item", object_id=item.id,
                 details={"kind": "quiz", "quiz_id": quiz.id}, **_scope(module.course_id))
    db.session.commit()
    return item


def course_attempt_policy(user: User, quiz: Any, now: datetime) -> AttemptPolicy:
    """The 'course' owner's say on quiz attempts: an enrolled student, the quiz item visible and
    unlocked. No deadline cap (the quiz's own close time applies)."""
    item = db.session.scalar(select(Item).where(Item.quiz_id == quiz.id))
    if item is None:
        return AttemptPolicy(False, _("This quiz is not part of a course."), None)
    role = db.session.scalar(select(CourseMember.role).where(
        CourseMember.course_id == item.course_id, CourseMember.user_id == user.id))
    if role != CourseRole.STUDENT:
        return AttemptPolicy(False, _("Only the course's students take its quizzes."), None, forbidden=True)
    visible, locked_by = item_access(item, user, now=now)
    if not visible:
        return AttemptPolicy(False, _("This quiz is not open yet."), None)
    if locked_by is not None:
        return AttemptPolicy(False, _("Complete “%(title)s” first.", title=locked_by.title), None)
    return AttemptPolicy(True, "", None)


def register_quiz_policy() -> None:
    quiz_services.register_attempt_policy("course", course_attempt_policy)


# --- dashboard --------------------------------------------------------------------------------


@dataclass
class DashboardCourse:
    course: Course
    role: str
    percent: int | None


@dataclass
class Deadline:
    course: Course
    item_id: int
    title: str
    due_at: datetime


def dashboard_summary(user: User, now: datetime, limit: int = 8) -> tuple[list[DashboardCourse], list[Deadline]]:
    """The user's courses with progress (students) and the next assignment deadlines.
    A fixed number of queries: memberships, items of those courses, the user's facts."""
    memberships = db.session.execute(
        select(Course, CourseMember.role).join(CourseMember, CourseMember.course_id == Course.id)
        .where(CourseMember.user_id == user.id).order_by(CourseMember.enrolled_at.desc(), Course.id).limit(limit)
    ).all()
    if not memberships:
        return [], []
    student_course_ids = [c.id for c, role in memberships if role == CourseRole.STUDENT]
    items: list[Item] = []
    modules: dict[int, Module] = {}
    if student_course_ids:
        for module in db.session.scalars(select(Module).where(Module.course_id.in_(student_course_ids))):
            modules[module.id] = module
        items = list(db.session.scalars(select(Item).where(Item.course_id.in_(student_course_ids))
                                        .options(joinedload(Item.assignment))))
    visible = [i for i in items if i.module_id in modules
               and rules.is_visible(modules[i.module_id].hidden, modules[i.module_id].visible_from, now)
               and rules.is_visible(i.hidden, i.visible_from, now)]
    facts = _facts_many(student_course_ids, visible, user.id)
    result: list[DashboardCourse] = []
    deadlines: list[Deadline] = []
    courses = {c.id: c for c, _r in memberships}
    for course, role in memberships:
        percent = None
        if role == CourseRole.STUDENT:
            course_items = [i for i in visible if i.course_id == course.id]
            percent = rules.progress([facts.item_facts(i, user.id) for i in course_items]).percent
        result.append(DashboardCourse(course, str(role), percent))
    for item in visible:
        if item.assignment is not None and item.assignment.due_at and item.assignment.due_at >= now \
                and (item.assignment_id, user.id) not in facts.submissions:
            deadlines.append(Deadline(courses[item.course_id], item.id, item.title, item.assignment.due_at))
    deadlines.sort(key=lambda d: d.due_at)
    return result, deadlines[:5]


def _facts_many(course_ids: list[int], items: list[Item], user_id: int) -> StudentFacts:
    if not course_ids:
        return StudentFacts(set(), {}, {}, {}, {})
    views = {(r.item_id, r.user_id) for r in db.session.execute(
        select(ItemView.item_id, ItemView.user_id).join(Item, Item.id == ItemView.item_id)
        .where(Item.course_id.in_(course_ids), ItemView.user_id == user_id))}
    subs = {(s.assignment_id, s.user_id): s for s in db.session.execute(
        select(Submission.id, Submission.assignment_id, Submission.user_id, Submission.points, Submission.late)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .where(Assignment.course_id.in_(course_ids), Submission.user_id == user_id))}
    overrides = {(o.item_id, o.user_id): o for o in db.session.execute(
        select(GradeOverride.item_id, GradeOverride.user_id, GradeOverride.points)
        .join(Item, Item.id == GradeOverride.item_id)
        .where(Item.course_id.in_(course_ids), GradeOverride.user_id == user_id))}
    quiz_ids = [i.quiz_id for i in items if i.quiz_id is not None]
    return StudentFacts(views, subs, overrides, _quiz_grades(quiz_ids, [user_id]), quiz_max_grades(quiz_ids))


# --- catalogue --------------------------------------------------------------------------------


def catalogue_query(user: User, *, admin: bool, search: str = "") -> Any:
    """Courses the user is in, plus courses open for self-enrolment; admins see all.
    A tutor thus sees the courses they teach, never other invitation-only courses."""
    mine = select(CourseMember.course_id).where(CourseMember.user_id == user.id)
    query = select(Course)
    if not admin:
        query = query.where(Course.id.in_(mine) | (Course.enrolment_mode != EnrolmentMode.INVITATION))
    if search:
        query = query.where(Course.title.ilike(f"%{search}%"))
    return query.order_by(Course.created_at.desc(), Course.id.desc())


def roles_in(user: User, course_ids: Sequence[int]) -> dict[int, str]:
    if not course_ids:
        return {}
    return {row.course_id: str(row.role) for row in db.session.execute(
        select(CourseMember.course_id, CourseMember.role).where(
            CourseMember.user_id == user.id, CourseMember.course_id.in_(course_ids)))}


def members_page(course: Course, *, page: int, per_page: int) -> tuple[list[tuple[CourseMember, User]], int]:
    total = db.session.scalar(select(func.count()).select_from(CourseMember).where(
        CourseMember.course_id == course.id)) or 0
    rows = db.session.execute(
        select(CourseMember, User).join(User, User.id == CourseMember.user_id)
        .where(CourseMember.course_id == course.id).order_by(CourseMember.role, User.full_name, User.id)
        .limit(per_page).offset((max(page, 1) - 1) * per_page)).all()
    return [(m, u) for m, u in rows], total


register_quiz_policy()
