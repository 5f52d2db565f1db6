"""The market-entry gate's reasons as a receiver reads them (need to know).

An operator asking the gate about a lot learns whether to accept it and why —
about the lot's safety — but not who else holds it or how much, the codes of
the lots upstream, other parties' ids, or the numbers of their certificates.
Each reason keeps its ``code`` and is worded again from what may be shown: the
kind of certificate or test, the product, whether it concerns this lot or a lot
it came from. Inspectors and admins read the rules engine's full wording.
"""

from __future__ import annotations

from typing import Any, Iterable

from foodtrace.i18n import t
from foodtrace.services.safety.rules.findings import Reason

# code -> (zh, en) with {where}, {kind}, {kinds}, {product}, {days}, {code}
TEXT: dict[str, tuple[str, str]] = {
    "failed_test": ("{where}的{kind}不合格", "a {kind} of {where} failed"),
    "missing_certificate": ("{where}缺少合格的{kind}", "{where} has no passing {kind}"),
    "missing_any": ("没有有效的{kinds}（快检 {days} 天内有效）", "no valid {kinds} (a rapid test counts for {days} days)"),
    "certificate_short": ("{where}的{kind}证明的数量不足（证物不符）",
                          "the {kind} of {where} does not cover the lot's quantity"),
    "undesignated_slaughter": ("{where}不是在定点屠宰场屠宰的，疑似私屠滥宰",
                               "{where} was not slaughtered at a designated slaughterhouse"),
    "no_slaughter_record": ("肉品上游没有定点屠宰记录，疑似私屠滥宰",
                            "the meat has no designated slaughterhouse upstream"),
    "withdrawal_period": ("{where}未过休药期或安全间隔期", "{where} did not wait out a withdrawal or pre-harvest interval"),
    "mass_balance": ("{where}的数量记录不平衡", "the quantities recorded for {where} do not balance"),
    "recalled": ("{where}已被召回", "{where} is recalled"),
    "custody_gap": ("上游有经营者没有收货记录却转出或加工了来源批次，来源无法核验",
                    "a business upstream passed on or processed a lot it has no record of receiving: its source "
                    "cannot be verified"),
    "upstream_gap": ("上游批次缺少自身记录，无法核验", "a lot it came from has no records of its own and cannot be verified"),
    "unknown_lot": ("追溯码 {code} 未登记", "trace code {code} is not known"),
    "quantity_exceeds": ("申报数量超过该批次的余量", "the quantity is more than what is left of this lot"),
    "other": ("该批次未通过准入规则", "the lot fails an entry rule"),
}
SAME_AS = {"carcass_yield": "mass_balance", "transform_balance": "mass_balance", "party_balance": "mass_balance"}
WHERE = {"here": ("批次 {code} ", "lot {code}"), "upstream": ("上游批次", "a lot it came from")}
SHOWN_DATA = ("kind", "kinds", "product", "days")


def _values(reason: Reason, code: str, lang: str) -> dict[str, Any]:
    i = 0 if lang == "zh" else 1
    sep = "、" if lang == "zh" else ", "
    data = reason.data
    kinds = data.get("kinds") or []
    where = WHERE["here" if reason.lot in (None, code) else "upstream"][i].format(code=code)
    return {"where": where, "code": code, "kind": t(data["kind"], lang) if data.get("kind") else "",
            "kinds": sep.join(t(k, lang) for k in kinds), "product": t(data.get("product") or "", lang),
            "days": data.get("days", "?")}


def for_receiver(reasons: Iterable[Reason], code: str) -> list[Reason]:
    """The gate's ``reasons`` about lot ``code`` worded for the receiver: no other
    party's ids, holdings, upstream codes or certificate numbers; one of each text."""
    out: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for r in reasons:
        template = "missing_any" if r.data.get("kinds") else SAME_AS.get(r.code, r.code)
        zh, en = TEXT.get(template) or TEXT["other"]
        zh, en = zh.format(**_values(r, code, "zh")), en.format(**_values(r, code, "en"))
        if (r.code, zh) in seen:
            continue
        seen.add((r.code, zh))
        out.append(Reason(code=r.code, zh=zh, en=en, lot=code if r.lot == code else None,
                          data={k: v for k, v in r.data.items() if k in SHOWN_DATA}))
    return out


__all__ = ["for_receiver"]
