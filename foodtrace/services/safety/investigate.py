"""Cause investigation (原因可清查): the traceback method outbreak
investigators use.

Given several problem lots (complaints, failed tests), walk each one backward
and rank the upstream lots and the parties they share by how many problem lots
each explains. Ties go to the more specific candidate: a lot with fewer
descendants, a party that brought fewer lots into being (a hub that handles
everything explains everything and says little).
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from foodtrace.errors import InvalidInput, NotFound
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.complaints import list_complaints
from foodtrace.services.safety.rules.facts import CONSUMER, Facts
from foodtrace.services.tracing.identifiers import resolve

MAX_CANDIDATE_LOTS = 500  # lots whose descendants are counted (the rest rank after them)


class SharedLot(BaseModel):
    code: str
    product: str | None = None
    origin_party: str | None = None
    explains: int
    problem_lots: list[str]
    descendants: int | None = None


class SharedParty(BaseModel):
    party: str
    name: str | None = None
    kind: str | None = None
    explains: int
    problem_lots: list[str]
    lots_made: int = 0  # lots it brought into being in the whole district


class Investigation(BaseModel):
    problem_lots: list[str]
    complaints: list[str] = Field(default_factory=list)
    lots: list[SharedLot]
    parties: list[SharedParty]


def complaint_lots(store: GraphStore, complaint_ids: list[str]) -> list[str]:
    """The lots named by these complaints (``NotFound`` for an unknown id)."""
    found = {v.complaint_id: v.lots for v in list_complaints(store)}
    missing = [c for c in complaint_ids if c not in found]
    if missing:
        raise keyed(NotFound, "complaint_none", [refusal(None, "complaints", "complaint_unknown_one", complaint=m)
                                                 for m in missing], complaint=", ".join(missing))
    return [code for c in complaint_ids for code in found[c]]


def investigate(store: GraphStore, codes: list[str], complaints: list[str] | None = None,
                case: str | None = None, top: int = 20) -> Investigation:
    """Rank what the problem lots share upstream: ``codes``, the lots of
    ``complaints`` and of the complaints linked to investigation ``case``."""
    complaints = list(complaints or [])
    if case:
        complaints += [v.complaint_id for v in list_complaints(store, case=case) if v.complaint_id not in complaints]
    named = list(codes) + complaint_lots(store, complaints)
    if not named:
        raise keyed(InvalidInput, "investigate_name_one", [refusal(None, "codes", "safety_empty")])
    problems = list(dict.fromkeys(resolve(store, c).code for c in named))
    lot_hits: dict[str, set[str]] = defaultdict(set)
    for p in problems:
        for code in store.backward(p).lots:
            lot_hits[code].add(p)
    # a party explains a problem lot when it held a lot upstream of it: made it, had it issued
    # to it, or received it under the same code (a part passed on under a new code is another lot)
    facts = Facts.from_lots(store, lot_hits)
    party_hits: dict[str, set[str]] = defaultdict(set)
    for code, problems_here in lot_hits.items():
        lf = facts.lot(code)
        for party in {lf.owner, *(u.to_party for u in lf.uses if u.how == "handoff")} - {None, CONSUMER}:
            party_hits[party].update(problems_here)  # type: ignore[index]
    # a lot that explains only itself is no shared cause
    lot_hits = {c: ps for c, ps in lot_hits.items() if ps - {c}}
    return Investigation(problem_lots=problems, complaints=complaints,
                         lots=_rank_lots(store, lot_hits, top), parties=_rank_parties(store, party_hits, top))


def _rank_lots(store: GraphStore, hits: dict[str, set[str]], top: int) -> list[SharedLot]:
    by_count = sorted(hits, key=lambda c: (-len(hits[c]), c))
    descendants = {c: len(store.forward(c).lots) - 1 for c in by_count[:MAX_CANDIDATE_LOTS]}
    ranked = sorted(by_count, key=lambda c: (-len(hits[c]), descendants.get(c, 1 << 60), c))[:top]
    lots = store.get_lots(ranked)
    return [SharedLot(code=c, product=getattr(lots[c].product, "value", None) if c in lots else None,
                      origin_party=lots[c].origin_party if c in lots else None, explains=len(hits[c]),
                      problem_lots=sorted(hits[c]), descendants=descendants.get(c)) for c in ranked]


def _rank_parties(store: GraphStore, hits: dict[str, set[str]], top: int) -> list[SharedParty]:
    made = store.party_lot_counts(hits)
    ranked = sorted(hits, key=lambda p: (-len(hits[p]), made.get(p, 0), p))[:top]
    parties = store.get_parties(ranked)
    return [SharedParty(party=p, name=parties[p].name if p in parties else None,
                        kind=parties[p].kind.value if p in parties else None, explains=len(hits[p]),
                        problem_lots=sorted(hits[p]), lots_made=made.get(p, 0)) for p in ranked]


__all__ = ["investigate", "Investigation", "SharedLot", "SharedParty", "complaint_lots"]
