"""Every form that takes an address uses the one validator (issue 9 items 9 and 12d): the demo's
`.local` accounts can reset a password and be enrolled or invited one by one; broken addresses
are refused next to the field."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from app.admin.forms import UserCreateForm
from app.auth.forms import ForgotForm, RegisterForm
from app.courses.forms import EnrolForm
from app.extensions import db
from app.jury.forms import InviteForm
from tests.factories.accounts import teacher

FORMS = [RegisterForm, ForgotForm, UserCreateForm, EnrolForm, InviteForm]
BAD = ["bad\n@example.org", "x@", "has space@example.org"]


def _email_errors(form_class, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    form = form_class(formdata=MultiDict({"email": address}))
    for field in form:
        if isinstance(field, SelectField) and field.choices is None:
            field.choices = []  # the views fill these; only the address matters here
    form.validate()
    return [str(message) for message in form.errors.get("email", [])]


@pytest.mark.parametrize("form_class", FORMS)
def test_every_address_form_takes_the_demo_addresses(app, form_class) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(method="POST"):
        assert _email_errors(form_class, "teacher@vmeste.local") == []


@pytest.mark.parametrize("form_class", FORMS)
@pytest.mark.parametrize("address", BAD)
def test_every_address_form_refuses_broken_addresses(app, form_class, address) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(method="POST"):
        assert _email_errors(form_class, address) == ["Введите правильный адрес электронной почты."]


def test_a_demo_account_can_reset_its_password(client, outbox) -> None:  # type: ignore[no-untyped-def]
    teacher(email="teacher@vmeste.local")
    db.session.commit()
    response = client.post("/auth/forgot", data={"email": "teacher@vmeste.local"})
    assert response.status_code == 302
    assert [m["To"] for m in outbox()] == ["teacher@vmeste.local"]


@pytest.mark.parametrize("address", BAD)
def test_registration_refuses_a_broken_address_by_the_field(client, address) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/auth/register",
        data={
            "email": address,
            "full_name": "Имя",
            "institution": "0",
            "password": "secret-pass-1",
            "password2": "secret-pass-1",
        },
    )
    assert response.status_code == 422
    assert "Введите правильный адрес электронной почты." in response.get_data(as_text=True)
