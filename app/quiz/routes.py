"""Thin views of the quiz room: the question bank, quiz settings, attempts, review, tutor pages."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from app.accounts import User
from app.domain_errors import DomainError
from app.extensions import db
from app.forms_common import apply_domain_error, form_status
from app.i18n import _
from app.markdown import render_markdown
from app.pagination import page_args, paginate
from app.permissions import require
from app.permissions.quiz import can_answer_attempt, can_manage_bank, can_manage_quiz, can_view_attempt
from app.quiz import bp
from app.quiz import forms as quiz_forms
from app.security import is_local_path
from app.timeutil import parse_local, to_form_time, utcnow
from courses.quiz import questions, services
from courses.quiz.models import AttemptState, Question, QuestionBank, Quiz, QuizAnswer, QuizAttempt, QuizSlot
from courses.quiz.statistics import describe_answer, quiz_statistics

# --- helpers -----------------------------------------------------------------------------------------


def _bank(bank_id: int) -> QuestionBank:
    bank = db.get_or_404(QuestionBank, bank_id)
    require(can_manage_bank(current_user, bank))
    return bank


def _question(question_id: int) -> tuple[Question, QuestionBank]:
    row = db.get_or_404(Question, question_id)
    return row, _bank(row.bank_id)


def _managed_quiz(quiz_id: int) -> Quiz:
    quiz = db.get_or_404(Quiz, quiz_id)
    require(can_manage_quiz(current_user, quiz))
    return quiz


def _category_choices(bank: QuestionBank, blank: str | bool | None = None) -> list[Any]:
    paths = services.category_paths(bank.id)
    first = [(0, blank or _("— no category —"))] if blank is not False else []
    return quiz_forms.options(first + list(paths.items()))


@lru_cache(maxsize=4096)
def text_html(text: str, text_format: str) -> Markup:
    """Question text as HTML: Markdown (also for html/moodle: the sanitiser keeps it safe), or plain.
    Cached by text: an attempt page shows the same questions to every student, and rendering plus
    sanitising is the slowest part of that page."""
    if text_format == "plain":
        return Markup("<p>") + escape(text).replace("\n", Markup("<br>")) + Markup("</p>")
    return render_markdown(text)


def cloze_html(item: services.AttemptItem, answer: Any, disabled: bool = False) -> Markup:
    """The cloze text with an input or a select in each gap (built here, values escaped)."""
    html = str(text_html(item.question.text, item.question.text_format))
    answers = answer or {}
    for gap in item.view["gaps"]:
        number = gap["number"]
        value = answers.get(str(number), answers.get(number)) if isinstance(answers, dict) else None
        name = f"q{item.slot}-g{number}"
        off = " disabled" if disabled else ""
        label = escape(_("Gap %(n)s", n=number))
        if gap["choices"]:
            options = "".join(
                f'<option value="{c["id"]}"{" selected" if str(value) == str(c["id"]) else ""}>{escape(c["text"])}</option>'
                for c in gap["choices"])
            control = (f'<select class="form-select form-select-sm d-inline-block w-auto" name="{name}" '
                       f'aria-label="{label}"{off}><option value=""></option>{options}</select>')
        else:
            shown = escape(value) if value is not None else ""
            control = (f'<input type="text" class="form-control form-control-sm d-inline-block w-auto" '
                       f'name="{name}" value="{shown}" aria-label="{label}"{off}>')
        html = html.replace(f"{{#{number}}}", control, 1)
    return Markup(html)  # noqa: S704 - sanitised Markdown plus controls whose values are escaped


@bp.app_template_global()
def quiz_text(text: str, text_format: str) -> Markup:
    return text_html(text, text_format)


@bp.app_template_global()
def quiz_cloze(item: Any, answer: Any, disabled: bool = False) -> Markup:
    return cloze_html(item, answer, disabled)


@bp.app_template_global()
def quiz_type_label(kind: str) -> str:
    return str(quiz_forms.TYPE_LABELS.get(kind, kind))


@bp.app_template_global()
def quiz_percent(value: Any) -> str:
    from fractions import Fraction

    if value is None or value == "":
        return "—"
    return f"{float(Fraction(value)) * 100:.0f}%"


def _points(value: Any) -> str:
    if value is None:
        return "—"
    return format(Decimal(value).normalize(), "f")


bp.add_app_template_filter(_points, "points")


# --- the bank ----------------------------------------------------------------------------------------


@bp.route("/banks/<int:bank_id>")
@login_required
def bank(bank_id: int):  # type: ignore[no-untyped-def]
    bank = _bank(bank_id)
    return _bank_page(bank, quiz_forms.CategoryForm(formdata=None))


def _bank_page(bank: QuestionBank, category_form: Any) -> str:
    page, per_page = page_args(request.args)
    category_id = request.args.get("category", type=int)
    listing = paginate(services.bank_questions(bank, category_id=category_id), page, per_page)
    quizzes = db.session.scalars(select(Quiz).where(Quiz.bank_id == bank.id).order_by(Quiz.id)).all()
    category_form.parent_id.choices = _category_choices(bank, _("— top level —"))
    return render_template("quiz/bank.html", bank=bank, page=listing, quizzes=quizzes, category_id=category_id,
                           paths=services.category_paths(bank.id), category_form=category_form,
                           types=quiz_forms.TYPE_LABELS)


@bp.route("/banks/<int:bank_id>/categories", methods=["POST"])
@login_required
def category_create(bank_id: int):  # type: ignore[no-untyped-def]
    bank = _bank(bank_id)
    form = quiz_forms.CategoryForm()
    form.parent_id.choices = _category_choices(bank, _("— top level —"))
    if form.validate_on_submit():
        try:
            services.create_category(bank, form.name.data or "", parent_id=form.parent_id.data or None,
                                     actor=current_user)
        except DomainError as error:
            apply_domain_error(form, error, "name")
        else:
            flash(_("Category created."), "success")
            return redirect(url_for("quiz.bank", bank_id=bank.id))
    return _bank_page(bank, form), 422


@bp.route("/categories/<int:category_id>/delete", methods=["POST"])
@login_required
def category_delete(category_id: int):  # type: ignore[no-untyped-def]
    from courses.quiz.models import QuestionCategory

    category = db.get_or_404(QuestionCategory, category_id)
    bank = _bank(category.bank_id)
    try:
        services.delete_category(category, actor=current_user)
        flash(_("Category deleted."), "success")
    except DomainError as error:
        flash(error.message, "danger")
    return redirect(url_for("quiz.bank", bank_id=bank.id))


@bp.route("/banks/<int:bank_id>/questions/new/<kind>", methods=["GET", "POST"])
@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def question_edit(bank_id: int | None = None, kind: str | None = None, question_id: int | None = None):  # type: ignore[no-untyped-def]
    row = None
    if question_id is not None:
        row, bank = _question(question_id)
        kind = row.type
    else:
        bank = _bank(bank_id or 0)
    if kind not in quiz_forms.FORMS:
        abort(404)
    form_class = quiz_forms.FORMS[kind]
    if request.method == "POST":
        form = form_class()
    elif row is not None:
        form = form_class(data={**quiz_forms.form_data(services.load_question(row)), "category_id": row.category_id or 0})
    else:
        form = form_class(data={"category_id": request.args.get("category", 0, type=int)})
    form.category_id.choices = _category_choices(bank)
    if request.method == "GET":
        quiz_forms.blank_rows(form)
    if form.validate_on_submit():
        question = quiz_forms.build_question(kind, form)
        if question is not None:
            try:
                saved = services.save_question(bank, question, category_id=form.category_id.data or None,
                                               actor=current_user, row=row)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("Question saved."), "success")
                if row is not None and _used_in_attempts(row.id):
                    return redirect(url_for("quiz.question_preview", question_id=saved.id, regrade=1))
                return redirect(url_for("quiz.bank", bank_id=bank.id, category=saved.category_id or None))
    return render_template("quiz/question_form.html", form=form, bank=bank, row=row, kind=kind,
                           type_label=quiz_forms.TYPE_LABELS[kind]), form_status(form)


def _used_in_attempts(question_id: int) -> bool:
    return db.session.scalar(select(QuizAnswer.id).where(QuizAnswer.question_id == question_id).limit(1)) is not None


@bp.route("/questions/<int:question_id>")
@login_required
def question_preview(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = _question(question_id)
    question = services.load_question(row)
    item = services.AttemptItem(1, QuizAnswer(slot=1, answer=None), row, question,
                                questions.public_view(question, shuffle_seed=None))
    move_form = quiz_forms.MoveForm(data={"category_id": row.category_id or 0})
    move_form.category_id.choices = _category_choices(bank)
    return render_template("quiz/question_preview.html", row=row, bank=bank, item=item, question=question,
                           move_form=move_form, used=_used_in_attempts(row.id),
                           paths=services.category_paths(bank.id))


@bp.route("/questions/<int:question_id>/duplicate", methods=["POST"])
@login_required
def question_duplicate(question_id: int):  # type: ignore[no-untyped-def]
    row, _bank_row = _question(question_id)
    copy = services.duplicate_question(row, actor=current_user)
    flash(_("Question duplicated."), "success")
    return redirect(url_for("quiz.question_edit", question_id=copy.id))


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@login_required
def question_move(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = _question(question_id)
    form = quiz_forms.MoveForm()
    form.category_id.choices = _category_choices(bank)
    if not form.validate_on_submit():
        flash(_("Unknown category."), "danger")
        return redirect(url_for("quiz.question_preview", question_id=row.id)), 303
    services.move_question(row, form.category_id.data or None, actor=current_user)
    flash(_("Question moved."), "success")
    return redirect(url_for("quiz.bank", bank_id=bank.id, category=row.category_id or None))


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def question_delete(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = _question(question_id)
    try:
        services.delete_question(row, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("quiz.question_preview", question_id=row.id))
    flash(_("Question deleted."), "success")
    return redirect(url_for("quiz.bank", bank_id=bank.id))


@bp.route("/questions/<int:question_id>/regrade", methods=["POST"])
@login_required
def question_regrade(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = _question(question_id)
    changes = services.regrade_question(row, actor=current_user)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({c.user_id for c in changes})))}
    return render_template("quiz/regrade.html", row=row, bank=bank, changes=changes, users=users)


@bp.route("/banks/<int:bank_id>/import", methods=["GET", "POST"])
@login_required
def bank_import(bank_id: int):  # type: ignore[no-untyped-def]
    bank = _bank(bank_id)
    form = quiz_forms.ImportForm()
    form.category_id.choices = _category_choices(bank)
    report = None
    if form.validate_on_submit():
        text = form.text.data or ""
        upload = form.file.data
        if upload and getattr(upload, "filename", ""):
            try:
                text = upload.read(2_000_001).decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors = [_("The file must be UTF-8 text.")]
                return render_template("quiz/import.html", form=form, bank=bank, report=None), 422
        if not text.strip():
            form.text.errors = [_("Paste GIFT text or choose a file.")]
        else:
            report = services.import_gift(bank, text, actor=current_user, valid_only=bool(form.valid_only.data),
                                          category_id=form.category_id.data or None)
            if report.imported:
                flash(_("Imported %(n)s questions.", n=len(report.imported)), "success")
                if not report.errors:
                    return redirect(url_for("quiz.bank", bank_id=bank.id))
    status = 422 if (report and report.errors) or form.errors else 200
    return render_template("quiz/import.html", form=form, bank=bank, report=report), status


@bp.route("/banks/<int:bank_id>/export")
@login_required
def bank_export(bank_id: int):  # type: ignore[no-untyped-def]
    bank = _bank(bank_id)
    text = services.export_gift(bank, category_id=request.args.get("category", type=int))
    return Response(text, mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="bank-{bank.id}.gift.txt"'})


# --- quiz settings and slots ---------------------------------------------------------------------------


def _settings(form: quiz_forms.QuizForm) -> dict[str, Any]:
    return {
        "title": form.title.data or "", "description": form.description.data or "",
        "opens_at": parse_local(form.opens_at.data, current_user.timezone), "closes_at": parse_local(form.closes_at.data, current_user.timezone),
        "time_limit_minutes": form.time_limit_minutes.data, "attempts_allowed": form.attempts_allowed.data,
        "grading_method": form.grading_method.data, "max_grade": form.max_grade.data,
        "shuffle_questions": bool(form.shuffle_questions.data), "shuffle_answers": bool(form.shuffle_answers.data),
        "review_when": form.review_when.data, "review_score": bool(form.review_score.data),
        "review_answers": bool(form.review_answers.data), "review_feedback": bool(form.review_feedback.data),
    }


def _question_choices(bank: QuestionBank) -> list[Any]:
    rows = db.session.execute(select(Question.id, Question.name, Question.type).where(
        Question.bank_id == bank.id, Question.hidden.is_(False)).order_by(Question.name, Question.id).limit(2000)).all()
    return quiz_forms.options((r.id, f"{r.name} ({quiz_type_label(r.type)})") for r in rows)


@bp.route("/banks/<int:bank_id>/quizzes/new", methods=["GET", "POST"])
@login_required
def quiz_new(bank_id: int):  # type: ignore[no-untyped-def]
    bank = _bank(bank_id)
    form = quiz_forms.NewQuizForm()
    form.question_ids.choices = _question_choices(bank)
    if form.validate_on_submit():
        try:
            quiz = services.create_quiz(bank, question_ids=form.question_ids.data or [], actor=current_user,
                                        **_settings(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Quiz created."), "success")
            return redirect(url_for("quiz.quiz_edit", quiz_id=quiz.id))
    return render_template("quiz/quiz_form.html", form=form, bank=bank, quiz=None), form_status(form)


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@login_required
def quiz_edit(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = _managed_quiz(quiz_id)
    bank = quiz.bank
    if request.method == "POST":
        form = quiz_forms.QuizForm()
    else:
        form = quiz_forms.QuizForm(obj=quiz, data={"opens_at": to_form_time(quiz.opens_at, current_user.timezone),
                                                   "closes_at": to_form_time(quiz.closes_at, current_user.timezone)})
        form.opens_at.data = to_form_time(quiz.opens_at, current_user.timezone)
        form.closes_at.data = to_form_time(quiz.closes_at, current_user.timezone)
    if form.validate_on_submit():
        try:
            services.update_quiz(quiz, actor=current_user, **_settings(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Quiz settings saved."), "success")
            return redirect(url_for("quiz.quiz_edit", quiz_id=quiz.id))
    return _quiz_edit_page(quiz, bank, form), form_status(form)


def _quiz_edit_page(quiz: Quiz, bank: QuestionBank, form: Any, add_form: Any = None, random_form: Any = None) -> str:
    add_form = add_form or quiz_forms.AddQuestionsForm(formdata=None)
    add_form.question_ids.choices = _question_choices(bank)
    random_form = random_form or quiz_forms.RandomSlotForm(formdata=None)
    random_form.category_id.choices = _category_choices(bank, False)
    slots = services.quiz_slots(quiz)
    names = dict(db.session.execute(select(Question.id, Question.name).where(
        Question.id.in_([s.question_id for s in slots if s.question_id]))).all())
    return render_template("quiz/quiz_form.html", form=form, bank=bank, quiz=quiz, slots=slots, names=names,
                           paths=services.category_paths(bank.id), add_form=add_form, random_form=random_form,
                           attempted=services._has_attempts(quiz))


@bp.route("/quizzes/<int:quiz_id>/slots", methods=["POST"])
@login_required
def quiz_add_questions(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = _managed_quiz(quiz_id)
    add_form = quiz_forms.AddQuestionsForm()
    add_form.question_ids.choices = _question_choices(quiz.bank)
    if add_form.validate_on_submit():
        try:
            services.add_questions(quiz, add_form.question_ids.data or [], actor=current_user)
        except DomainError as error:
            apply_domain_error(add_form, error, "question_ids")
        else:
            flash(_("Questions added."), "success")
            return redirect(url_for("quiz.quiz_edit", quiz_id=quiz.id))
    form = quiz_forms.QuizForm(formdata=None, obj=quiz)
    return _quiz_edit_page(quiz, quiz.bank, form, add_form=add_form), 422


@bp.route("/quizzes/<int:quiz_id>/random", methods=["POST"])
@login_required
def quiz_add_random(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = _managed_quiz(quiz_id)
    random_form = quiz_forms.RandomSlotForm()
    random_form.category_id.choices = _category_choices(quiz.bank, False)
    if random_form.validate_on_submit():
        try:
            services.add_random_slot(quiz, random_form.category_id.data, random_form.random_count.data or 1,
                                     actor=current_user)
        except DomainError as error:
            apply_domain_error(random_form, error, "random_count")
        else:
            flash(_("Random questions added."), "success")
            return redirect(url_for("quiz.quiz_edit", quiz_id=quiz.id))
    form = quiz_forms.QuizForm(formdata=None, obj=quiz)
    return _quiz_edit_page(quiz, quiz.bank, form, random_form=random_form), 422


@bp.route("/slots/<int:slot_id>/<action>", methods=["POST"])
@login_required
def slot_action(slot_id: int, action: str):  # type: ignore[no-untyped-def]
    slot = db.get_or_404(QuizSlot, slot_id)
    quiz = _managed_quiz(slot.quiz_id)
    try:
        if action == "remove":
            services.remove_slot(slot, actor=current_user)
        elif action in ("up", "down"):
            services.move_slot(slot, -1 if action == "up" else 1, actor=current_user)
        else:
            abort(404)
    except DomainError as error:
        flash(error.message, "danger")
    return redirect(url_for("quiz.quiz_edit", quiz_id=quiz.id))


# --- taking a quiz ---------------------------------------------------------------------------------------


@bp.route("/quizzes/<int:quiz_id>")
@login_required
def quiz_view(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = db.get_or_404(Quiz, quiz_id)
    attempts = services.user_attempts(quiz, current_user)
    now = utcnow()
    for attempt in attempts:
        if services.is_overdue(attempt, now):
            services.finish_attempt(attempt, now)
    grade = services.quiz_grades([quiz.id], [current_user.id]).get((quiz.id, current_user.id))
    slots = services.quiz_slots(quiz)
    count = sum(s.random_count for s in slots)
    left = None if quiz.attempts_allowed is None else max(0, quiz.attempts_allowed - len(attempts))
    return render_template("quiz/quiz_start.html", quiz=quiz, attempts=attempts, grade=grade, count=count, left=left,
                           in_progress=next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None),
                           manages=can_manage_quiz(current_user, quiz), now=now,
                           can_review=lambda a: services.can_review(a, quiz, now),
                           grade_of=lambda a: services.attempt_grade_value(a, quiz))


@bp.route("/quizzes/<int:quiz_id>/start", methods=["POST"])
@login_required
def attempt_start(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = db.get_or_404(Quiz, quiz_id)
    try:
        attempt = services.start_attempt(quiz, current_user, utcnow())
    except DomainError as error:
        if error.status == 403:
            abort(403, description=error.message)
        flash(error.message, "warning")
        return redirect(url_for("quiz.quiz_view", quiz_id=quiz.id))
    return redirect(url_for("quiz.attempt_page", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> tuple[QuizAttempt, Quiz]:
    found = services.get_attempt(attempt_id)
    if found is None or not can_view_attempt(current_user, found[0], found[1]):
        abort(404)
    return found


def _form_answers(items: list[services.AttemptItem], form: Any) -> dict[int, Any]:
    """The one-page form's fields → {slot: raw answer} in the API's shapes (absent slots are left alone)."""
    present = {int(s) for s in form.get("slots", "").split(",") if s.strip().isdigit()}
    answers: dict[int, Any] = {}
    for item in items:
        if item.slot not in present:
            continue
        key = f"q{item.slot}"
        kind = item.row.type
        if kind == "description":
            continue
        if kind == "multiple":
            answers[item.slot] = form.getlist(key) or None
        elif kind == "truefalse":
            value = form.get(key, "")
            answers[item.slot] = {"true": True, "false": False}.get(value)
        elif kind == "matching":
            answers[item.slot] = {str(left["id"]): form.get(f"{key}-{left['id']}") or None for left in item.view["left"]}
        elif kind == "cloze":
            answers[item.slot] = {str(gap["number"]): form.get(f"{key}-g{gap['number']}") or None
                                  for gap in item.view["gaps"]}
        else:
            value = form.get(key, "")
            answers[item.slot] = value if value != "" else None
    return answers


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt_page(attempt_id: int):  # type: ignore[no-untyped-def]
    attempt, quiz = _own_attempt(attempt_id)
    if not can_answer_attempt(current_user, attempt):
        return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
    now = utcnow()
    if services.is_overdue(attempt, now) and request.method == "GET":
        services.finish_attempt(attempt, now)
        flash(_("Time is up: the attempt was finished with the answers you saved."), "warning")
    if attempt.state == AttemptState.FINISHED:
        return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
    items = services.attempt_items(attempt, quiz)
    errors: dict[int, str] = {}
    if request.method == "POST":
        try:
            errors = services.save_answers(attempt, _form_answers(items, request.form), now)
        except DomainError as error:
            flash(error.message, "warning")
            return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
        if not errors and request.form.get("action") == "finish":
            services.finish_attempt(attempt, now)
            flash(_("Attempt finished."), "success")
            return redirect(url_for("quiz.attempt_review", attempt_id=attempt.id))
        if not errors:
            flash(_("Answers saved."), "success")
            return redirect(url_for("quiz.attempt_page", attempt_id=attempt.id))
        items = services.attempt_items(attempt, quiz)
    return render_template("quiz/attempt.html", attempt=attempt, quiz=quiz, items=items, errors=errors,
                           slots=",".join(str(i.slot) for i in items)), 422 if errors else 200


@bp.route("/attempts/<int:attempt_id>/autosave", methods=["POST"])
@login_required
def attempt_autosave(attempt_id: int):  # type: ignore[no-untyped-def]
    """The page's autosave (static/js/quiz.js): the whole form, answers saved before anything else."""
    attempt, quiz = _own_attempt(attempt_id)
    if not can_answer_attempt(current_user, attempt):
        return jsonify({"error": {"code": "forbidden", "message": _("This is not your attempt."), "fields": {}}}), 403
    items = services.attempt_items(attempt, quiz)
    try:
        errors = services.save_answers(attempt, _form_answers(items, request.form), utcnow())
    except DomainError as error:
        return jsonify({"error": {"code": error.code, "message": error.message, "fields": {},
                                  "redirect": url_for("quiz.attempt_review", attempt_id=attempt.id)}}), error.status
    if errors:
        return jsonify({"error": {"code": "validation", "message": _("Some answers could not be saved."),
                                  "fields": {f"q{k}": v for k, v in errors.items()}}}), 422
    return jsonify({"saved": True, "at": utcnow().isoformat()})


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def attempt_review(attempt_id: int):  # type: ignore[no-untyped-def]
    attempt, quiz = _own_attempt(attempt_id)
    now = utcnow()
    if services.is_overdue(attempt, now):
        services.finish_attempt(attempt, now)
    manager = can_manage_quiz(current_user, quiz)
    if attempt.state != AttemptState.FINISHED and attempt.user_id == current_user.id:
        return redirect(url_for("quiz.attempt_page", attempt_id=attempt.id))
    open_review = manager or services.can_review(attempt, quiz, now)
    items = services.attempt_items(attempt, quiz) if open_review else []
    student = db.session.get(User, attempt.user_id)
    return render_template(
        "quiz/review.html", attempt=attempt, quiz=quiz, items=items, open_review=open_review, manager=manager,
        student=student, show_score=manager or quiz.review_score, show_answers=manager or quiz.review_answers,
        show_feedback=manager or quiz.review_feedback, grade=services.attempt_grade_value(attempt, quiz),
        right_answer=right_answer, grade_form=quiz_forms.GradeForm(formdata=None))


