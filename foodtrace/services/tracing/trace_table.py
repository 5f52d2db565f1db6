"""A lot's backward and forward trace as a CSV table for people: one row per lot, headers and values
in Chinese or English (products, units, steps, certificates and results by their terms), parties by
name with their id, times in the district's time zone. UTF-8 with a BOM for spreadsheet programs;
every cell spreadsheet-safe (a lot code such as ``=2+3`` must not run as a formula)."""

from __future__ import annotations

import csv
from datetime import datetime, tzinfo
import io

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import label, t
from foodtrace.ingest.spreadsheet import safe_row
from foodtrace.model.custody import Custody
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace import CertView, Trace, backward_trace, forward_trace

# column -> (zh, en)
COLUMNS: dict[str, tuple[str, str]] = {
    "direction": ("方向", "direction"), "depth": ("层级", "depth"), "code": ("追溯码", "trace code"),
    "product": ("产品", "product"), "quantity": ("数量", "quantity"), "unit": ("单位", "unit"),
    "made_by": ("经手主体", "made by"), "step": ("环节", "step"), "time": ("时间", "time"),
    "holders": ("持有主体及数量", "holders and quantities"), "certificates": ("证明", "certificates"),
    "tests": ("检测", "tests"), "inputs_from": ("来源批次", "made from"), "unconfirmed": ("未确认", "unconfirmed"),
}
CSV_COLUMNS = list(COLUMNS)
WORDS = {"backward": ("上游", "upstream"), "forward": ("下游", "downstream"), "yes": ("是", "yes")}


def _w(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _party(tr: Trace, pid: str | None, lang: str) -> str:
    if not pid:
        return ""
    if pid == "consumer":
        return t("consumer", lang)
    ref = tr.parties.get(pid)
    name = ref.name if ref and ref.name else None
    if not name:
        return pid
    return f"{name}（{pid}）" if lang != "en" else f"{name} ({pid})"


def _holders(tr: Trace, holders: list[Custody], lang: str) -> str:
    """Each holder once, with what it came to hold of the lot (its records added up, per unit)."""
    sep = "；" if lang != "en" else "; "
    by_party: dict[str, dict[str, float]] = {}
    for h in holders:
        got = by_party.setdefault(h.party, {})
        if h.quantity is not None:
            u = getattr(h.unit, "value", h.unit) or ""
            got[u] = got.get(u, 0.0) + h.quantity
    return sep.join(f"{_party(tr, p, lang)}: {', '.join(_num(round(q, 6)) for q in got.values())}".rstrip(": ")
                    for p, got in by_party.items())


def _certs(items: list[CertView], lang: str) -> str:
    sep = "；" if lang != "en" else "; "
    return sep.join(f"{label(c.kind, lang)} {c.number}: {label(c.result, lang)}" for c in items)


def _time(when: datetime | None, tz: tzinfo | None) -> str:
    if when is None:
        return ""
    local = when.astimezone(tz) if tz else when
    return local.strftime("%Y-%m-%d %H:%M")


def trace_csv(store: GraphStore, code: str, limit: int | None = None, lang: str = "zh",
              tz: tzinfo | None = None) -> str:
    """Backward then forward trace of a lot, one row per lot (see the module doc)."""
    lot = resolve(store, code)
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([v[1] if lang == "en" else v[0] for v in COLUMNS.values()])
    sep = "；" if lang != "en" else "; "
    for tr in (backward_trace(store, lot.code, limit), forward_trace(store, lot.code, limit)):
        parents: dict[str, list[str]] = {}
        for e in tr.edges:
            parents.setdefault(e.target, []).append(e.source)
        for n in sorted(tr.lots, key=lambda n: (n.depth, n.code)):
            if tr.direction == "forward" and n.depth == 0:
                continue  # the lot itself is on the backward half
            mb = n.made_by
            holders = _holders(tr, n.holders, lang)
            w.writerow(safe_row([
                _w(tr.direction, lang), n.depth, n.code, label(n.product, lang) if n.product else "",
                _num(n.quantity), label(n.unit, lang) if n.unit else "", _party(tr, mb.party if mb else None, lang),
                label(mb.kind or mb.type, lang) if mb else "", _time(mb.time if mb else None, tz), holders,
                _certs(n.certificates, lang), _certs(n.tests, lang), sep.join(sorted(parents.get(n.code, []))),
                _w("yes", lang) if n.unconfirmed else ""]))
    return buf.getvalue()


__all__ = ["trace_csv", "CSV_COLUMNS", "COLUMNS"]
