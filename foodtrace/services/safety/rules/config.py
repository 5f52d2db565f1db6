"""The rule configuration: a TOML file shipped in the package
(``foodtrace/rules.toml``), replaceable with the ``FOODTRACE_RULES`` setting.

Nothing of the rules lives in code: which certificates each product needs, how
long a rapid test is valid, the mass-balance tolerances and carcass yields,
the violation score of each kind of anomaly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
import tomllib

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from foodtrace.errors import ConfigError
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.model.vocab import (
    CaseStatus,
    Category,
    CertKind,
    Commodity,
    InspectionOutcome,
    PartyKind,
    TransformKind,
    Unit,
)

SHIPPED = Path(__file__).resolve().parents[3] / "rules.toml"

# Every kind of anomaly `foodtrace check` reports; each needs a score.
ANOMALY_KINDS = ("failed_test", "undesignated_slaughter", "withdrawal_period", "mass_balance",
                 "missing_certificate", "certificate_short", "failed_lot_slaughtered", "sold_after_recall")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProductRule(_Strict):
    livestock: tuple[CertKind, ...] = ()
    slaughter: tuple[CertKind, ...] = ()
    designated_slaughter: bool = False
    any_of: tuple[CertKind, ...] = ()

    @property
    def kinds(self) -> tuple[CertKind, ...]:
        """Every certificate kind the rule names."""
        return self.livestock + self.slaughter + self.any_of


class EntryRules(_Strict):
    receivers: tuple[PartyKind, ...] = ()
    reject_gaps: bool = True
    products: dict[str, ProductRule] = Field(default_factory=dict)

    @field_validator("products")
    @classmethod
    def _known_products(cls, v: dict[str, ProductRule]) -> dict[str, ProductRule]:
        known = {c.value for c in Commodity} | {c.value for c in Category}
        bad = sorted(set(v) - known)
        if bad:
            raise ValueError(f"unknown product or category {', '.join(bad)}; expected one of {', '.join(sorted(known))}")
        return v


class CertificateRules(_Strict):
    valid_days: dict[CertKind, int] = Field(default_factory=dict)
    issuer_kinds: dict[CertKind, tuple[PartyKind, ...]] = Field(default_factory=dict)
    quantity_tolerance: float = Field(0.0, ge=0, le=1)


class AuthorityRule(_Strict):
    """Who may issue one kind of certificate or test: kinds of party ("*": any registered party),
    whether only about lots the issuer made or holds (``own``), and the kinds that issue it about
    lots others hold all the same (``others_by``: the authority, labs, the office, markets' test rooms)."""

    kinds: tuple[str, ...]
    own: bool = False
    others_by: tuple[str, ...] = ()

    @field_validator("kinds", "others_by")
    @classmethod
    def _known_kinds(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        known = {k.value for k in PartyKind} | {"*"}
        bad = sorted(set(v) - known)
        if bad:
            raise ValueError(f"unknown party kind {', '.join(bad)}; expected one of {', '.join(sorted(known))}")
        return v

    def allows(self, kind: str | None) -> bool:
        return "*" in self.kinds or (kind is not None and kind in self.kinds)

    def own_only(self, kind: str | None) -> bool:
        """Whether an issuer of party kind ``kind`` certifies only lots it made or holds."""
        return self.own and (kind is None or kind not in self.others_by)


class BalanceRules(_Strict):
    tolerance: dict[str, float] = Field(default_factory=lambda: {"default": 0.0})
    absolute: dict[Unit, float] = Field(default_factory=dict)
    yield_kg_per_head: dict[Commodity, tuple[float, float]] = Field(default_factory=dict)
    transform_tolerance: dict[TransformKind, float] = Field(default_factory=dict)

    @field_validator("yield_kg_per_head")
    @classmethod
    def _ranges(cls, v: dict) -> dict:
        for product, (lo, hi) in v.items():
            if not 0 <= lo <= hi:
                raise ValueError(f"{product.value}: expected [lowest, highest] with 0 <= lowest <= highest")
        return v

    def share(self, product: str | None) -> float:
        return self.tolerance.get(product or "", self.tolerance.get("default", 0.0))

    def slack(self, product: str | None, unit: str | None, received: float) -> float:
        """How much more than ``received`` may be passed on before it is flagged."""
        return received * self.share(product) + self.absolute.get(unit, 0.0)  # type: ignore[call-overload]


class RiskRules(_Strict):
    """Weights of the supervision risk score (``services.supervision.risk``)."""

    anomaly: float = 2.0  # times the violation score of each anomaly the business is responsible for
    failed_test: float = 12.0  # per failed test on a lot it made (instead of the anomaly's score)
    reached: float = 1.0  # per anomaly whose lots it received
    complaint: float = 3.0  # per accepted, open complaint on a lot it made or sold
    complaint_closed: float = 1.0
    outcome: dict[InspectionOutcome, float] = Field(default_factory=lambda: {
        InspectionOutcome.NO_PROBLEM: -2.0, InspectionOutcome.RECTIFICATION: 6.0, InspectionOutcome.SUSPENSION: 12.0})
    case: dict[CaseStatus, float] = Field(default_factory=lambda: {
        CaseStatus.OPENED: 10.0, CaseStatus.HANDED_TO_POLICE: 15.0, CaseStatus.CLOSED: 5.0})
    kind: dict[PartyKind, float] = Field(default_factory=dict)  # a baseline by kind of business (业态)
    not_inspected_days: int = Field(365, ge=1)
    not_inspected: float = 1.0  # not inspected within not_inspected_days
    exclude_kinds: tuple[PartyKind, ...] = (PartyKind.REGULATOR, PartyKind.TESTING_LAB)


class RuleConfig(_Strict):
    entry: EntryRules = Field(default_factory=EntryRules)
    certificates: CertificateRules = Field(default_factory=CertificateRules)
    authority: dict[CertKind, AuthorityRule] = Field(default_factory=dict)
    balance: BalanceRules = Field(default_factory=BalanceRules)
    risk: RiskRules = Field(default_factory=RiskRules)
    scores: dict[str, int]
    source: str = ""

    @field_validator("scores")
    @classmethod
    def _every_score(cls, v: dict[str, int]) -> dict[str, int]:
        missing = [k for k in ANOMALY_KINDS if k not in v]
        unknown = sorted(set(v) - set(ANOMALY_KINDS))
        if missing or unknown:
            raise ValueError(f"missing {missing or 'none'}, unknown {unknown or 'none'}; "
                             f"expected exactly {', '.join(ANOMALY_KINDS)}")
        return v

    def rule_for(self, product: str | None) -> tuple[str, ProductRule] | None:
        """The entry rule of a product: its commodity's, else its category's."""
        if product is None:
            return None
        if product in self.entry.products:
            return product, self.entry.products[product]
        try:
            category = Commodity(product).category.value
        except ValueError:
            return None
        rule = self.entry.products.get(category)
        return (category, rule) if rule is not None else None


def load_rules(path: str | Path | None = None) -> RuleConfig:
    """The rules in ``path``, else in the ``FOODTRACE_RULES`` setting's file,
    else the shipped ``rules.toml``. A bad file raises ``ConfigError`` naming
    the field and the reason."""
    if not path:
        from foodtrace.config import Settings

        path = Settings().rules or SHIPPED
    p = Path(path)
    try:
        stamp = p.stat().st_mtime_ns
    except OSError as exc:
        raise keyed(ConfigError, "rules_unreadable", [refusal(None, "rules", "rules_reason", reason=str(exc))],
                    path=str(p), reason=str(exc.strerror)) from exc
    return _load(str(p), stamp)


@lru_cache(maxsize=8)
def _load(path: str, stamp: int) -> RuleConfig:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise keyed(ConfigError, "rules_not_toml", [refusal(None, "rules", "rules_reason", reason=str(exc))],
                    path=path, format="TOML", reason=str(exc)) from exc
    try:
        return RuleConfig.model_validate({**data, "source": path})
    except ValidationError as exc:
        details = [refusal(None, ".".join(str(p) for p in e["loc"]), "rules_field_refused", reason=e["msg"])
                   for e in exc.errors()]
        raise keyed(ConfigError, "rules_not_valid", details, path=path) from exc


__all__ = ["RuleConfig", "ProductRule", "RiskRules", "load_rules", "ANOMALY_KINDS", "SHIPPED"]
