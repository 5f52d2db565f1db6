"""A lot's verdict for the public: the market-entry gate's own findings
(``rules.entry.entry_findings``, the same rules a receiving market applies),
folded into one of four answers a shopper can act on —

- ``recalled`` (已召回): the lot, or a lot it was made from, is under recall;
- ``fail`` (不合格): a failed test or quarantine, slaughter outside a designated
  slaughterhouse, sold inside a withdrawal period;
- ``incomplete`` (信息不全): a certificate or test the product needs is missing,
  upstream records are missing, or the records do not add up;
- ``pass`` (检验检疫合格): the gate finds nothing.

Each reason is one public sentence (zh and en) without quantities, document
numbers, party ids or people: only the kind of problem and the certificate or
test it concerns.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from foodtrace.graph.store import GraphStore, StoredEvent
from foodtrace.i18n import t
from foodtrace.services.safety.rules.config import RuleConfig, load_rules
from foodtrace.services.safety.rules.entry import entry_findings
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.findings import Finding, sort_findings

VERDICTS = ("pass", "incomplete", "fail", "recalled")  # in rising order of gravity
# finding code -> (verdict, public sentence's text key)
_KIND = {
    "recalled": ("recalled", "why_recalled"),
    "failed_test": ("fail", "why_failed_test"),
    "undesignated_slaughter": ("fail", "why_undesignated"),
    "no_slaughter_record": ("fail", "why_undesignated"),
    "withdrawal_period": ("fail", "why_withdrawal"),
    "missing_certificate": ("incomplete", "why_missing"),
    "certificate_short": ("incomplete", "why_short"),
    "upstream_gap": ("incomplete", "why_gap"),
    "custody_gap": ("incomplete", "why_custody"),
    "unknown_lot": ("incomplete", "why_gap"),
}
_OTHER = ("incomplete", "why_records")  # mass balance and any rule added later


class PublicReason(BaseModel):
    code: str  # the finding's code
    zh: str
    en: str


class Verdict(BaseModel):
    verdict: str  # one of VERDICTS
    reasons: list[PublicReason]  # one sentence per distinct problem, gravest first
    recall_ids: list[str]  # the recalls behind a ``recalled`` verdict (their public notices)


def _sentence(f: Finding, key: str) -> tuple[str, str]:
    kinds = f.get("kinds") or ((f.get("kind"),) if f.get("kind") else ())
    out = []
    for lang in ("zh", "en"):
        sep = "、" if lang == "zh" else " or "
        what = sep.join(t(k, lang) for k in kinds) or t("certificate", lang)
        out.append(t(key, lang).format(kind=what))
    return out[0], out[1]


def verdict_of(findings: list[Finding]) -> Verdict:
    """The verdict and its public reasons from the gate's findings on a lot."""
    grave = 0
    seen: dict[tuple[str, str], PublicReason] = {}
    ranked: list[tuple[int, PublicReason]] = []
    recalls: list[str] = []
    for f in sort_findings(findings):
        verdict, key = _KIND.get(f.code, _OTHER)
        grave = max(grave, VERDICTS.index(verdict))
        if f.code == "recalled" and f.key not in recalls:
            recalls.append(f.key)
        zh, en = _sentence(f, key)
        if (zh, en) not in seen:
            seen[(zh, en)] = PublicReason(code=f.code, zh=zh, en=en)
            ranked.append((VERDICTS.index(verdict), seen[(zh, en)]))
    reasons = [r for _, r in sorted(ranked, key=lambda x: -x[0])]
    return Verdict(verdict=VERDICTS[grave], reasons=reasons, recall_ids=recalls)


def recalled_reason() -> PublicReason:
    zh, en = t("why_recalled", "zh"), t("why_recalled", "en")
    return PublicReason(code="recalled", zh=zh, en=en)


def lot_verdict(store: GraphStore, code: str, lineage_events: dict[str, list[StoredEvent]], at: datetime,
                rules: RuleConfig | None = None) -> Verdict:
    """The verdict on lot ``code`` as the entry gate would judge it at ``at``
    (the time it reached its holder), from the events of its backward lineage."""
    cfg = rules or load_rules()
    facts = Facts.from_events(store, lineage_events)
    return verdict_of(list(entry_findings(facts, code, cfg, at, {})))


__all__ = ["Verdict", "PublicReason", "VERDICTS", "verdict_of", "lot_verdict", "recalled_reason"]
