"""Text rendering of traces for the terminal, in Chinese or English."""

from __future__ import annotations

from foodtrace.i18n import label, t
from foodtrace.model.glossary import term
from foodtrace.services.tracing.trace import LotNode, Trace


def _party(tr: Trace, pid: str | None, lang: str) -> str:
    if pid is None:
        return "?"
    if pid == "consumer":
        return t("consumer", lang)
    ref = tr.parties.get(pid)
    if ref and ref.name:
        kind = f" · {label(ref.kind, lang)}" if ref.kind else ""
        return f"{ref.name} [{pid}{kind}]"
    return pid


def _qty(q: float | None, unit: str | None, lang: str) -> str:
    if q is None:
        return ""
    return f"{q:g} {label(unit, lang)}"


def _node_lines(tr: Trace, n: LotNode, lang: str) -> list[str]:
    head = f"{n.code} · {label(n.product, lang)} {_qty(n.quantity, n.unit, lang)}".rstrip()
    if n.unconfirmed:
        return [f"{head}  ⚠ {t('unconfirmed', lang)}"]
    lines = [head]
    if n.made_by:
        how = label(n.made_by.kind or n.made_by.type, lang)
        lines.append(f"  {how} · {t('by', lang)} {_party(tr, n.made_by.party, lang)} · {n.made_by.time.isoformat()}")
    for c in n.certificates + n.tests:
        mark = "✔" if c.result == "pass" else "✘"
        lines.append(f"  {mark} {label(c.kind, lang)} {c.number} · {_party(tr, c.issuer, lang)} · "
                     f"{label(c.result, lang)}")
    for i in n.inputs:
        lines.append(f"  • {t('input', lang)}: {label(i.input_kind, lang)} {term('inputs', i.input_name, lang)} "
                     f"({i.interval_days} {t('days', lang)}) · {i.time.date().isoformat()}")
    holders = [h for h in n.holders if h.role in ("received", "issued", "origin", "produced")]
    if holders:
        names = ", ".join(dict.fromkeys(_party(tr, h.party, lang) for h in holders))
        lines.append(f"  {t('held', lang)}: {names}")
    return lines


def render_trace(tr: Trace, lang: str = "zh") -> str:
    """The trace as an indented tree from the root; a lot reached twice (a
    diamond) is printed once and referred to after."""
    forward = tr.direction == "forward"
    children: dict[str, list[str]] = {}
    for e in tr.edges:
        a, b = (e.source, e.target) if forward else (e.target, e.source)
        children.setdefault(a, []).append(b)
    nodes = {n.code: n for n in tr.lots}
    out = [f"{t(tr.direction, lang)} · {len(tr.lots)} {t('lots', lang)}"]
    printed: set[str] = set()

    def walk(code: str, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("└─ " if last else "├─ ")
        cont = "" if top else ("   " if last else "│  ")
        n = nodes.get(code)
        if n is None:
            return
        if code in printed:
            out.append(f"{prefix}{branch}{code} {t('see_above', lang)}")
            return
        printed.add(code)
        lines = _node_lines(tr, n, lang)
        out.append(prefix + branch + lines[0])
        kids = sorted(children.get(code, []))
        for ln in lines[1:]:
            out.append(prefix + cont + ("│ " if kids else "  ") + ln.strip())
        for i, k in enumerate(kids):
            walk(k, prefix + cont, i == len(kids) - 1, False)

    walk(tr.root, "", True, True)
    if tr.gaps:
        out.append(f"⚠ {t('gaps', lang)}: {', '.join(tr.gaps)}")
    if tr.truncated:
        out.append(f"⚠ {t('truncated', lang)}")
    return "\n".join(out)
