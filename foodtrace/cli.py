"""The one command-line entry point: ``foodtrace serve|demo|ingest|trace|check|entry|recall|investigate|supervise…``.

Commands parse, call one service and render. Errors print their reason (and
position and field) and exit non-zero — never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli_common import Cli, open_store_of, rules_of, settings_of
from .config import Settings
from .i18n import t

STORE_HELP = "Store URL: sqlite:///path.db (default ./foodtrace.db), memory://, bolt://host:7687, neo4j://…"


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="FOODTRACE_STORE", default=None, help=STORE_HELP)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of output (default zh).")
@click.version_option(package_name="foodtrace")
@click.pass_context
def main(ctx: click.Context, store: str | None, lang: str | None) -> None:
    """foodtrace — farm-to-table traceability for meat and vegetables (肉类蔬菜流通追溯)."""
    settings = Settings()
    updates = {k: v for k, v in {"store": store, "lang": lang}.items() if v}
    ctx.obj = {"settings": settings.model_copy(update=updates)}


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the HTTP API and pages."""
    _serve(ctx, host, port)


def _serve(ctx: click.Context, host: str | None, port: int | None, store=None) -> None:
    import uvicorn

    from .api.app import create_app

    s = settings_of(ctx)
    s = s.model_copy(update={k: v for k, v in {"host": host, "port": port}.items() if v})
    click.echo(f"{t('serving', s.lang)}: {s.public_base_url()}  (store {s.store})", err=True)
    uvicorn.run(create_app(s, store=store), host=s.host, port=s.port, log_level="warning")


@main.command()
@click.option("--events", "size", type=click.IntRange(min=500), default=20_000, show_default=True,
              help="Approximate number of events to generate.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same district).")
@click.option("--clean", is_flag=True, help="Plant no problems.")
@click.option("--complaints", is_flag=True, help="Also file consumer complaints on pork from one farm (SF001).")
@click.option("--serve/--no-serve", "do_serve", default=True, help="Serve after loading (default) or only load.")
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
@click.pass_context
def demo(ctx: click.Context, size: int, seed: int, clean: bool, complaints: bool, do_serve: bool, host,
         port) -> None:
    """Generate and load a demo district, then serve it."""
    from .services.demo import load_demo

    s = settings_of(ctx)
    s = s.model_copy(update={k: v for k, v in {"host": host, "port": port}.items() if v})
    ctx.obj["settings"] = s
    lang = s.lang
    store = open_store_of(ctx)
    try:
        store.init_schema()
        with click.progressbar(length=size, label="demo", file=sys.stderr, show_pos=True) as bar:
            district = load_demo(store, events=size, seed=seed, plant=not clean, progress=bar.update,
                                 plant_complaints=complaints)
        counts = store.counts()
        click.echo(f"{t('demo_loaded', lang)}: {counts['events']} {t('events', lang)}, {counts['lots']} "
                   f"{t('lots', lang)} → {s.store}")
        if district.sample_receipt:
            click.echo(f"{t('sample_receipt', lang)}: {district.sample_receipt}")
            click.echo(f"{t('consumer_link', lang)}: {s.public_base_url()}/l/{district.sample_receipt}")
        if do_serve:
            _serve(ctx, host, port, store=store)
    finally:
        store.close()


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--batch-size", type=click.IntRange(min=0), default=0, show_default=True,
              help="JSON lines only — 0: the whole file is one all-or-nothing batch; N: commit every N events.")
@click.pass_context
def ingest(ctx: click.Context, file: Path, batch_size: int) -> None:
    """Capture events from FILE: .jsonl (one event per line), .csv (the CSV
    layouts), .jsonld / .json (an EPCIS 2.0 document)."""
    from .ingest.files import ingest_file

    lang = settings_of(ctx).lang
    size = file.stat().st_size if file.exists() else 0
    store = open_store_of(ctx)
    try:
        lines = sum(1 for _ in open(file, "rb")) if size else 0
        committed = 0
        with click.progressbar(length=max(lines, 1), label="ingest", file=sys.stderr, show_pos=True) as bar:

            def on_batch(n: int) -> None:
                nonlocal committed
                bar.update(n)
                if batch_size:  # each batch is durable once this line is printed
                    committed += n
                    click.echo(f"{t('committed', lang)}: {committed}")

            rep = ingest_file(store, file, batch_size=batch_size, progress=on_batch)
    finally:
        store.close()
    for w in rep.warnings:
        click.secho(f"{t('warning', lang)}: {w}", fg="yellow", err=True)
    for nt in rep.not_traced:
        click.echo(f"{t('not_traced', lang)}: {nt['event_id']} — {nt['reason']}", err=True)
    res = rep.result
    click.echo(f"{t('stored', lang)}: {len(res.stored)}  {t('duplicates', lang)}: {len(res.duplicates)}  "
               f"{t('placeholders', lang)}: {len(res.placeholders)}")


