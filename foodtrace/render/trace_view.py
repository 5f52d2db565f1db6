"""The words on the console's graph: each node's box text (at most three short lines that fit a
box of the page's fixed width, codes shortened) and its full description, in Chinese or English."""

from __future__ import annotations

import unicodedata

from pydantic import BaseModel

from foodtrace.i18n import label, t
from foodtrace.services.tracing.graph_groups import GroupedGraph, ViewNode

WIDTH = 30  # units per line: a Chinese character counts 2, a Latin one 1 (a 200 px box at 12 px)


class NodeText(BaseModel):
    label: str  # the box's lines, "\n"-separated
    title: str  # everything: full code, members, reasons


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, units: int = WIDTH) -> str:
    """``text`` cut to ``units`` (an ellipsis marks the cut)."""
    if width(text) <= units:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > units - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def short_code(code: str, keep: int = 6) -> str:
    """A long code as its head and tail (``330106…0000006``); short codes unchanged."""
    return code if len(code) <= 2 * keep + 4 else f"{code[:keep]}…{code[-keep:]}"


def _marks(node: ViewNode, lang: str) -> str:
    if node.type == "lot":
        return " ".join("⚠" + t("mark_" + m, lang) for m in node.marks)
    return " ".join(f"⚠{t('mark_' + m, lang)} {c}" for m, c in node.mark_counts.items())


def _step(node: ViewNode, lang: str) -> str:
    return label(node.step, lang) if node.step else ""


def node_text(node: ViewNode, lang: str) -> NodeText:
    zh = lang != "en"
    product = label(node.product, lang) if node.product else ""
    if node.type == "lot":
        code = node.code or ""
        lines = [short_code(code), " · ".join(x for x in (product, node.party or "") if x), _marks(node, lang)]
        title = [code, " · ".join(x for x in (product, _step(node, lang), node.party or "") if x)]
        if node.holders:
            title.append(f"{t('held', lang)}{'：' if zh else ': '}{('、' if zh else ', ').join(t('consumer', lang) if h == 'consumer' else h for h in node.holders)}")
        title += [getattr(r, "en" if lang == "en" else "zh") for r in node.reasons]
    else:
        head = f"{node.count} {t('lot', lang)}{'' if zh else 's'} · {_step(node, lang)}".strip(" ·")
        kind = label(node.party_kind, lang) if node.party_kind else ""
        who = node.party or (f"{kind} {node.parties} 家" if zh else f"{node.parties} × {kind}")
        lines = [head, " · ".join(x for x in (product, who) if x), _marks(node, lang)]
        more = t("graph_expand_hint", lang)
        title = [" · ".join(x for x in (head, product, who) if x), _marks(node, lang), more]
    return NodeText(label="\n".join(fit(x) for x in lines if x), title="\n".join(x for x in title if x))


def view_texts(view: GroupedGraph, lang: str) -> dict[str, NodeText]:
    return {n.id: node_text(n, lang) for n in view.nodes}
