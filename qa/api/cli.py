"""``callqa tokens``: create, list and revoke API tokens from the shell."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from qa.api.models import ApiToken
from qa.api.tokens import SCOPES, TokenError, create_token, revoke_token, tokens_of
from qa.auth.models import User
from qa.db import db


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


@click.group("tokens")
def tokens_cli() -> None:
    """Manage API tokens."""


@tokens_cli.command("create")
@click.argument("username")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(list(SCOPES)),
    help="Repeat for several scopes; never more than the user's role allows.",
)
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@with_appcontext
def create(username: str, scopes: tuple[str, ...], name: str) -> None:
    """Create a token for USERNAME and print its secret (shown only this once)."""
    try:
        token, secret = create_token(_user(username), name, scopes)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"token #{token.id} for {username} ({', '.join(token.scopes)}):", err=True)
    click.echo(secret)


@tokens_cli.command("list")
@click.argument("username")
@with_appcontext
def list_command(username: str) -> None:
    """List a user's tokens."""
    for t in tokens_of(_user(username)):
        state = "active" if t.active else "revoked"
        used = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "never"
        click.echo(
            f"{t.id:5} {t.prefix}… {t.name:20} {state:8} used {used:16} {' '.join(t.scopes)}"
        )


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id: int) -> None:
    """Revoke a token by its number."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"no token #{token_id}")
    revoke_token(token)
    db.session.commit()
    click.echo(f"token #{token_id} revoked")
