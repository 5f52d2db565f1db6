"""The report's figures of who is registered, who reports and who is connected: membership by kind and group,
the traceability nodes (追溯节点), and the transparent kitchens, warehouses and workshops (明厨亮灶, 阳光仓储,
透明车间)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from foodtrace.model.vocab import PartyKind
from foodtrace.services.report.collect import Collected
from foodtrace.services.report.model import (AttributeRow, GroupRow, KindRow, Membership, Traceability, Transparency,
                                             rate)
from foodtrace.services.safety.rules.facts import Facts

GROUPS: list[tuple[str, list[str]]] = [
    ("production", ["scale_farm", "household_farm", "vegetable_base", "cold_storage", "designated_slaughterhouse",
                    "producer"]),
    ("sellers", ["wholesaler", "wholesale_market", "farmers_market", "supermarket"]),
    ("caterers", ["restaurant", "school_canteen", "kindergarten_canteen", "rural_chef"]),
    ("small", ["small_workshop", "small_shop", "small_stall"]),
    ("other", ["testing_lab", "regulator", "animal_health_authority"]),
]
GROUP_OF = {k: g for g, kinds in GROUPS for k in kinds}
# Traceability nodes (追溯节点): the kinds of premises the system covers.
NODE_KINDS = ["designated_slaughterhouse", "wholesale_market", "farmers_market", "supermarket", "school_canteen"]
# Party attributes of the "transparent" programmes and the kinds each is meant for.
ATTRIBUTES: dict[str, list[str]] = {
    "transparent_kitchen": ["school_canteen", "kindergarten_canteen", "restaurant"],  # 明厨亮灶
    "sunshine_warehouse": ["cold_storage", "wholesale_market"],  # 阳光仓储
    "transparent_workshop": ["producer", "small_workshop"],  # 透明车间
}


def _kind_rows(facts: Facts, col: Collected, kinds: Iterable[str]) -> list[KindRow]:
    registered, new, reporting, joined = Counter(), Counter(), Counter(), Counter()
    for pid, party in facts.parties.items():
        k = party.kind.value
        registered[k] += 1
        new[k] += pid in col.new
        reporting[k] += pid in col.actors
        joined[k] += party.joined_on is not None and (col.last_day is None or party.joined_on <= col.last_day)
    return [KindRow(kind=k, group=GROUP_OF.get(k, "other"), registered=registered[k], new=new[k],
                    reporting=reporting[k], rate=rate(reporting[k], registered[k]), joined=joined[k],
                    join_rate=rate(joined[k], registered[k])) for k in kinds]


def membership(facts: Facts, col: Collected) -> Membership:
    rows = _kind_rows(facts, col, [k.value for k in PartyKind])
    by_kind = {r.kind: r for r in rows}
    groups = []
    for g, kinds in GROUPS:
        reg = sum(by_kind[k].registered for k in kinds)
        rep = sum(by_kind[k].reporting for k in kinds)
        joined = sum(by_kind[k].joined for k in kinds)
        groups.append(GroupRow(group=g, kinds=kinds, registered=reg, reporting=rep, rate=rate(rep, reg),
                               joined=joined, join_rate=rate(joined, reg)))
    reg = sum(r.registered for r in rows)
    rep = sum(r.reporting for r in rows)
    joined = sum(r.joined for r in rows)
    return Membership(kinds=rows, groups=groups, registered=reg, reporting=rep, rate=rate(rep, reg),
                      joined=joined, join_rate=rate(joined, reg),
                      unregistered_actors=sorted(col.actors - set(facts.parties)))


def traceability(facts: Facts, col: Collected) -> Traceability:
    nodes = _kind_rows(facts, col, NODE_KINDS)
    return Traceability(points=sum(r.reporting for r in nodes), nodes=nodes, records=sum(col.records.values()),
                        records_by_type=dict(sorted(col.records.items())), retracted=col.retracted)



def _on(value: object) -> bool:
    return value is True or (isinstance(value, (int, str)) and str(value).strip().lower() in ("1", "true", "yes"))


def transparency(facts: Facts) -> Transparency:
    count: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for attr, kinds in ATTRIBUTES.items():
        for k in kinds:
            count[(attr, k)]  # listed even when none is registered
    for party in facts.parties.values():
        k = party.kind.value
        for attr, kinds in ATTRIBUTES.items():
            on = _on(party.attributes.get(attr))
            if k in kinds or on:
                row = count[(attr, k)]
                row[0] += 1
                row[1] += on
    order = {a: i for i, a in enumerate(ATTRIBUTES)}
    rows = [AttributeRow(attribute=a, kind=k, registered=n, connected=c, rate=rate(c, n))
            for (a, k), (n, c) in sorted(count.items(), key=lambda x: (order[x[0][0]], x[0][1]))]
    totals = []
    for attr in ATTRIBUTES:
        n = sum(r.registered for r in rows if r.attribute == attr)
        c = sum(r.connected for r in rows if r.attribute == attr)
        totals.append(AttributeRow(attribute=attr, kind="all", registered=n, connected=c, rate=rate(c, n)))
    return Transparency(rows=rows, totals=totals)


__all__ = ["membership", "traceability", "transparency", "GROUPS", "GROUP_OF", "NODE_KINDS", "ATTRIBUTES"]
