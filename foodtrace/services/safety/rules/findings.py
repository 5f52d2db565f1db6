"""Findings: what a rule says about a lot, and its wording in Chinese and English.

A ``Finding`` is small and hashable so the rules can pass sets of them up the
lineage; ``Reason`` is its public form with the zh and en text.
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple

from pydantic import BaseModel, Field

from foodtrace.i18n import t
from foodtrace.model.glossary import term

# Finding codes and the kind of anomaly each one is reported as by `foodtrace check`.
ANOMALY_OF = {
    "failed_test": "failed_test",
    "undesignated_slaughter": "undesignated_slaughter",
    "no_slaughter_record": "undesignated_slaughter",
    "withdrawal_period": "withdrawal_period",
    "mass_balance": "mass_balance",
    "carcass_yield": "mass_balance",
    "transform_balance": "mass_balance",
    "party_balance": "mass_balance",
    "missing_certificate": "missing_certificate",
    "certificate_short": "certificate_short",
    "slaughtered_failed_lot": "failed_lot_slaughtered",
    "certified_failed_lot": "failed_lot_slaughtered",
    "passed_on_after_recall": "sold_after_recall",
    "custody_gap": "mass_balance",  # made from a lot its maker never held: the records do not add up
}
# Data fields shown through their zh/en vocabulary label.
_LABELLED = {"kind", "kinds", "product", "input_kind", "unit", "status", "action", "done", "certified", "certificate"}


class Finding(NamedTuple):
    code: str  # what is wrong (a key of ANOMALY_OF, or a gate-only code)
    lot: str | None  # the lot it is about
    party: str | None  # the party held responsible
    key: str = ""  # tells apart two findings of one code on one lot (an event id, a certificate kind)
    data: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.data).get(name, default)


def finding(code: str, lot: str | None, party: str | None, key: str = "", **data: Any) -> Finding:
    return Finding(code, lot, party, key, tuple(sorted((k, _hashable(v)) for k, v in data.items())))


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


class Reason(BaseModel):
    """One reason a lot fails a rule, in Chinese and English."""

    code: str
    zh: str
    en: str
    lot: str | None = None
    party: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


def number(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return str(x)


def _value(name: str, v: Any, lang: str, names: dict[str, str]) -> str:
    sep = "、" if lang == "zh" else ", "
    if isinstance(v, tuple):
        return sep.join(_value(name, x, lang, names) for x in v)
    if v is None:
        return "?"
    if name == "input":
        return term("inputs", v, lang)  # a drug or pesticide, in the reader's language
    if name in _LABELLED:
        return t(v, lang)  # a vocabulary label (or a text key such as "unregistered")
    if name == "party" or name.endswith("_party"):
        if v == "unregistered":
            return t("unregistered", lang)
        shown = names.get(v)
        return f"{shown}（{v}）" if shown and lang == "zh" else f"{shown} ({v})" if shown else str(v)
    return number(v)


def wording(template: str, f: Finding, names: dict[str, str] | None = None) -> tuple[str, str]:
    """The zh and en text of a finding through the i18n template ``template``."""
    names = names or {}
    params = {"lot": f.lot or "", "party": f.party or "?", **dict(f.data)}
    out = []
    for lang in ("zh", "en"):
        shown = {k: _value(k, v, lang, names) for k, v in params.items()}
        shown["lot"] = f.lot or ""
        out.append(t(f"rule_{template}", lang).format(**shown))
    return out[0], out[1]


def to_reason(f: Finding, names: dict[str, str] | None = None) -> Reason:
    zh, en = wording(f.get("template") or f.code, f, names)
    data = {k: (list(v) if isinstance(v, tuple) else v) for k, v in f.data if k != "template"}
    return Reason(code=f.code, zh=zh, en=en, lot=f.lot, party=f.party, data=data)


def sort_findings(fs: Iterable[Finding]) -> list[Finding]:
    return sorted(fs, key=lambda f: (f.code, f.lot or "", f.key, f.party or ""))


__all__ = ["Finding", "finding", "Reason", "to_reason", "wording", "ANOMALY_OF", "sort_findings", "number"]