def right_answer(question: questions.Question) -> str:
    """The right answer in words, for the review."""
    if isinstance(question, questions.SingleChoice | questions.MultipleChoice):
        return "; ".join(c.text for c in question.choices if c.fraction > 0)
    if isinstance(question, questions.TrueFalse):
        return _("True") if question.correct else _("False")
    if isinstance(question, questions.ShortAnswer):
        return next((a.text for a in question.answers if a.fraction == 1), question.answers[0].text)
    if isinstance(question, questions.Numerical):
        best = max(question.answers, key=lambda a: a.fraction)
        return f"{best.value} ± {best.tolerance}" if best.tolerance else str(best.value)
    if isinstance(question, questions.Matching):
        right = {r.id: r.text for r in question.right}
        return "; ".join(f"{item.text} → {right[item.right_id]}" for item in question.left)
    if isinstance(question, questions.Cloze):
        parts = []
        for gap in question.gaps:
            if isinstance(gap, questions.ChoiceGap):
                parts.append(f"{gap.number}: {next(c.text for c in gap.choices if c.fraction == max(x.fraction for x in gap.choices))}")
            elif isinstance(gap, questions.NumericalGap):
                parts.append(f"{gap.number}: {max(gap.answers, key=lambda a: a.fraction).value}")
            else:
                parts.append(f"{gap.number}: {max(gap.answers, key=lambda a: a.fraction).text}")
        return "; ".join(parts)
    return ""


