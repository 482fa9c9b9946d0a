"""`flask auth reset-second-factor EMAIL`: for someone who lost both their phone and their recovery codes."""

import click

from coordination.auth import bp, second_factor
from coordination.auth.rules import find_user_by_email
from coordination.extensions import db


@bp.cli.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Turn off two-step sign-in for EMAIL, who can then sign in with the password alone."""
    user = find_user_by_email(email)
    if user is None:
        raise click.BadParameter("no account has this address", param_hint="EMAIL")
    second_factor.reset(None, user)
    db.session.commit()
    click.echo(f"Two-step sign-in is off for {user.email}; they can turn it on again from their profile.")
