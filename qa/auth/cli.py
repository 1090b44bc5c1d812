"""``callqa users``: create and list accounts from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from qa.auth.models import ROLES, User
from qa.auth.services import AccountError, create_user, list_users
from qa.db import db


@click.group("users")
def users_cli() -> None:
    """Manage user accounts."""


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--team", help="Team name (created when missing).")
@click.option("--name", help="Full name (default: the username).")
@click.option("--email")
@click.option("--agent-code", help="Required for agents.")
@click.password_option(help="Prompted when not given.")
@with_appcontext
def create(
    username: str,
    role: str,
    team: str | None,
    name: str | None,
    email: str | None,
    agent_code: str | None,
    password: str,
) -> None:
    """Create a user (use this for the first admin)."""
    try:
        user = create_user(
            username, password, role, name=name, email=email, team=team, agent_code=agent_code
        )
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.username}")


@users_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List users."""
    for u in list_users():
        team = u.team.name if u.team else "-"
        click.echo(
            f"{u.username:20} {u.role:8} {team:20} {u.agent_code or '-':10} {'active' if u.active else 'disabled'}"
        )


@users_cli.command("set-password")
@click.argument("username")
@click.password_option()
@with_appcontext
def set_password(username: str, password: str) -> None:
    """Set a user's password."""
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    if len(password) < 8:
        raise click.ClickException("password must have at least 8 characters")
    user.set_password(password)
    db.session.commit()
    click.echo("password updated")
