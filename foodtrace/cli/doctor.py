"""``foodtrace doctor``: the effective settings (secrets masked) and what in
them would hurt users; exits 1 when something would break them."""

from __future__ import annotations

import json
import sys

import click

MARKS = {"ok": "✓", "warn": "!", "fail": "✗"}
COLOURS = {"ok": "green", "warn": "yellow", "fail": "red"}
HEADINGS = {"settings": ("生效的设置", "Effective settings"), "checks": ("检查", "Checks"),
            "verdict_fail": ("有会影响用户的问题，请先修正", "something would break users: fix it first"),
            "verdict_ok": ("没有会影响用户的问题", "nothing would break users")}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: settings and findings.")
@click.pass_context
def doctor(ctx: click.Context, as_json: bool) -> None:
    """Check the configuration before serving users: store, rules file, base URL, time zone,
    trusted proxies, an admin key. Exit code 1 when something would break users."""
    from foodtrace.cli.runner import settings_of
    from foodtrace.services.admin.doctor import breaks_users, diagnose, effective_settings

    s = settings_of(ctx)
    lang = 0 if s.lang == "zh" else 1
    shown, findings = effective_settings(s), diagnose(s)
    if as_json:
        click.echo(json.dumps({"settings": shown, "findings": [
            {"check": f.check, "level": f.level, "message": f.text(s.lang)} for f in findings]},
            ensure_ascii=False, indent=2))
    else:
        click.echo(f"{HEADINGS['settings'][lang]}:")
        for name, value in shown.items():
            click.echo(f"  {name} = {value}")
        click.echo(f"{HEADINGS['checks'][lang]}:")
        for f in findings:
            click.secho(f"  {MARKS[f.level]} {f.check}: {f.text(s.lang)}", fg=COLOURS[f.level])
        verdict = "verdict_fail" if breaks_users(findings) else "verdict_ok"
        click.secho(HEADINGS[verdict][lang], fg="red" if verdict == "verdict_fail" else "green", err=True)
    sys.exit(1 if breaks_users(findings) else 0)
