"""The Markdown table of scripts/bench.py: every figure beside the baseline measured in the same run
(the SQL ``WITH RECURSIVE`` store for traces, the hello-world app for HTTP) and their ratio, and the
machine's load average while it ran."""

from __future__ import annotations

NAN = float("nan")


def _p(d: dict | None, key: str) -> str:
    if not d or key not in d:
        return "–"
    v = d[key]
    return f"{v['p50']:.3f} / {v['p95']:.3f} / {v['p99']:.3f}"


def _ratio(base: dict | None, ours: dict | None, key: str) -> str:
    """How many times faster than the baseline at p50 and at p99 (above 1: we are faster)."""
    if not base or not ours or key not in base or key not in ours:
        return "–"
    b, o = base[key], ours[key]
    return f"{b['p50'] / max(o['p50'], 1e-9):.1f}x / {b['p99'] / max(o['p99'], 1e-9):.1f}x"


def render(r: dict, verdict) -> str:
    load = r.get("load", {})
    loads = ", ".join(f"{k} {v:.1f}" for k, v in load.items())
    lines = [f"foodtrace benchmark · {r['events']:,} events · {r['date']}", "",
             f"Machine: {r['machine']}  ", f"Load average (1 min) during the run: {loads}  ",
             f"Command: `{r['command']}`", "",
             "| measure | embedded | Neo4j | baseline (same run) | embedded vs baseline, p50 / p99 | target (1M) |",
             "| --- | --- | --- | --- | --- | --- |"]
    neo, bl, emb = r.get("neo4j", {}), r["baseline"], r["embedded"]
    neo_eps = r.get("ingest_neo4j_eps", NAN)
    lines.append(f"| ingest, events/s | {r['ingest_embedded_eps']:,.0f} | {neo_eps:,.0f} | – | – | "
                 f"{verdict('ingest_embedded_eps', r['ingest_embedded_eps'])}"
                 f"{'' if neo_eps != neo_eps else '; Neo4j ' + verdict('ingest_neo4j_eps', neo_eps)} |")
    if "ingest_loop_eps" in r:
        lines.append(f"| (the generator's loop into store.append, events/s) | {r['ingest_loop_eps']:,.0f} | – | – | – | |")
    lines.append(f"| open a store, s (lineage graph ready at) | {r['open_s']:.2f} ({r.get('graph_ready_s', NAN):.2f}) "
                 f"| – | – | – | {verdict('open_s', r['open_s'])} |")
    lines.append(f"| resident bytes per event | {r['bytes_per_event']:.0f} | – | – | – | "
                 f"{verdict('bytes_per_event', r['bytes_per_event'])} |")
    lines.append(f"| store file, bytes per event | {r['db_bytes'] / r['events']:.0f} | – | – | – | |")
    rows = (("traversal, receipt backward, ms p50/p95/p99", "traversal_back", "traversal_p99_ms"),
            ("traversal, pig forward, ms", "traversal_fwd_pig", None),
            ("full backward trace of a receipt, first time (nothing kept), ms", "full_back_first", None),
            ("full backward trace of a receipt, again, ms", "full_back", "full_backward_p99_ms"),
            ("full forward trace of a live-pig lot, ms", "full_fwd_pig", "forward_pig_p99_ms"),
            ("full forward trace of a vegetable-base lot, ms", "full_fwd_veg", None),
            ("consumer scan, a receipt never traced (view built), ms", "scan_new", "consumer_scan_p99_ms"),
            ("consumer scan, the same receipt again (view kept), ms", "scan_again", None))
    for label, key, tk in rows:
        tgt = verdict(tk, emb[key]["p99"]) if tk else ""
        lines.append(f"| {label} | {_p(emb, key)} | {_p(neo, key)} | {_p(bl, key)} | {_ratio(bl, emb, key)} | "
                     f"{tgt} |")
    lines.append(f"| p99 speed-up over SQL: traversal / full trace | {r['speedup_vs_sql_p99']:.1f}x / "
                 f"{r['full_speedup_vs_sql_p99']:.1f}x | {_ratio(bl, neo, 'traversal_back')} | 1x | – | "
                 f"{verdict('speedup_vs_sql_p99', r['speedup_vs_sql_p99'])} / "
                 f"{verdict('full_speedup_vs_sql_p99', r['full_speedup_vs_sql_p99'])} |")
    lines.append(f"| recall of a slaughterhouse-day ({emb['recall_sh_day_lots']:,} lots), ms | "
                 f"{emb['recall_sh_day_ms']:.1f} | {neo.get('recall_sh_day_ms', NAN):.1f} | "
                 f"{bl['recall_sh_day_ms']:.1f} | {bl['recall_sh_day_ms'] / max(emb['recall_sh_day_ms'], 1e-9):.1f}x | "
                 f"{verdict('recall_sh_day_ms', emb['recall_sh_day_ms'])} |")
    rep = r.get("report") or {}
    for name, label in (("year", "statistics report of the year"), ("month", "statistics report of a month")):
        if f"{name}_s" in rep:
            base = rep.get(f"{name}_log_s", NAN)
            same = {True: "same report", False: "DIFFERENT REPORT"}.get(rep.get(f"{name}_same"), "")
            tgt = verdict("report_s", rep["year_s"]) if name == "year" else (
                f"reads {rep['month_facts_read']:,} facts for its {rep['month_events']:,} events")
            lines.append(f"| {label} (report facts), s | {rep[f'{name}_s']:.1f} | {neo.get('report_s', NAN) if name == 'year' else NAN:.1f} | "
                         f"{base:.1f} (whole-log fold) | {base / max(rep[f'{name}_s'], 1e-9):.1f}x, {same} | {tgt} |")
    lines += rep.get("rows_kept", [])  # the same reports asked again, read back (scripts/bench_report.py)
    if "http" in r:
        lines += _http_rows(r["http"], verdict)
    return "\n".join(lines).replace("| nan |", "| – |")


