"""The shared view steps: a refusal is flashed or put by its field, a success flashed, then a redirect."""

from __future__ import annotations

from flask import Flask, get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from app.domain_errors import Conflict, Invalid
from app.view_actions import act, submit


class NameForm(FlaskForm):
    name = StringField()


def _refuse_conflict() -> None:
    raise Conflict("The stage is closed.")


def _refuse_name() -> None:
    raise Invalid("Bad name.", {"name": "Too long."})


def test_act_flashes_the_success_and_redirects_with_the_result(app: Flask) -> None:
    with app.test_request_context("/", method="POST"):
        response = act(lambda: 7, done=lambda n: f"Saved {n}.", then=lambda n: f"/items/{n}")
        assert response.status_code == 302
        assert response.location == "/items/7"
        assert get_flashed_messages(with_categories=True) == [("success", "Saved 7.")]


def test_act_flashes_the_refusal_and_goes_to_the_refused_target(app: Flask) -> None:
    with app.test_request_context("/", method="POST"):
        response = act(_refuse_conflict, done="Saved.", then=lambda n: f"/items/{n}", refused="/back")
        assert response.location == "/back"
        assert get_flashed_messages(with_categories=True) == [("danger", "The stage is closed.")]


def test_submit_puts_the_refusal_by_its_field_and_lets_the_view_render(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = NameForm(meta={"csrf": False})
        assert submit(form, _refuse_name, done="Saved.", then="/done") is None
        assert form.name.errors == ["Too long."]
        assert get_flashed_messages() == []


def test_submit_redirects_after_success(app: Flask) -> None:
    with app.test_request_context("/", method="POST", data={"name": "x"}):
        form = NameForm(meta={"csrf": False})
        response = submit(form, lambda: None, done="Saved.", then="/done")
        assert response is not None and response.location == "/done"
        assert get_flashed_messages() == ["Saved."]
