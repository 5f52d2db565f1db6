"""The district statistics report as data: every figure, and its definition in
Chinese and English (``Report.definitions``). Renderers (Markdown, HTML) and the
JSON API read this one model."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from foodtrace.services.report.trade import Trade
from foodtrace.services.safety.rules.anomalies import PartyScore


def rate(part: float, whole: float) -> float | None:
    """``part / whole`` rounded to 4 places — more when 4 would round a failure away (1 in 27,503
    is 0.999964, not 1.0); ``None`` when there is nothing to divide by."""
    if not whole:
        return None
    r = part / whole
    for places in (4, 6, 8):
        v = round(r, places)
        if (v == 1) == (part == whole) and (v == 0) == (part == 0):
            return v
    return r


class Bi(BaseModel):
    """A text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class KindRow(BaseModel):
    kind: str  # a party kind
    group: str  # production, sellers, caterers, small, other
    registered: int = 0  # in the register at the end of the period
    new: int = 0  # registered during the period
    reporting: int = 0  # registered and acted in at least one event in the period
    rate: float | None = None  # reporting rate (上报率): reporting / registered
    joined: int = 0  # registered and joined the platform (joined_on) by the end of the period
    join_rate: float | None = None  # membership rate (加入率): joined / registered


class GroupRow(BaseModel):
    group: str
    kinds: list[str]
    registered: int = 0
    reporting: int = 0
    rate: float | None = None
    joined: int = 0
    join_rate: float | None = None


class Membership(BaseModel):
    kinds: list[KindRow]
    groups: list[GroupRow]
    registered: int
    reporting: int
    rate: float | None  # reporting rate (上报率)
    joined: int = 0
    join_rate: float | None = None  # membership rate (加入率)
    unregistered_actors: list[str] = Field(default_factory=list)  # acted in the period without registering


class Traceability(BaseModel):
    points: int  # traceability points: reporting parties of the node kinds
    nodes: list[KindRow]  # node kinds: registered, reporting (covered)
    records: int  # events recorded in the period (retracted ones left out)
    records_by_type: dict[str, int]
    retracted: int  # events of the period retracted by an error declaration


class TestRow(BaseModel):
    key: str  # what the row counts: a commodity, a category, a party kind, a month
    samples: int = 0
    passed: int = 0
    failed: int = 0
    rate: float | None = None  # pass rate


class Vegetables(BaseModel):
    tested: TestRow  # every test of a vegetable lot
    varieties: int  # commodities tested
    by_variety: list[TestRow]
    compliance_certificates: int  # certificates of compliance (承诺达标合格证) issued
    compliance_kg: float
    compliance_issuers: int


class MeatRow(BaseModel):
    product: str
    slaughters: int = 0  # slaughter events at designated slaughterhouses
    heads: float = 0.0
    kg: float = 0.0
    quarantined_kg: float = 0.0
    rate: float | None = None  # quarantine rate: quarantined kg / kg
    elsewhere_kg: float = 0.0  # slaughtered by anyone else (私屠滥宰)


class Clenbuterol(BaseModel):
    samples: int  # live-animal lots tested
    heads: float  # live animals in the lots tested
    sampled: float = 0.0  # animals sampled (抽检头数): as each test says, else its whole lot
    passed: int
    failed: int
    rate: float | None


class Tests(BaseModel):
    rapid: TestRow  # every rapid test (pesticide residues, clenbuterol)
    rapid_by_tester: list[TestRow]  # by the kind of party that ran it
    lab: TestRow
    lab_by_category: list[TestRow]  # vegetables, meat, livestock…
    monthly: list[TestRow]  # every test, by month


class Complaints(BaseModel):
    received: int
    closed: int  # of those received, closed (办结) by the end of the period
    rate: float | None  # closure rate
    by_channel: dict[str, int]


class Recalls(BaseModel):
    started: int
    closed: int  # every holder named has confirmed by the end of the period
    lots: int  # lots recalled (the bad lots they start from)
    affected_lots: int
    holders: int  # holders notified
    confirmations: int
    recalled_quantity: dict[str, float]  # quantity of the recalled lots, by unit
    removed: dict[str, float]  # quantity holders reported removing, by unit


class AnomalyRow(BaseModel):
    kind: str
    count: int
    score: int  # violation score (违法违规行为记分), summed


class Anomalies(BaseModel):
    rows: list[AnomalyRow]
    count: int
    score: int
    parties: int  # parties scored
    top: list[PartyScore]  # the highest scores
    rules: str  # the rules file used


class AttributeRow(BaseModel):
    attribute: str  # transparent_kitchen, sunshine_warehouse, transparent_workshop
    kind: str  # a party kind, or "all"
    registered: int
    connected: int
    rate: float | None


class Transparency(BaseModel):
    rows: list[AttributeRow]
    totals: list[AttributeRow]


class FlowNode(BaseModel):
    id: str
    column: int  # 0 origin area, 1 slaughter, 2 receiving kind
    key: str  # an area code, a party id, a party kind, or "unknown"
    name: str | None = None  # the party's name (slaughter column)
    flag: str | None = None  # "undesignated" for a slaughter point that is not a designated slaughterhouse
    kg: float


class FlowLink(BaseModel):
    source: str
    target: str
    kg: float


class Flow(BaseModel):
    kg: float  # meat received by the receiving kinds in the period
    nodes: list[FlowNode]
    links: list[FlowLink]


class Figure(BaseModel):
    key: str
    value: float
    label: Bi


class Report(BaseModel):
    period_from: date
    period_to: date
    tz: str
    generated_at: datetime
    events_read: int  # events folded in (recorded before the end of the period)
    definitions: dict[str, Bi]  # one per section below
    membership: Membership
    traceability: Traceability
    vegetables: Vegetables
    meat: list[MeatRow]
    clenbuterol: Clenbuterol
    tests: Tests
    complaints: Complaints
    recalls: Recalls
    anomalies: Anomalies
    transparency: Transparency
    flow: Flow
    supervision: list[Figure]  # inspections, campaigns, cases, fines… (services.supervision.figures)
    trade: Trade | None = None  # settlement records: trade volume and value by market and product


SECTIONS = ["membership", "traceability", "vegetables", "meat", "clenbuterol", "tests", "complaints", "recalls",
            "anomalies", "transparency", "flow", "supervision", "trade"]

__all__ = ["Report", "Bi", "rate", "SECTIONS", "KindRow", "GroupRow", "Membership", "Traceability", "TestRow",
           "Vegetables", "MeatRow", "Clenbuterol", "Tests", "Complaints", "Recalls", "AnomalyRow",
           "Anomalies", "AttributeRow", "Transparency", "FlowNode", "FlowLink", "Flow", "Figure"]
