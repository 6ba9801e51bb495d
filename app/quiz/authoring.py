"""Quiz pages for a bank's managers: writing a question of any type, previewing, duplicating,
moving, deleting it, and regrading its answers after an edit."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts import User
from app.extensions import db
from app.forms_common import form_status
from app.i18n import _
from app.quiz import bp, question_forms
from app.quiz import forms as quiz_forms
from app.quiz.access import category_choices, managed_bank, managed_question
from app.quiz.places import page_place
from app.quiz.type_names import TYPE_LABELS
from app.view_actions import act, submit
from courses.quiz.attempts import AttemptItem
from courses.quiz.bank_questions import (
    delete_question,
    duplicate_question,
    is_used_in_attempts,
    load_question,
    move_question,
    save_question,
)
from courses.quiz.banks import category_paths
from courses.quiz.marking import regrade_question
from courses.quiz.models import Question, QuestionBank, QuizAnswer
from courses.quiz.student_view import public_view


@bp.route("/banks/<int:bank_id>/questions/new/<kind>", methods=["GET", "POST"])
@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def question_edit(bank_id: int | None = None, kind: str | None = None, question_id: int | None = None):  # type: ignore[no-untyped-def]
    row = None
    if question_id is not None:
        row, bank = managed_question(question_id)
        kind = row.type
    else:
        bank = managed_bank(bank_id or 0)
    if kind not in question_forms.FORMS:
        abort(404)
    form_class = question_forms.FORMS[kind]
    if request.method == "POST":
        form = form_class()
    elif row is not None:
        form = form_class(
            data={**question_forms.form_data(load_question(row)), "category_id": row.category_id or 0}
        )
    else:
        form = form_class(data={"category_id": request.args.get("category", 0, type=int)})
    form.category_id.choices = category_choices(bank)
    if request.method == "GET":
        question_forms.blank_rows(form)
    if form.validate_on_submit():
        question = question_forms.build_question(kind, form)
        if question is not None:
            done = submit(
                form,
                lambda: save_question(
                    bank, question, category_id=form.category_id.data or None, actor=current_user, row=row
                ),
                done=_("Question saved."),
                then=_after_save(bank, row),
            )
            if done is not None:
                return done
    return render_template(
        "quiz/question_form.html",
        form=form,
        bank=bank,
        row=row,
        kind=kind,
        type_label=TYPE_LABELS[kind],
        **page_place(bank),
    ), form_status(form)


def _after_save(bank: QuestionBank, row: Question | None) -> Callable[[Question], str]:
    """Where a saved question leads: an edit of an answered question offers to regrade them."""

    def target(saved: Question) -> str:
        if row is not None and is_used_in_attempts(row.id):
            return url_for("quiz.question_preview", question_id=saved.id, regrade=1)
        return url_for("quiz.bank", bank_id=bank.id, category=saved.category_id or None)

    return target


@bp.route("/questions/<int:question_id>")
@login_required
def question_preview(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = managed_question(question_id)
    question = load_question(row)
    item = AttemptItem(
        1, QuizAnswer(slot=1, answer=None), row, question, public_view(question, shuffle_seed=None)
    )
    move_form = quiz_forms.MoveForm(data={"category_id": row.category_id or 0})
    move_form.category_id.choices = category_choices(bank)
    return render_template(
        "quiz/question_preview.html",
        row=row,
        bank=bank,
        item=item,
        question=question,
        move_form=move_form,
        used=is_used_in_attempts(row.id),
        paths=category_paths(bank.id),
        **page_place(bank),
    )


@bp.route("/questions/<int:question_id>/duplicate", methods=["POST"])
@login_required
def question_duplicate(question_id: int):  # type: ignore[no-untyped-def]
    row, _bank_row = managed_question(question_id)
    copy = duplicate_question(row, actor=current_user)
    flash(_("Question duplicated."), "success")
    return redirect(url_for("quiz.question_edit", question_id=copy.id))


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@login_required
def question_move(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = managed_question(question_id)
    form = quiz_forms.MoveForm()
    form.category_id.choices = category_choices(bank)
    if not form.validate_on_submit():
        flash(_("Unknown category."), "danger")
        return redirect(url_for("quiz.question_preview", question_id=row.id)), 303
    move_question(row, form.category_id.data or None, actor=current_user)
    flash(_("Question moved."), "success")
    return redirect(url_for("quiz.bank", bank_id=bank.id, category=row.category_id or None))


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def question_delete(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = managed_question(question_id)
    return act(
        lambda: delete_question(row, actor=current_user),
        done=_("Question deleted."),
        then=url_for("quiz.bank", bank_id=bank.id),
        refused=url_for("quiz.question_preview", question_id=row.id),
    )


@bp.route("/questions/<int:question_id>/regrade", methods=["POST"])
@login_required
def question_regrade(question_id: int):  # type: ignore[no-untyped-def]
    row, bank = managed_question(question_id)
    changes = regrade_question(row, actor=current_user)
    users = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_({c.user_id for c in changes})))
    }
    return render_template(
        "quiz/regrade.html", row=row, bank=bank, changes=changes, users=users, **page_place(bank)
    )
