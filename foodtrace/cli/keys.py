"""API keys (``keys create|list|revoke``) and the audit trail (``audit``)."""

from __future__ import annotations

import click

from foodtrace.cli.runner import settings_of, with_store
from foodtrace.i18n import t


@click.group()
def keys() -> None:
    """API keys: create (printed once), list, revoke."""


@keys.command("create")
@click.option("--party", required=True, help="The party id the key acts for.")
@click.option("--role", type=click.Choice(["operator", "inspector", "admin", "viewer"]), required=True,
              help="operator: its own party's events and lots; inspector: reads all; admin: parties and keys; "
                   "viewer: the district reports only.")
@click.option("--label", default=None, help="A note on what the key is for.")
@click.pass_context
def keys_create(ctx: click.Context, party: str, role: str, label: str | None) -> None:
    """Issue a key and print it — this once; only its SHA-256 is stored."""
    from foodtrace.services.admin.keys import issue_key

    issued = with_store(ctx, lambda store: issue_key(store, party, role, label=label))
    lang = settings_of(ctx).lang
    click.echo(f"{t('key_created', lang)} · key_id={issued.record.key_id} party={issued.record.party} "
               f"role={issued.record.role.value}", err=True)
    click.echo(issued.key)


@keys.command("list")
@click.pass_context
def keys_list(ctx: click.Context) -> None:
    """Every key issued: id, party, role, issue time, revoked (never the keys)."""
    records = with_store(ctx, lambda store: store.api_keys())
    for k in records:
        state = "revoked" if k.revoked else "active"
        click.echo(f"{k.key_id}\t{k.party}\t{k.role.value}\t{k.issued_at.isoformat()}\t{state}\t{k.label or ''}")


@keys.command("revoke")
@click.argument("key_id")
@click.option("--by", "by", default=None, help="The revoking party id (default: the key's own party).")
@click.pass_context
def keys_revoke(ctx: click.Context, key_id: str, by: str | None) -> None:
    """Revoke KEY_ID (k_…) from now on."""
    from foodtrace.services.admin.keys import revoke_key

    revoked = with_store(ctx, lambda store: revoke_key(store, key_id, revoked_by=by))
    click.echo(f"{revoked.key_id} revoked")


@click.command("audit")
@click.option("--party", required=True, help="The party whose records to list.")
@click.option("--since", type=click.DateTime(), default=None, help="Recorded at or after (UTC unless a zone is given).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def audit_cmd(ctx: click.Context, party: str, since, as_json: bool) -> None:
    """Who captured what and when: every event of PARTY, in log order (retracted ones marked)."""
    from datetime import timezone

    from foodtrace.services.admin.audit import audit

    since = since.replace(tzinfo=since.tzinfo or timezone.utc) if since else None
    lang = settings_of(ctx).lang

    def show(store) -> None:
        for e in audit(store, party, since=since):
            if as_json:
                click.echo(e.model_dump_json())
            else:
                mark = f"  ✘ {t('retracted_by', lang)} {e.retracted_by}" if e.retracted_by else ""
                click.echo(f"{e.seq:>8}  {e.record_time.isoformat() if e.record_time else '?':32}  {e.type:22} "
                           f"{e.event_id}  ({e.captured_by or '-'}){mark}")

    with_store(ctx, show)