@main.group()
def export() -> None:
    """Export a lot's records: EPCIS 2.0 or the FSMA 204 sortable spreadsheet."""


@export.command("fsma")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="file.xlsx or file.csv")
@click.pass_context
def export_fsma(ctx: click.Context, code: str, output: Path) -> None:
    """The FSMA 204 sortable spreadsheet of every CTE linked to lot CODE."""
    from .ingest.fsma import fsma_rows, write_fsma

    fmt = "csv" if output.suffix.lower() == ".csv" else "xlsx"
    store = open_store_of(ctx.find_root())
    try:
        rows = fsma_rows(store, code)
    finally:
        store.close()
    output.write_bytes(write_fsma(rows, fmt))
    click.echo(f"{output}: {len(rows)} {t('rows', settings_of(ctx.find_root()).lang)}")


@export.command("epcis")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="file.jsonld")
@click.pass_context
def export_epcis(ctx: click.Context, code: str, output: Path) -> None:
    """Lot CODE's trace as an EPCIS 2.0 JSON-LD document."""
    from .ingest.epcis_export import export_lot

    store = open_store_of(ctx.find_root())
    try:
        doc = export_lot(store, code)
    finally:
        store.close()
    output.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"{output}: {len(doc['epcisBody']['eventList'])} {t('events', settings_of(ctx.find_root()).lang)}")


@main.command()
@click.argument("code")
@click.option("--forward", is_flag=True, help="Forward (where it went) instead of backward (where it came from).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a tree.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Most lots to include.")
@click.option("--as-of", "as_of", default=None, metavar="TIME",
              help="As the store knew it at this record time (ISO 8601 with a time zone), for disputes.")
@click.pass_context
def trace(ctx: click.Context, code: str, forward: bool, as_json: bool, limit: int | None, as_of: str | None) -> None:
    """Trace a lot by its CODE (trace code, receipt code or QR link)."""
    from datetime import datetime

    from .errors import InvalidInput, detail
    from .render import render_trace
    from .services.asof import trace_as_of
    from .services.tracing import backward_trace, forward_trace

    at = None
    if as_of:
        try:
            at = datetime.fromisoformat(as_of)
        except ValueError as exc:
            raise InvalidInput(f"--as-of: {exc}", [detail(None, "as_of", "expected ISO 8601, e.g. "
                                                          "2025-03-01T12:00:00+08:00")]) from exc
    store = open_store_of(ctx)
    try:
        if at is not None:
            tr = trace_as_of(store, code, at, forward=forward, limit=limit)
        else:
            tr = (forward_trace if forward else backward_trace)(store, code, limit)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(tr.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2))
    else:
        click.echo(render_trace(tr, settings_of(ctx).lang))


@main.group()
def keys() -> None:
    """API keys: create (printed once), list, revoke."""


@keys.command("create")
@click.option("--party", required=True, help="The party id the key acts for.")
@click.option("--role", type=click.Choice(["operator", "inspector", "admin"]), required=True,
              help="operator: its own party's events and lots; inspector: reads all; admin: parties and keys.")
@click.option("--label", default=None, help="A note on what the key is for.")
@click.pass_context
def keys_create(ctx: click.Context, party: str, role: str, label: str | None) -> None:
    """Issue a key and print it — this once; only its SHA-256 is stored."""
    from .services.keys import issue_key

    store = open_store_of(ctx)
    try:
        issued = issue_key(store, party, role, label=label)
    finally:
        store.close()
    lang = settings_of(ctx).lang
    click.echo(f"{t('key_created', lang)} · key_id={issued.record.key_id} party={issued.record.party} "
               f"role={issued.record.role.value}", err=True)
    click.echo(issued.key)


@keys.command("list")
@click.pass_context
def keys_list(ctx: click.Context) -> None:
    """Every key issued: id, party, role, issue time, revoked (never the keys)."""
    store = open_store_of(ctx)
    try:
        records = store.api_keys()
    finally:
        store.close()
    for k in records:
        state = "revoked" if k.revoked else "active"
        click.echo(f"{k.key_id}\t{k.party}\t{k.role.value}\t{k.issued_at.isoformat()}\t{state}\t{k.label or ''}")


