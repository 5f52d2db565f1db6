"""Where the district's meat comes from and where it goes: kilograms of meat
received in the period by retail and catering kinds of parties, traced back
through the rules' facts to the point that slaughtered it and the areas the
animals were raised in. Mixed lots split by the quantities of their inputs.
"""

from __future__ import annotations

from collections import defaultdict

from foodtrace.services.report.model import Flow, FlowLink, FlowNode
from foodtrace.services.report.period import Period
from foodtrace.services.safety.rules.facts import CATEGORY, Facts, LotFact

# Kinds of parties where meat leaves the traced wholesale chain (sold, cooked or made into food).
SINK_KINDS = frozenset({"supermarket", "farmers_market", "school_canteen", "kindergarten_canteen", "rural_chef",
                        "restaurant", "small_shop", "small_stall",
                        "producer", "small_workshop"})
UNKNOWN = "unknown"
NO_SLAUGHTER = "none"
MOST_NODES = 10  # per column; the rest are summed into "other" (undesignated slaughter points never are)

Origin = dict[tuple[str, str], float]  # (area, slaughter point) -> share


def _area(facts: Facts, party: str | None) -> str:
    p = facts.parties.get(party or "")
    return p.area_code if p else UNKNOWN


def _raised_in(facts: Facts, code: str) -> str:
    """The area a live-animal lot was raised in: its first lot's creator's (up to 50 steps back)."""
    lf = facts.get(code)
    for _ in range(50):
        if lf is None or lf.creator is None:
            return UNKNOWN
        if lf.made_by == "commission" or not lf.parents:
            return _area(facts, lf.creator)
        lf = facts.get(lf.parents[0][0])
    return UNKNOWN


def _slaughter_origin(facts: Facts, lf: LotFact) -> Origin:
    out: Origin = defaultdict(float)
    parts = lf.parents or [("", 1.0, None)]
    total = sum(q or 0.0 for _, q, _ in parts) or float(len(parts))
    for code, q, _ in parts:
        weight = (q or 0.0) / total if any(x for _, x, _ in parts) else 1.0 / len(parts)
        out[(_raised_in(facts, code) if code else UNKNOWN, lf.creator or UNKNOWN)] += weight
    return out


def _combine(parts: list[tuple[Origin, float]]) -> Origin:
    out: Origin = defaultdict(float)
    total = sum(w for _, w in parts)
    for origin, w in parts:
        for key, share in origin.items():
            out[key] += share * (w / total if total else 1.0 / len(parts))
    return out


def _leaf(facts: Facts, lf: LotFact | None) -> Origin | None:
    """The origin of a lot that needs no parents' (``None``: combine its parents')."""
    if lf is None or lf.creator is None:
        return {(UNKNOWN, NO_SLAUGHTER): 1.0}
    if lf.made_by == "slaughter":
        return _slaughter_origin(facts, lf)
    if lf.made_by == "commission" or not lf.parents:
        return {(_area(facts, lf.creator), NO_SLAUGHTER): 1.0}
    return None


def origins(facts: Facts, code: str, memo: dict[str, Origin]) -> Origin:
    """Shares of a meat lot by (area raised, slaughter point), memoised; walked without recursion."""
    stack, visiting = [(code, False)], set()
    while stack:
        c, ready = stack.pop()
        if c in memo:
            continue
        lf = facts.get(c)
        leaf = _leaf(facts, lf)
        if leaf is not None:
            memo[c] = leaf
            continue
        parents = lf.parents  # type: ignore[union-attr]
        if not ready:
            visiting.add(c)
            stack.append((c, True))
            stack.extend((p, False) for p, _, _ in parents if p not in memo and p not in visiting)
            continue
        same_unit = len({u for _, _, u in parents}) == 1
        memo[c] = _combine([(memo.get(p, {(UNKNOWN, NO_SLAUGHTER): 1.0}), (q or 0.0) if same_unit else 1.0)
                            for p, q, _ in parents])
    return memo[code]


