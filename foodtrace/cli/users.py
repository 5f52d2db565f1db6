"""People's accounts (``users create|list|disable|enable|reset-password``). The first administrator is
made here; there is never a default password: it is asked for (twice, not echoed) or read from
standard input with ``--password-stdin``."""

from __future__ import annotations

import sys

import click

from foodtrace.cli.runner import settings_of, with_store
from foodtrace.i18n import t

ROLES = ["operator", "inspector", "admin", "viewer"]


def _password(from_stdin: bool, lang: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(t("password_prompt", lang), hide_input=True, confirmation_prompt=t("password_repeat", lang))


@click.group()
def users() -> None:
    """People who sign in to the pages: create, list, disable, enable, reset-password."""


@users.command("create")
@click.argument("login")
@click.option("--name", required=True, help="The person's name as shown on pages.")
@click.option("--party", required=True, help="The party the person acts for (the office, a supermarket…).")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="operator (a business's clerk), inspector, admin, or viewer (reads reports only).")
@click.option("--area", "areas", multiple=True, help="An area code an inspector supervises (repeatable; "
              "a prefix such as 3301 covers its counties). None: the whole district.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.pass_context
def users_create(ctx: click.Context, login: str, name: str, party: str, role: str, areas: tuple[str, ...],
                 password_stdin: bool) -> None:
    """Open an account for LOGIN."""
    from foodtrace.services.admin.users import check_password_rules, create_user

    password = check_password_rules(_password(password_stdin, settings_of(ctx).lang))
    made = with_store(ctx, lambda store: create_user(store, login, name, party, role, password, areas))
    click.echo(f"{made.login}\t{made.party}\t{made.role.value}\t{','.join(made.areas)}")


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """Every account: login, name, party, role, areas, active or disabled (never a password hash)."""
    from foodtrace.services.admin.users import accounts

    for a in sorted(with_store(ctx, lambda store: accounts(store)).values(), key=lambda a: a.login):
        click.echo(f"{a.login}\t{a.name}\t{a.party}\t{a.role.value}\t{','.join(a.areas)}\t"
                   f"{'disabled' if a.disabled else 'active'}")


@users.command("disable")
@click.argument("login")
@click.option("--reason", default=None, help="Why (kept in the log).")
@click.pass_context
def users_disable(ctx: click.Context, login: str, reason: str | None) -> None:
    """LOGIN may no longer sign in; its sessions end at its next request."""
    from foodtrace.services.admin.users import disable_user

    done = with_store(ctx, lambda store: disable_user(store, login, reason))
    click.echo(f"{done.login} disabled")


@users.command("enable")
@click.argument("login")
@click.option("--reason", default=None, help="Why (kept in the log).")
@click.pass_context
def users_enable(ctx: click.Context, login: str, reason: str | None) -> None:
    """LOGIN, disabled before, may sign in again (its old sessions stay ended)."""
    from foodtrace.services.admin.users import enable_user

    done = with_store(ctx, lambda store: enable_user(store, login, reason))
    click.echo(f"{done.login} enabled")


@users.command("reset-password")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input (one line).")
@click.pass_context
def users_reset_password(ctx: click.Context, login: str, password_stdin: bool) -> None:
    """Set a new password for LOGIN; its sessions end."""
    from foodtrace.services.admin.users import check_password_rules, reset_password

    password = check_password_rules(_password(password_stdin, settings_of(ctx).lang))
    done = with_store(ctx, lambda store: reset_password(store, login, password))
    click.echo(f"{done.login} password set")
