"""Quiz pages for a bank's managers: the bank's questions and categories, import and export in GIFT
or Moodle XML."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.i18n import _
from app.pagination import page_args, paginate
from app.quiz import bp
from app.quiz import forms as quiz_forms
from app.quiz.access import category_choices, managed_bank
from app.quiz.places import page_place, quiz_placements
from app.quiz.type_names import TYPE_LABELS
from app.view_actions import act, submit
from courses.quiz.bank_gift import export_questions, import_questions
from courses.quiz.bank_questions import bank_questions
from courses.quiz.banks import category_paths, create_category, delete_category
from courses.quiz.models import QuestionBank, QuestionCategory, Quiz
from courses.quiz.question_formats import EXTENSIONS, FORMATS, MEDIA_TYPES, QuestionFormat

#: The largest question file the page reads (the pasted text has the same limit).
_MAX_FILE = 2_000_000
#: The bank page lists at most this many quizzes (a course has a handful; the query stays bounded).
_MAX_QUIZZES = 200


@bp.route("/banks/<int:bank_id>")
@login_required
def bank(bank_id: int):  # type: ignore[no-untyped-def]
    bank = managed_bank(bank_id)
    return _bank_page(bank, quiz_forms.CategoryForm(formdata=None))


def _bank_page(bank: QuestionBank, category_form: Any) -> str:
    page, per_page = page_args(request.args)
    category_id = request.args.get("category", type=int)
    listing = paginate(bank_questions(bank, category_id=category_id), page, per_page)
    quizzes = db.session.scalars(
        select(Quiz).where(Quiz.bank_id == bank.id).order_by(Quiz.id).limit(_MAX_QUIZZES)
    ).all()
    category_form.parent_id.choices = category_choices(bank, _("— top level —"))
    return render_template(
        "quiz/bank.html",
        bank=bank,
        page=listing,
        quizzes=quizzes,
        category_id=category_id,
        paths=category_paths(bank.id),
        category_form=category_form,
        types=TYPE_LABELS,
        placements=quiz_placements([q.id for q in quizzes]),
        **page_place(bank),
    )


@bp.route("/banks/<int:bank_id>/categories", methods=["POST"])
@login_required
def category_create(bank_id: int):  # type: ignore[no-untyped-def]
    bank = managed_bank(bank_id)
    form = quiz_forms.CategoryForm()
    form.parent_id.choices = category_choices(bank, _("— top level —"))
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: create_category(
                bank, form.name.data or "", parent_id=form.parent_id.data or None, actor=current_user
            ),
            done=_("Category created."),
            then=url_for("quiz.bank", bank_id=bank.id),
            field="name",
        )
        if done is not None:
            return done
    return _bank_page(bank, form), 422


@bp.route("/categories/<int:category_id>/delete", methods=["POST"])
@login_required
def category_delete(category_id: int):  # type: ignore[no-untyped-def]
    category = db.get_or_404(QuestionCategory, category_id)
    bank = managed_bank(category.bank_id)
    return act(
        lambda: delete_category(category, actor=current_user),
        done=_("Category deleted."),
        then=url_for("quiz.bank", bank_id=bank.id),
    )


@bp.route("/banks/<int:bank_id>/import", methods=["GET", "POST"])
@login_required
def bank_import(bank_id: int):  # type: ignore[no-untyped-def]
    bank = managed_bank(bank_id)
    form = quiz_forms.ImportForm()
    form.category_id.choices = category_choices(bank)
    report = None
    if form.validate_on_submit():
        text = form.text.data or ""
        upload = form.file.data
        if upload and getattr(upload, "filename", ""):
            raw = upload.read(_MAX_FILE + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors = [_("The file must be UTF-8 text.")]
            if len(raw) > _MAX_FILE:
                form.file.errors = [_("The file is too large.")]
            if form.file.errors:
                return render_template(
                    "quiz/import.html", form=form, bank=bank, report=None, **page_place(bank)
                ), 422
        if not text.strip():
            form.text.errors = [_("Paste GIFT or Moodle XML text, or choose a file.")]
        else:
            report = import_questions(
                bank,
                text,
                actor=current_user,
                question_format=_format(form.question_format.data),
                valid_only=bool(form.valid_only.data),
                category_id=form.category_id.data or None,
            )
            if report.imported:
                flash(_("Imported %(n)s questions.", n=len(report.imported)), "success")
                if not report.errors and not report.warnings:
                    return redirect(url_for("quiz.bank", bank_id=bank.id))
    status = 422 if (report and report.errors) or form.errors else 200
    return render_template(
        "quiz/import.html", form=form, bank=bank, report=report, **page_place(bank)
    ), status


@bp.route("/banks/<int:bank_id>/export")
@login_required
def bank_export(bank_id: int):  # type: ignore[no-untyped-def]
    bank = managed_bank(bank_id)
    chosen = _format(request.args.get("format")) or "gift"
    text = export_questions(bank, chosen, category_id=request.args.get("category", type=int))
    return Response(
        text,
        mimetype=MEDIA_TYPES[chosen].partition(";")[0],
        headers={"Content-Disposition": f'attachment; filename="bank-{bank.id}.{EXTENSIONS[chosen]}"'},
    )


def _format(raw: str | None) -> QuestionFormat | None:
    """A format the page names, or None: tell by content on import, GIFT on export."""
    return next((known for known in FORMATS if known == raw), None)