def meat_flow(facts: Facts, p: Period) -> Flow:
    """Meat (kg) received in the period by parties of ``SINK_KINDS`` from anyone else, by area raised,
    slaughter point and receiving kind."""
    memo: dict[str, Origin] = {}
    area_sh: dict[tuple[str, str], float] = defaultdict(float)
    sh_kind: dict[tuple[str, str], float] = defaultdict(float)
    start, end = p.start, p.end  # properties: made once, not per use
    for lf in facts.lots.values():
        if not lf.uses or lf.unit != "kg" or CATEGORY.get(lf.product or "") != "meat":
            continue
        for u in lf.uses:
            if u.how not in ("handoff", "handoff_new") or u.unit != "kg" or not (start <= u.time < end):
                continue
            kind = facts.kind_of(u.to_party)
            if kind not in SINK_KINDS or facts.kind_of(u.party) in SINK_KINDS:
                continue
            for (area, sh), share in origins(facts, lf.code, memo).items():
                kg = u.quantity * share
                area_sh[(area, sh)] += kg
                sh_kind[(sh, kind)] += kg  # type: ignore[index]
    return _graph(facts, area_sh, sh_kind)


def _top(totals: dict[str, float], keep: frozenset[str] = frozenset()) -> dict[str, str]:
    """Each key -> the key it is shown under: the smallest beyond MOST_NODES become "other", except
    those in ``keep`` (slaughter points that are not designated slaughterhouses are always shown)."""
    ranked = sorted((k for k in totals if k not in keep), key=lambda k: (-totals[k], k))
    out = {k: (k if i < MOST_NODES or len(ranked) == MOST_NODES + 1 else "other") for i, k in enumerate(ranked)}
    return {**out, **{k: k for k in keep}}


def _graph(facts: Facts, area_sh: dict[tuple[str, str], float], sh_kind: dict[tuple[str, str], float]) -> Flow:
    areas: dict[str, float] = defaultdict(float)
    points: dict[str, float] = defaultdict(float)
    kinds: dict[str, float] = defaultdict(float)
    for (a, s), kg in area_sh.items():
        areas[a] += kg
        points[s] += kg
    for (_, k), kg in sh_kind.items():
        kinds[k] += kg
    suspect = frozenset(k for k in points if k not in (NO_SLAUGHTER, UNKNOWN)
                        and facts.kind_of(k) != "designated_slaughterhouse")
    shown = [_top(areas), _top(points, suspect), _top(kinds)]
    prefix = ["a", "s", "r"]
    nodes: dict[str, FlowNode] = {}
    links: dict[tuple[str, str], float] = defaultdict(float)

    def node(col: int, key: str, kg: float) -> str:
        key = shown[col][key]
        nid = f"{prefix[col]}:{key}"
        n = nodes.get(nid)
        if n is None:
            name = flag = None
            if col == 1 and key not in (NO_SLAUGHTER, "other", UNKNOWN):
                party = facts.parties.get(key)
                name = party.name if party else None
                flag = None if facts.kind_of(key) == "designated_slaughterhouse" else "undesignated"
            n = nodes[nid] = FlowNode(id=nid, column=col, key=key, name=name, flag=flag, kg=0.0)
        n.kg += kg
        return nid

    for (a, s), kg in area_sh.items():
        links[(node(0, a, kg), node(1, s, 0.0))] += kg
    for (s, k), kg in sh_kind.items():
        links[(node(1, s, 0.0), node(2, k, kg))] += kg
    for n in nodes.values():
        if n.column == 1:
            n.kg = points[n.key] if n.key != "other" else sum(
                v for k, v in points.items() if shown[1][k] == "other")
        n.kg = round(n.kg, 3)
    ordered = sorted(nodes.values(), key=lambda n: (n.column, n.key == "other", -n.kg, n.key))
    return Flow(kg=round(sum(kinds.values()), 3), nodes=ordered,
                links=[FlowLink(source=s, target=t, kg=round(kg, 3)) for (s, t), kg in
                       sorted(links.items(), key=lambda x: (x[0][0], -x[1]))])


__all__ = ["meat_flow", "origins", "SINK_KINDS"]
