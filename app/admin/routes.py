"""Thin admin views over the account services."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app import account_services
from app.accounts import Institution, User
from app.admin import bp
from app.admin.forms import (
    InstitutionForm,
    UserCreateForm,
    UserEditForm,
    institution_form_choices,
    role_choices,
)
from app.extensions import db
from app.forms_common import form_status, institution_choices
from app.i18n import _
from app.institutions import INSTITUTION_TYPE_LABELS, save_institution
from app.pagination import page_args, paginate
from app.permissions import can_manage_institutions, can_manage_users, require
from app.view_actions import submit


@bp.route("/institutions")
@login_required
def institutions():  # type: ignore[no-untyped-def]
    require(can_manage_institutions(current_user))
    page, per_page = page_args(request.args)
    query = select(Institution).order_by(Institution.district, Institution.name, Institution.id)
    search = request.args.get("q", "").strip()
    if search:
        like = f"%{search}%"
        query = query.where(or_(Institution.name.ilike(like), Institution.district.ilike(like)))
    return render_template(
        "admin/institutions.html",
        page=paginate(query, page, per_page),
        q=search,
        type_labels=INSTITUTION_TYPE_LABELS,
    )


@bp.route("/institutions/new", methods=["GET", "POST"])
@bp.route("/institutions/<int:institution_id>", methods=["GET", "POST"])
@login_required
def institution_edit(institution_id: int | None = None):  # type: ignore[no-untyped-def]
    require(can_manage_institutions(current_user))
    institution = db.get_or_404(Institution, institution_id) if institution_id else None
    form = InstitutionForm(obj=institution)
    institution_form_choices(form, institution, fresh=request.method == "GET")
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: save_institution(
                institution,
                name=form.name.data or "",
                kind=form.type.data or None,
                district_id=form.district_id.data or None,
                district=form.district.data or "",
                region=form.region.data or "",
                actor=current_user,
            ),
            done=_("Institution saved."),
            then=url_for("admin.institutions"),
        )
        if done:
            return done
    return render_template("admin/institution_edit.html", form=form, institution=institution), form_status(
        form
    )


@bp.route("/users")
@login_required
def users():  # type: ignore[no-untyped-def]
    require(can_manage_users(current_user))
    page, per_page = page_args(request.args)
    query = select(User).order_by(User.full_name, User.id)
    search = request.args.get("q", "").strip()
    if search:
        like = f"%{search}%"
        query = query.where(or_(User.full_name.ilike(like), User.email.ilike(like)))
    role = request.args.get("role", "")
    if role:
        query = query.where(User.role == role)
    return render_template(
        "admin/users.html", page=paginate(query, page, per_page), q=search, role=role, roles=role_choices()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def user_new():  # type: ignore[no-untyped-def]
    require(can_manage_users(current_user))
    form = UserCreateForm()
    form.role.choices = role_choices()
    form.institution.choices = institution_choices()
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: account_services.create_user(
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                password=form.password.data or "",
                role=form.role.data or "teacher",
                institution_id=form.institution.data or None,
                actor=current_user,
            ),
            done=_("User created."),
            then=url_for("admin.users"),
        )
        if done:
            return done
    return render_template("admin/user_new.html", form=form), form_status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):  # type: ignore[no-untyped-def]
    require(can_manage_users(current_user))
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    form.role.choices = role_choices()
    form.institution.choices = institution_choices()
    if request.method == "GET":
        form.institution.data = user.institution_id or 0
        form.role.data = str(user.role)
    if form.validate_on_submit():
        done = submit(
            form,
            lambda: account_services.admin_update_user(
                user,
                role=form.role.data or "",
                institution_id=form.institution.data or None,
                active=bool(form.active.data),
                actor=current_user,
            ),
            done=_("User saved."),
            then=url_for("admin.users"),
        )
        if done:
            return done
    return render_template("admin/user_edit.html", form=form, user=user), form_status(form)