def _http_rows(h: dict, verdict) -> list[str]:
    c = h["ceiling"]
    out = [f"| HTTP ceiling: Starlette 3 KB page, same uvicorn, {h['workers']} worker(s), wrk 1 thread × "
           f"{h['connections']} connections: req/s, p50 / p99 ms, errors | {c['rps']:,.0f}, {c['p50_ms']:.1f} / "
           f"{c['p99_ms']:.1f}, {c['errors'] + c['non_2xx']} | – | – | 100% | |"]
    for name, label in (("consumer_page_new", "consumer page /l/{code}, every request a receipt never scanned"),
                        ("consumer_page_filed", "consumer page /l/{code}, every request a receipt never scanned, "
                                                "its view kept in the file"),
                        ("consumer_page", "consumer page /l/{code}, the same receipts, views kept"),
                        ("public_json", "public JSON of a lot, views kept"),
                        ("trace_api_first", "trace API (backward), random receipts, its first run (most traces built)"),
                        ("trace_api", "trace API (backward), random receipts, traces kept")):
        x = h.get(name)
        if x is None:  # a run without views kept in the file, or from before the bench measured it
            continue
        tgt = ""
        if name.startswith("consumer_page"):
            tgt = (f"{verdict('http_consumer_rps', x['rps'])}, p99 {verdict('http_consumer_p99_ms', x['p99_ms'])}, "
                   f"of ceiling {verdict('http_consumer_of_ceiling', x['of_ceiling'])}")
        out.append(f"| HTTP {label}: req/s, p50 / p99 ms, errors | {x['rps']:,.0f}, {x['p50_ms']:.1f} / "
                   f"{x['p99_ms']:.1f}, {x['errors'] + x['non_2xx']} | – | {c['rps']:,.0f} req/s | "
                   f"{x['of_ceiling']:.0%} of the ceiling{_cpu(x)} | {tgt} |")
    return out


def _cpu(x: dict) -> str:
    """The server's CPU time per request beside the ceiling's (scripts/bench_http.py), when measured."""
    return f"; server CPU {x['cpu_us']:.0f} µs/request, {x['cpu_of_ceiling']:.0%} of the ceiling's" \
        if x.get("cpu_of_ceiling") else ""


def targets_table(r: dict, rows: list[tuple[str, str, str]], verdict) -> str:
    """Issue 22's targets, one row each: the figure, the same run's baseline beside it, the target, ✔/✘."""
    base = {"ceiling req/s": (r.get("http") or {}).get("ceiling", {}).get("rps", NAN),
            "SQL WITH RECURSIVE p99": ((r.get("baseline") or {}).get("full_back") or {}).get("p99", NAN),
            "the whole-log way before, s": (r.get("ledger") or {}).get("ledger_before_s", NAN)}
    load = r.get("load", {})
    out = [f"Issue 22 targets (load average {load.get('start', NAN):.1f} at the start, {load.get('end', NAN):.1f} "
           "at the end)", "", "| measure | this run | baseline (same run) | target |", "| --- | --- | --- | --- |"]
    for key, label, baseline in rows:
        value = r.get(key, NAN)
        shown = "not run" if value != value else (f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}")
        b = base.get(baseline, NAN) if baseline else NAN
        beside = "–" if b != b else f"{b:,.3g} ({baseline})"
        out.append(f"| {label} | {shown} | {beside} | {verdict(key, value)} |")
    return "\n".join(out)