@bp.app_template_global()
def quiz_answer_words(question: Any, answer: Any) -> str:
    return describe_answer(question, answer)


@bp.route("/my")
@login_required
def my_attempts():  # type: ignore[no-untyped-def]
    page, per_page = page_args(request.args)
    query = (select(QuizAttempt, Quiz).join(Quiz, Quiz.id == QuizAttempt.quiz_id)
             .where(QuizAttempt.user_id == current_user.id).order_by(QuizAttempt.started_at.desc(), QuizAttempt.id))
    return render_template("quiz/my_attempts.html", page=paginate(query, page, per_page, scalars=False))


# --- tutors ------------------------------------------------------------------------------------------------


@bp.route("/quizzes/<int:quiz_id>/attempts")
@login_required
def quiz_attempts(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = _managed_quiz(quiz_id)
    page, per_page = page_args(request.args)
    query = (select(QuizAttempt, User).join(User, User.id == QuizAttempt.user_id)
             .where(QuizAttempt.quiz_id == quiz.id).order_by(User.full_name, QuizAttempt.number, QuizAttempt.id))
    listing = paginate(query, page, per_page, scalars=False)
    user_ids = [user.id for _attempt, user in listing.items]
    grades = services.quiz_grades([quiz.id], user_ids)
    return render_template("quiz/attempts.html", quiz=quiz, page=listing, grades=grades,
                           grade_of=lambda a: services.attempt_grade_value(a, quiz))


@bp.route("/quizzes/<int:quiz_id>/grading")
@login_required
def grading_queue(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = _managed_quiz(quiz_id)
    page, per_page = page_args(request.args, default_per_page=20)
    listing = paginate(services.grading_queue([quiz.id]), page, per_page)
    attempt_ids = {a.attempt_id for a in listing.items}
    question_ids = {a.question_id for a in listing.items}
    attempts = {a.id: a for a in db.session.scalars(select(QuizAttempt).where(QuizAttempt.id.in_(attempt_ids)))}
    rows = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(question_ids)))}
    users = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_({a.user_id for a in attempts.values()})))}
    return render_template("quiz/grading.html", quiz=quiz, page=listing, attempts=attempts, rows=rows, users=users,
                           load=services.load_question, grade_form=quiz_forms.GradeForm(formdata=None))


