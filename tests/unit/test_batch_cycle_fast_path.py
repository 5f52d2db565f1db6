"""The batch planner's cycle check decides in one pass when it can (``batch._no_cycle_in_batch``) and gives
exactly the answer of the walk per link otherwise: the same refusal, naming the same first link."""

from __future__ import annotations

import random

import pytest

from foodtrace.errors import LineageCycle
from foodtrace.graph import batch
from foodtrace.graph.batch import BatchPlan, _check_acyclic


class _View:
    """A store's stored lineage: successors of the lots it holds."""

    def __init__(self, succ: dict[str, list[str]]):
        self.succ = succ

    def successors_many(self, codes):
        return {c: list(self.succ[c]) for c in codes if c in self.succ}


def _walk_per_link(plan, view, positions, known):
    """The check as it was: the walk per link (the one-pass answer switched off)."""
    saved = batch._no_cycle_in_batch
    batch._no_cycle_in_batch = lambda *_: False
    try:
        return _outcome(plan, view, positions, known)
    finally:
        batch._no_cycle_in_batch = saved


def _outcome(plan, view, positions, known):
    try:
        _check_acyclic(plan, view, positions, set(known))
    except LineageCycle as exc:
        return exc.details
    return None


@pytest.mark.parametrize("seed", range(300))
def test_same_answer_as_the_walk_per_link(seed):
    rnd = random.Random(seed)
    stored_lots = [f"S{i}" for i in range(rnd.randint(0, 6))]
    stored = {}
    for i, a in enumerate(stored_lots):  # a stored DAG: links only forward in this order
        stored[a] = [b for b in stored_lots[i + 1:] if rnd.random() < 0.3]
    new = [f"N{i}" for i in range(rnd.randint(1, 12))]
    lots = stored_lots + new
    links = []
    for k in range(rnd.randint(0, 14)):
        a = rnd.choice(lots)
        b = rnd.choice(new if rnd.random() < 0.8 else lots)  # mostly to new lots, as a bulk load
        links.append((a, b, None, f"e{k}"))
    plan = BatchPlan(links=links)
    positions = {eid: i for i, (_, _, _, eid) in enumerate(links)}
    known = [c for c in stored_lots if c in {x for lk in links for x in lk[:2]}]
    view = _View(stored)
    assert _outcome(plan, view, positions, known) == _walk_per_link(plan, view, positions, known)


def test_one_pass_says_no_cycle_only_when_there_is_none():
    assert batch._no_cycle_in_batch({"A": ["B"], "B": ["C"]}, set())
    assert not batch._no_cycle_in_batch({"A": ["B"], "B": ["A"]}, set())
    assert not batch._no_cycle_in_batch({"A": ["A"]}, set())
    assert not batch._no_cycle_in_batch({"A": ["B"]}, {"B"})  # a stored lot: the walk decides
