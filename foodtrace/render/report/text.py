"""Numbers and names as the report's renderers show them, in one language."""

from __future__ import annotations

from foodtrace.i18n import label, t
from foodtrace.model.glossary import area_name
from foodtrace.services.report.model import Figure, FlowNode


def num(x: float | int | None) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{int(x):,}"


def kg(x: float | None) -> str:
    return "—" if x is None else f"{x:,.1f}"


def wan(x: float | None, unit: str, lang: str) -> str:
    """An amount as the seed's report writes it: 万公斤 / 万元 in Chinese from ten thousand up; kg / yuan in
    English. ``unit``: "kg" or "yuan"."""
    if x is None:
        return "—"
    if lang == "en":
        return f"{x:,.1f} kg" if unit == "kg" else f"{x:,.2f} yuan"
    name = "公斤" if unit == "kg" else "元"
    if abs(x) >= 1e4:
        return f"{x / 1e4:,.2f}万{name}"
    return f"{x:,.1f}{name}" if unit == "kg" else f"{x:,.2f}{name}"


def compact(x: float, lang: str) -> str:
    """A large quantity in few characters: 936.1万 / 9.36M."""
    if lang == "zh":
        return f"{x / 1e8:.2f}亿" if x >= 1e8 else f"{x / 1e4:.1f}万" if x >= 1e4 else num(round(x, 1))
    return f"{x / 1e6:.2f}M" if x >= 1e6 else f"{x / 1e3:.1f}k" if x >= 1e4 else num(round(x, 1))


def pct(r: float | None) -> str:
    """A rate as a percentage to 2 places, more when 2 would show 100.00% or 0.00% for a rate that is not."""
    if r is None:
        return "—"
    for places in (2, 4, 6):
        shown = f"{r * 100:.{places}f}"
        if (float(shown) == 100) == (r == 1) and (float(shown) == 0) == (r == 0):
            break
    return f"{shown}%"


class Labels:
    """Labels in ``lang`` for what the report names: kinds, groups, products, parties, flow nodes."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def t(self, key: str) -> str:
        return t(key, self.lang)

    def label(self, value: str | None) -> str:
        return label(value, self.lang)

    def kind(self, kind: str | None) -> str:
        return t("unregistered", self.lang) if kind in (None, "unregistered") else label(kind, self.lang)

    def group(self, group: str) -> str:
        return t("report_group_other" if group == "other" else f"report_{group}", self.lang)

    def party(self, pid: str, name: str | None) -> str:
        if not name:
            return f"{pid} ({t('unregistered', self.lang)})"
        return f"{name}（{pid}）" if self.lang == "zh" else f"{name} ({pid})"

    def figure(self, f: Figure) -> str:
        """A supervision figure: amounts of money (their labels say yuan) to the fen, the rest counts."""
        money = f.key.startswith("amount") or f.key.endswith("value") or f.key == "case_amount"
        return f"{f.value:,.2f}" if money else num(f.value)

    def quantities(self, by_unit: dict[str, float]) -> str:
        return ", ".join(f"{num(q)} {label(u, self.lang)}" for u, q in by_unit.items()) or "0"

    def flow_node(self, n: FlowNode) -> str:
        if n.key == "other":
            return t("report_other", self.lang)
        if n.key == "unknown":
            return t("report_unknown", self.lang)
        if n.column == 0:
            return area_name(n.key, self.lang)
        if n.column == 2:
            return self.kind(n.key)
        if n.key == "none":
            return t("report_no_slaughter", self.lang)
        shown = n.name or n.key
        return f"{shown} ({t('report_undesignated', self.lang)})" if n.flag else shown
