"""Command-line entry points: `flask --app app create-admin|demo|contests tick|init-instance`."""

from __future__ import annotations

import click
from flask import Flask

from app import account_services, sessions
from app.accounts import Role
from app.contest_cli import contests_group
from app.demo import load_demo
from app.domain_errors import DomainError
from app.extensions import db
from app.mail_cli import mail_group
from app.security import hash_password
from app.uploads_cli import uploads_group


def init_app(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(demo)
    app.cli.add_command(uploads_group)
    app.cli.add_command(contests_group)
    app.cli.add_command(mail_group)


@click.command("create-admin")
@click.argument("email")
@click.option("--password", help="Password; asked for interactively when omitted.")
@click.option("--name", "full_name", default="Администратор", show_default=True)
def create_admin(email: str, password: str | None, full_name: str) -> None:
    """Create an administrator, or make an existing user one."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = account_services.find_user_by_email(email)
    try:
        if user is None:
            user = account_services.create_user(
                email=email, full_name=full_name, password=password, role=Role.ADMIN
            )
            click.echo(f"Created administrator {user.email}")
        else:
            account_services.check_new_password(password)
            user.role = Role.ADMIN
            user.active = True
            user.password_hash = hash_password(password)
            sessions.end_all_sessions(user)  # a new password ends the old sessions
            db.session.commit()
            click.echo(f"{user.email} is now an administrator")
    except DomainError as error:
        raise click.ClickException(error.message) from None


@click.command("demo")
def demo() -> None:
    """Load demo data; running it again adds nothing twice."""
    for line in load_demo():
        click.echo(line)