@keys.command("revoke")
@click.argument("key_id")
@click.option("--by", "by", default=None, help="The revoking party id (default: the key's own party).")
@click.pass_context
def keys_revoke(ctx: click.Context, key_id: str, by: str | None) -> None:
    """Revoke KEY_ID (k_…) from now on."""
    from .services.keys import revoke_key

    store = open_store_of(ctx)
    try:
        revoked = revoke_key(store, key_id, revoked_by=by)
    finally:
        store.close()
    click.echo(f"{revoked.key_id} revoked")


@main.command("audit")
@click.option("--party", required=True, help="The party whose records to list.")
@click.option("--since", type=click.DateTime(), default=None, help="Recorded at or after (UTC unless a zone is given).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def audit_cmd(ctx: click.Context, party: str, since, as_json: bool) -> None:
    """Who captured what and when: every event of PARTY, in log order (retracted ones marked)."""
    from datetime import timezone

    from .services.audit import audit

    store = open_store_of(ctx)
    try:
        since = since.replace(tzinfo=since.tzinfo or timezone.utc) if since else None
        for e in audit(store, party, since=since):
            if as_json:
                click.echo(e.model_dump_json())
            else:
                mark = f"  ✘ {t('retracted_by', settings_of(ctx).lang)} {e.retracted_by}" if e.retracted_by else ""
                click.echo(f"{e.seq:>8}  {e.record_time.isoformat() if e.record_time else '?':32}  {e.type:22} "
                           f"{e.event_id}  ({e.captured_by or '-'}){mark}")
    finally:
        store.close()


@main.group()
def db() -> None:
    """Store administration: init, copy, backup, verify."""


@db.command("init")
@click.pass_context
def db_init(ctx: click.Context) -> None:
    """Create the store's constraints and indexes (Neo4j; a no-op for SQLite)."""
    store = open_store_of(ctx)
    try:
        store.init_schema()
        click.echo(f"{t('schema_ready', settings_of(ctx).lang)}: {store.url}")
    finally:
        store.close()


@db.command("copy")
@click.argument("src")
@click.argument("dst")
@click.pass_context
def db_copy(ctx: click.Context, src: str, dst: str) -> None:
    """Copy the whole event log from store SRC to store DST (URLs), keeping ids and record times."""
    from .graph import open_store
    from .services.copying import copy_log

    s = settings_of(ctx)
    source = open_store(src, s)
    try:
        target = open_store(dst, s)
        try:
            total = source.counts()["events"]
            with click.progressbar(length=max(total, 1), label="copy", file=sys.stderr, show_pos=True) as bar:
                n = copy_log(source, target, progress=bar.update)
            counts = target.counts()
        finally:
            target.close()
    finally:
        source.close()
    click.echo(f"{t('copied', s.lang)}: {n} {t('events', s.lang)} → {dst} ({counts['events']} {t('events', s.lang)})")


@main.command()
@click.option("--from", "first", default=None, metavar="DATE",
              help="First day, e.g. 2025-01-01 (default: 1 January of the --to year).")
@click.option("--to", "last", default=None, metavar="DATE", help="Last day, e.g. 2025-12-31 (default: today).")
@click.option("--tz", default=None, help="Time zone of the dates (default FOODTRACE_TZ or +08:00).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default zh).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE instead of printing.")
@click.pass_context
def report(ctx: click.Context, first: str | None, last: str | None, tz: str | None, fmt: str, lang: str | None,
           output: Path | None) -> None:
    """District statistics for a period (统计报告): Markdown, an HTML page with charts, or JSON."""
    from .services.report import district_report, render_report

    s = settings_of(ctx)
    rules = rules_of(ctx)
    store = open_store_of(ctx)
    try:
        result = district_report(store, first, last, tz=tz or s.tz, rules=rules)
    finally:
        store.close()
    text = render_report(result, fmt, lang or s.lang)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"{output} ({result.period_from} – {result.period_to})", err=True)


# command groups that live in modules of their own
from .cli_rules import COMMANDS as RULES_COMMANDS  # noqa: E402
from .cli_supervision import supervise  # noqa: E402
from .cli_web import qr  # noqa: E402
from .cli_db import DB_COMMANDS  # noqa: E402

for command in (*RULES_COMMANDS, supervise, qr):
    main.add_command(command)
for command in DB_COMMANDS:
    db.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
