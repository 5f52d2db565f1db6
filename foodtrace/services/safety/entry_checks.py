"""What the market-entry gate checked, said for the receiver: the list an accepted lot shows at the
desk ("checked: quarantine certificate on the pigs upstream, designated slaughterhouse, …"), built
from the product's rule in ``rules.toml`` ([entry.products.*]) and the checks every lot gets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from foodtrace.i18n import t

if TYPE_CHECKING:  # the rules package imports this module while it loads
    from foodtrace.services.safety.rules.config import ProductRule

# code -> (zh, en); {kind} / {kinds} are certificate kinds in the page's words
TEXT: dict[str, tuple[str, str]] = {
    "registered": ("追溯码已登记，上游记录齐全", "the trace code is registered and its upstream records are complete"),
    "livestock": ("上游活畜有合格的{kind}", "a passing {kind} on the live animals upstream"),
    "slaughter": ("屠宰后的肉品有合格的{kind}", "a passing {kind} on the meat after slaughter"),
    "designated_slaughter": ("在定点屠宰场屠宰", "slaughtered at a designated slaughterhouse"),
    "any_of": ("有有效的{kinds}之一", "a valid {kinds}"),
    "no_failed_test": ("本批次及上游没有不合格的检测", "no failed test on the lot or upstream"),
    "withdrawal": ("已过休药期或安全间隔期", "withdrawal and pre-harvest intervals kept"),
    "balance": ("数量记录平衡", "the recorded quantities balance"),
    "not_recalled": ("未被召回", "not recalled"),
}


class Check(BaseModel):
    code: str
    zh: str
    en: str


def _check(code: str, **kinds: object) -> Check:
    zh, en = TEXT[code]
    values = {lang: {k: (("、" if lang == "zh" else " or ").join(t(x, lang) for x in v) if isinstance(v, tuple)
                         else t(str(v), lang)) for k, v in kinds.items()} for lang in ("zh", "en")}
    return Check(code=code, zh=zh.format(**values["zh"]), en=en.format(**values["en"]))


def checks_made(rule: ProductRule | None) -> list[Check]:
    """Every check the gate makes on a lot under ``rule`` (None: a product without an entry rule)."""
    out = [_check("registered")]
    if rule is not None:
        out += [_check("livestock", kind=k.value) for k in rule.livestock]
        out += [_check("slaughter", kind=k.value) for k in rule.slaughter]
        if rule.designated_slaughter:
            out.append(_check("designated_slaughter"))
        if rule.any_of:
            out.append(_check("any_of", kinds=tuple(k.value for k in rule.any_of)))
    return out + [_check(c) for c in ("no_failed_test", "withdrawal", "balance", "not_recalled")]


__all__ = ["Check", "checks_made"]