@bp.route("/answers/<int:answer_id>/grade", methods=["POST"])
@login_required
def answer_grade(answer_id: int):  # type: ignore[no-untyped-def]
    answer = db.get_or_404(QuizAnswer, answer_id)
    attempt = db.get_or_404(QuizAttempt, answer.attempt_id)
    quiz = _managed_quiz(attempt.quiz_id)
    form = quiz_forms.GradeForm()
    back = request.form.get("next") or url_for("quiz.grading_queue", quiz_id=quiz.id)
    if not is_local_path(back):
        back = url_for("quiz.grading_queue", quiz_id=quiz.id)
    if form.validate_on_submit():
        try:
            services.grade_answer(answer, form.points.data, form.comment.data or "", actor=current_user, now=utcnow())
        except DomainError as error:
            apply_domain_error(form, error, "points")
        else:
            flash(_("Grade saved."), "success")
            return redirect(back)
    return render_template("quiz/grade_answer.html", quiz=quiz, answer=answer, attempt=attempt, form=form,
                           row=db.session.get(Question, answer.question_id), back=back), 422


@bp.route("/quizzes/<int:quiz_id>/statistics")
@login_required
def quiz_stats(quiz_id: int):  # type: ignore[no-untyped-def]
    quiz = _managed_quiz(quiz_id)
    return render_template("quiz/statistics.html", quiz=quiz, stats=quiz_statistics(quiz.id))
