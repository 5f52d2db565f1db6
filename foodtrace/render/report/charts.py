"""The report's charts as inline SVG drawn on the server (no scripts, no
external assets): tests and pass rate by month, membership by kind, and the
meat flow (a Sankey-like picture: area raised → slaughter point → receivers)."""

from __future__ import annotations

from collections import defaultdict
from html import escape
import math

from foodtrace.render.report.text import Labels, compact, kg, num, pct
from foodtrace.services.report.model import Flow, KindRow, TestRow

FONT = 'font-family="system-ui, \'Noto Sans CJK SC\', \'Noto Sans SC\', sans-serif"'
BLUE, DARK, GREY, RED, GREEN = "#3b82c4", "#1f4e79", "#d9e2ec", "#c0392b", "#2e8b57"
PALETTE = ["#3b82c4", "#e67e22", "#2e8b57", "#8e44ad", "#16a085", "#d35400", "#2c3e50", "#7f8c8d", "#b7950b",
           "#c0392b", "#5d6d7e"]


def _svg(cls: str, width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg class="chart {cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{escape(title)}" {FONT} font-size="12">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _text(x: float, y: float, s: str, anchor: str = "start", **attrs: object) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(s)}</text>'


def monthly_chart(rows: list[TestRow], L: Labels) -> str:
    """Bars: samples tested per month; line: pass rate (right axis)."""
    w, h, left, right, top, bottom = 760, 280, 56, 56, 30, 40
    pw, ph = w - left - right, h - top - bottom
    most = max((r.samples for r in rows), default=0) or 1
    step = 10 ** max(0, int(math.log10(most)))
    most = math.ceil(most / step) * step
    rates = [r.rate for r in rows if r.rate is not None]
    low = min(90.0, math.floor(min(rates, default=1.0) * 10) * 10) if rates else 0.0
    body = [f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fafbfc" stroke="{GREY}"/>']
    for i in range(5):
        y = top + ph - ph * i / 4
        body.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GREY}"/>')
        body.append(_text(left - 6, y + 4, num(most * i / 4), "end", fill="#555"))
        body.append(_text(left + pw + 6, y + 4, f"{round(low + (100 - low) * i / 4, 1):g}%", fill=GREEN))
    n = max(1, len(rows))
    slot = pw / n
    points = []
    for i, r in enumerate(rows):
        x = left + slot * i
        bh = ph * r.samples / most
        body.append(f'<rect class="bar" x="{x + slot * 0.15:.1f}" y="{top + ph - bh:.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{bh:.1f}" fill="{BLUE}"><title>{escape(r.key)}: {num(r.samples)} · '
                    f'{pct(r.rate)}</title></rect>')
        body.append(_text(x + slot / 2, top + ph + 16, r.key[-2:] if len(rows) > 1 and r.key[:4] == rows[0].key[:4]
                          else r.key, "middle", fill="#555"))
        if r.rate is not None:
            y = top + ph - ph * (r.rate * 100 - low) / (100 - low) if low < 100 else top
            points.append((x + slot / 2, max(top, min(top + ph, y)), r))
    if points:
        body.append('<polyline class="rate" fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            GREEN, " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)))
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{RED if r.failed else GREEN}"/>' for x, y, r in points]
    body.append(_text(left, 18, f"■ {L.t('report_samples')}", fill=BLUE))
    body.append(_text(left + pw, 18, f"● {L.t('report_pass_rate')}", "end", fill=GREEN))
    if rows and len(rows) > 1:
        body.append(_text(left + pw / 2, h - 6, f"{rows[0].key} – {rows[-1].key}", "middle", fill="#555"))
    return _svg("chart-monthly", w, h, L.t("report_monthly_chart"), body)


def membership_chart(rows: list[KindRow], L: Labels) -> str:
    """Per kind: registered (light bar) and reporting (dark bar), with the membership rate."""
    rows = [r for r in rows if r.registered or r.reporting]
    w, left, right, bar, gap, top = 760, 190, 120, 14, 8, 34
    h = top + len(rows) * (bar + gap) + 10
    most = max((r.registered for r in rows), default=0) or 1
    pw = w - left - right
    body = [_text(left, 16, f"■ {L.t('report_registered')}", fill="#8aa6c1"),
            _text(left + 120, 16, f"■ {L.t('report_reporting')}", fill=DARK)]
    for i, r in enumerate(rows):
        y = top + i * (bar + gap)
        body.append(_text(left - 8, y + bar - 2, L.kind(r.kind), "end", fill="#333"))
        body.append(f'<rect x="{left}" y="{y}" width="{pw * r.registered / most:.1f}" height="{bar}" fill="{GREY}" '
                    f'stroke="#8aa6c1"/>')
        body.append(f'<rect class="bar" x="{left}" y="{y}" width="{pw * r.reporting / most:.1f}" height="{bar}" '
                    f'fill="{DARK}"><title>{escape(L.kind(r.kind))}: {r.reporting}/{r.registered}</title></rect>')
        body.append(_text(left + pw * max(r.registered, r.reporting) / most + 6, y + bar - 2,
                          f"{r.reporting}/{r.registered} · {pct(r.rate)}", fill="#333"))
    return _svg("chart-membership", w, h, L.t("report_membership_chart"), body)


def flow_chart(flow: Flow, L: Labels) -> str:
    """Three columns of nodes sized by kilograms, joined by bands as wide as the kilograms they carry."""
    w, h, margin, top, node_w = 900, 460, 150, 36, 14
    cols: dict[int, list] = defaultdict(list)
    for n in flow.nodes:
        cols[n.column].append(n)
    if not flow.links:
        return _svg("chart-flow", w, 80, L.t("report_flow_chart"),
                    [_text(w / 2, 45, L.t("report_none"), "middle", fill="#555")])
    gap = 10
    usable = h - top - 40
    scale = min((usable - gap * (len(c) - 1)) / (sum(n.kg for n in c) or 1) for c in cols.values())
    xs = {0: margin, 1: (w - node_w) / 2, 2: w - margin - node_w}
    pos: dict[str, tuple[float, float, float]] = {}  # id -> x, y, height
    body = [_text(xs[c] + node_w / 2, 18, L.t(k), "middle", fill="#333", font_weight="600")
            for c, k in ((0, "report_from_area"), (1, "report_slaughter_point"), (2, "report_receiving_kind"))]
    for c, nodes in cols.items():
        y = top
        for n in nodes:
            nh = max(2.0, n.kg * scale)
            pos[n.id] = (xs[c], y, nh)
            y += nh + gap
    color = {n.id: PALETTE[i % len(PALETTE)] for i, n in enumerate(cols.get(0, []))}
    out_used: dict[str, float] = defaultdict(float)
    in_used: dict[str, float] = defaultdict(float)
    links = sorted(flow.links, key=lambda k: (pos[k.source][1], pos[k.target][1]))
    for k in links:
        sx, sy, _ = pos[k.source]
        tx, ty, _ = pos[k.target]
        th = max(1.0, k.kg * scale)
        y0 = sy + out_used[k.source] + th / 2
        y1 = ty + in_used[k.target] + th / 2
        out_used[k.source] += k.kg * scale
        in_used[k.target] += k.kg * scale
        x0, x1 = sx + node_w, tx
        mid = (x0 + x1) / 2
        stroke = color.get(k.source) or ("#95a5a6" if not k.source.startswith("s:") else "#7fa7cf")
        d = f"M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        body.append(f'<path class="link" d="{d}" '
                    f'fill="none" stroke="{stroke}" stroke-opacity="0.45" stroke-width="{th:.1f}">'
                    f'<title>{kg(k.kg)} kg</title></path>')
    for n in flow.nodes:
        x, y, nh = pos[n.id]
        fill = RED if n.flag else (color.get(n.id) or DARK)
        name = L.flow_node(n)
        body.append(f'<rect class="node" x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{nh:.1f}" fill="{fill}">'
                    f'<title>{escape(name)}: {kg(n.kg)} kg</title></rect>')
        label = f"{name} · {compact(n.kg, L.lang)}"
        if n.column == 0:
            body.append(_text(x - 6, y + nh / 2 + 4, label, "end", fill="#222"))
        else:
            body.append(_text(x + node_w + 6, y + nh / 2 + 4, label, fill=RED if n.flag else "#222",
                              stroke="#fff", stroke_width="3", paint_order="stroke"))
    body.append(_text(w / 2, h - 6, L.t("report_flow_chart"), "middle", fill="#666", font_size="11"))
    return _svg("chart-flow", w, h, L.t("report_flow_chart"), body)


__all__ = ["monthly_chart", "membership_chart", "flow_chart"]
