"""A trace graph drawn as SVG on the server: one column per layer, boxes for
lots, arrows for the flow; failed tests, missing certificates, gaps and
recalls in colour. No JavaScript, no npm."""

from __future__ import annotations

from html import escape

from foodtrace.i18n import label, t
from foodtrace.services.tracing.graph import TraceGraph

W, H, GX, GY, PAD = 190, 64, 60, 18, 16
COLOURS = {"failed_test": "#b3261e", "recalled": "#b3261e", "missing_certificate": "#d97706", "gap": "#6b7280"}


def _fill(node) -> str:
    if node.marks:
        return {"failed_test": "#fde8e7", "recalled": "#fde8e7", "missing_certificate": "#fff4e0"}.get(
            node.marks[0], "#f1f1f1")
    return "#eef6ef"


def graph_svg(g: TraceGraph, lang: str = "zh") -> str:
    first = min((n.layer for n in g.nodes), default=0)
    pos = {n.code: (PAD + (n.layer - first) * (W + GX), PAD + n.row * (H + GY)) for n in g.nodes}
    width = PAD * 2 + g.layers * W + (g.layers - 1) * GX
    height = PAD * 2 + g.rows * H + (g.rows - 1) * GY
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="trace-graph" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="system-ui,Noto Sans CJK SC,sans-serif" font-size="12">',
           '<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto"><path d="M0,0L10,5L0,10z" fill="#557"/></marker></defs>']
    for e in g.edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        x1, y1, y2 = x1 + W, y1 + H / 2, y2 + H / 2
        mid = (x1 + x2) / 2
        out.append(f'<path class="edge" data-from="{escape(e.source)}" data-to="{escape(e.target)}" '
                   f'd="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" stroke="#557" stroke-width="1.4" '
                   'marker-end="url(#arr)"/>')
    for n in g.nodes:
        x, y = pos[n.code]
        stroke = COLOURS.get(n.marks[0], "#2f6b3a") if n.marks else "#2f6b3a"
        width_ = 3.5 if n.code == g.root else (2.5 if n.marks else 1.2)
        dash = ' stroke-dasharray="5 3"' if n.unconfirmed else ""
        title = "\n".join([n.code] + [getattr(r, lang if lang in ("zh", "en") else "zh") for r in n.reasons])
        out.append(f'<g class="lot{" marked" if n.marks else ""}" data-code="{escape(n.code)}" '
                   f'data-marks="{" ".join(n.marks)}"><title>{escape(title)}</title>'
                   f'<rect x="{x}" y="{y}" width="{W}" height="{H}" rx="7" fill="{_fill(n)}" stroke="{stroke}" '
                   f'stroke-width="{width_}"{dash}/>')
        lines = [(n.code, "bold"), (f"{label(n.product, lang) if n.product else ''} · {n.party or ''}", "normal"),
                 (" ".join("⚠" + t("mark_" + m, lang) for m in n.marks), "bold")]
        for i, (text, weight) in enumerate(lines):
            if text.strip(" ·"):
                colour = stroke if i == 2 else "#1d2a1f"
                out.append(f'<text x="{x + 8}" y="{y + 18 + i * 17}" font-weight="{weight}" fill="{colour}">'
                           f'{escape(text[:28])}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
