"""Planning a capture batch against what a store already holds.

Backend-neutral and free of I/O: a backend hands in a ``StoreView`` (lookups
inside its write transaction) and gets back a ``BatchPlan`` of rows to write,
or an error that names the event's position, the field and the reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timezone
import hashlib
from operator import is_
from typing import Protocol

from foodtrace.errors import Conflict, InvalidInput, LineageCycle
from foodtrace.graph.report_facts_codec import encode as encode_fact
from foodtrace.i18n.refusals import refusal
from foodtrace.model.event_base import _Event, canonical_content, to_json
from foodtrace.model.events import ErrorDeclaration
from foodtrace.model.lots import Lot

MAX_ERRORS = 100


def digest_of(event) -> str:
    return hashlib.sha256(canonical_content(event).encode("utf-8")).hexdigest()


class EncodedBatch(list):
    """A batch of events with what the write door already computed for each, so that nothing is
    serialised twice: ``digests[i]`` (``digest_of``) and ``bodies[i]`` (``to_json``), either ``None``
    where not known yet. A plain list of events works everywhere this does; this is only faster."""

    def __init__(self, events=(), digests: list | None = None, bodies: list | None = None):
        super().__init__(events)
        self._for = tuple(self)  # the events the lists below belong to, position by position
        self.digests: list[str | None] = list(digests) if digests is not None else [None] * len(self)
        self.bodies: list[str | None] = list(bodies) if bodies is not None else [None] * len(self)
        if not len(self.digests) == len(self.bodies) == len(self):
            raise ValueError("an encoded batch needs a digest and a body (or None) for each event")
        # Set by ``ingest.capture.read_back`` once every body was read back through the model as its event
        # (a bulk ingest does that in a worker process, beside the write door's other checks).
        self.read_back = False
        # Each event's stored rows but for their sequence numbers, when made ahead (``graph.batch_rows``:
        # a bulk ingest's worker process); None: made when written.
        self.rows: list[tuple] | None = None

    def aligned(self) -> bool:
        """Whether the list still holds exactly the events its digests and bodies were made for (a
        list can be changed in place; then they are not used)."""
        return len(self) == len(self._for) and all(map(is_, self, self._for))

    @classmethod
    def of(cls, events) -> "EncodedBatch":
        """``events`` as an encoded batch, every digest and body filled in (reusing those known)."""
        batch = events if isinstance(events, cls) and events.aligned() else cls(events)
        for i, ev in enumerate(batch):
            if batch.digests[i] is None:
                batch.digests[i] = digest_of(ev)
            if batch.bodies[i] is None:
                batch.bodies[i] = to_json(ev)
        return batch


def _encoded(events: list) -> bool:
    return isinstance(events, EncodedBatch) and events.aligned()


def _digests(events: list) -> list[str]:
    if _encoded(events):
        return [d if d is not None else digest_of(ev) for ev, d in zip(events, events.digests)]
    return [digest_of(ev) for ev in events]


@dataclass(frozen=True)
class KnownEvent:
    digest: str
    retracted: bool
    event: _Event


class StoreView(Protocol):
    def known_events(self, ids: list[str]) -> dict[str, KnownEvent]: ...

    def known_lots(self, codes: list[str]) -> dict[str, Lot]: ...

    def successors_many(self, codes: list[str]) -> dict[str, list[str]]:
        """The stored lineage successors of each code (codes with none may be left out)."""
        ...


@dataclass
class BatchPlan:
    new: list[tuple[_Event, str]] = field(default_factory=list)  # (event, digest) in order
    duplicates: list[str] = field(default_factory=list)
    retractions: list[tuple[str, str]] = field(default_factory=list)  # (target id, by id)
    uncreated: set[str] = field(default_factory=set)  # lots whose creator is retracted
    created: dict[str, tuple[dict, _Event]] = field(default_factory=dict)  # code -> (lot fields, event)
    placeholders: list[str] = field(default_factory=list)
    lot_refs: list[tuple[str, str]] = field(default_factory=list)  # (code, event id)
    links: list[tuple[str, str, float | None, str]] = field(default_factory=list)
    bodies: list[str | None] = field(default_factory=list)  # stored bodies known already, aligned with ``new``
    rows: list[tuple] = field(default_factory=list)  # made ahead (``EncodedBatch.rows``), aligned with ``new``

    def event_rows(self, base_seq: int) -> list[dict]:
        """The new events as log rows (``EVENT_COLUMNS``), numbered from ``base_seq + 1``."""
        return [dict(zip(EVENT_COLUMNS, t)) for t in self.event_tuples(base_seq)]

    def event_tuples(self, base_seq: int) -> list[tuple]:
        """The new events' log rows as tuples in ``EVENT_COLUMNS`` order (``event_rows`` as dicts)."""
        if self.rows:  # made ahead (aligned with ``new``): only the numbers are added
            return [(i, *r[0]) for i, r in enumerate(self.rows, start=base_seq + 1)]
        bodies = self.bodies if len(self.bodies) == len(self.new) else [None] * len(self.new)
        values = event_values([ev for ev, _ in self.new], [dig for _, dig in self.new], bodies)
        return [(i, *v) for i, v in enumerate(values, start=base_seq + 1)]

    def fact_tuples(self, base_seq: int) -> list[tuple] | None:
        """The new events' ``report_facts`` rows when made ahead (``EncodedBatch.rows``: all but the fact,
        encoded here), else None."""
        if self.rows:
            return [(i, *r[1], encode_fact(ev))
                    for i, (r, (ev, _)) in enumerate(zip(self.rows, self.new), start=base_seq + 1)]
        return None

    def lot_tuples(self) -> list[tuple]:
        """The lots the batch confirms as tuples in ``LOT_COLUMNS`` order (``lot_rows`` as dicts)."""
        rows = []
        for code, (f, ev) in self.created.items():  # enums' ``_value_``: ``value`` is a (slow) Python property
            product, unit = f.get("product"), f.get("unit")
            rows.append((code, getattr(product, "_value_", product), f.get("quantity"),
                         getattr(unit, "_value_", unit), f.get("name"), f.get("gtin"), ev.party,
                         ev.event_time.isoformat(), ev.event_id))
        return rows

    def lot_rows(self) -> list[dict]:
        """The lots the batch confirms (``LOT_COLUMNS``), enums as their values."""
        return [dict(zip(LOT_COLUMNS, t)) for t in self.lot_tuples()]

    def unconfirmed(self) -> list[str]:
        """Lots whose creating event the batch retracts (and does not recreate): back to placeholders."""
        return sorted(self.uncreated - set(self.created))


LOT_COLUMNS = ("code", "product", "quantity", "unit", "name", "gtin", "origin_party", "created_at", "created_by")
EVENT_COLUMNS = ("seq", "event_id", "type", "event_time", "record_time", "party", "digest", "body")


def utc_iso(dt) -> str:
    """An instant as UTC ISO text: the form both backends store event times in, so they sort."""
    return dt.astimezone(timezone.utc).isoformat()


def event_values(events, digests, bodies) -> list[tuple]:
    """Each event's ``EVENT_COLUMNS`` values after ``seq`` (a body not given is serialised here). A batch
    shares one record time (one object: formatted once, by object, as equal times of other offsets are
    written otherwise) and many events share an event time (its UTC text depends on the instant alone:
    made once per instant, but not for a time with ``fold`` set, which compares equal to its ``fold=0``
    twin of one zone, another instant)."""
    record_times: dict = {}
    instants: dict = {}
    out = []
    for ev, dig, body in zip(events, digests, bodies):
        rt = record_times.get(id(ev.record_time))
        if rt is None:
            rt = record_times[id(ev.record_time)] = ev.record_time.isoformat()
        when = ev.event_time
        utc = None if when.fold else instants.get(when)
        if utc is None:
            utc = utc_iso(when)
            if not when.fold:
                instants[when] = utc
        out.append((ev.event_id, ev.type, utc, rt, ev.party, dig, body if body is not None else to_json(ev)))
    return out


def plan_batch(events: list, view: StoreView) -> BatchPlan:
    """Check ``events`` against the store and each other; return what to write."""
    plan = BatchPlan()
    # 1. ids: duplicates and conflicts, within the batch and against the store
    digests = _digests(events)
    bodies = events.bodies if _encoded(events) else [None] * len(events)
    made = events.rows if _encoded(events) else None  # rows made ahead (a bulk ingest's worker)
    if made is not None and len(made) != len(events):
        made = None  # not for these events: made when written
    wanted = {ev.event_id for ev in events}
    for ev in events:
        if isinstance(ev, ErrorDeclaration):
            wanted.update(ev.retracts)
            wanted.update(ev.corrective_event_ids)
    known = view.known_events(sorted(wanted))
    conflicts, seen, fresh = [], {}, []
    for pos, (ev, dig) in enumerate(zip(events, digests)):
        prior = known.get(ev.event_id)
        if prior is not None:
            if prior.digest == dig:
                plan.duplicates.append(ev.event_id)
            else:
                conflicts.append(refusal(pos, "event_id", "store_conflict", event=ev.event_id))
            continue
        if ev.event_id in seen:
            if digests[seen[ev.event_id]] == dig:
                plan.duplicates.append(ev.event_id)
            else:
                conflicts.append(refusal(pos, "event_id", "store_twice_in_batch", event=ev.event_id))
            continue
        seen[ev.event_id] = pos
        fresh.append((pos, ev, dig))
    if conflicts:
        raise Conflict("event id conflict: the batch was not stored", conflicts[:MAX_ERRORS], key="store_id_conflict")

    # 2. lots the batch touches
    touched: set[str] = set()
    uses = []  # each fresh event's used lots, asked once
    for _, ev, _ in fresh:
        touched.update(ev.created_codes())
        used = ev.used_lots()
        touched.update(used)
        uses.append(used)
    lots = view.known_lots(sorted(touched))

    errors: list[dict] = []
    batch_events = {ev.event_id: ev for _, ev, _ in fresh}
    retracted_now: set[str] = set()
    referenced: set[str] = set()

    def product_of(code: str):
        parent = plan.created.get(code)
        return parent[0].get("product") if parent else getattr(lots.get(code), "product", None)

    # the plan's collections, bound once (filled in place; ``links`` is replaced only after the loop)
    created, uncreated, lot_refs, links = plan.created, plan.uncreated, plan.lot_refs, plan.links
    for (pos, ev, dig), used in zip(fresh, uses):
        if isinstance(ev, ErrorDeclaration):
            errors.extend(_plan_retractions(pos, ev, known, batch_events, retracted_now, plan, view))
        created_here = ev.lot_rows(product_of)
        for code, fields, fld in created_here:
            existing = lots.get(code)
            stands = existing is not None and not existing.unconfirmed and code not in uncreated
            if ev.adds_to_existing and (code in created or stands):
                continue  # packing more onto an existing pallet
            if code in created:
                errors.append(refusal(pos, fld, "store_lot_twice", code=code))
            elif stands:
                errors.append(refusal(pos, fld, "store_lot_exists", code=code, event=existing.created_by))
            else:
                created[code] = (fields, ev)
                uncreated.discard(code)
        eid = ev.event_id
        referenced.update(used)
        lot_refs.extend([(c, eid) for c in dict.fromkeys([c for c, _, _ in created_here] + used)])
        links.extend([(a, b, q, eid) for a, b, q in ev.links()])
        plan.new.append((ev, dig))
        plan.bodies.append(bodies[pos])
        if made is not None:
            plan.rows.append(made[pos])
    if errors:
        raise InvalidInput("the batch was not stored", errors[:MAX_ERRORS], key="store_not_stored")
    # a retraction in this batch takes back links made earlier in it too
    if retracted_now:
        plan.links = [lk for lk in plan.links if lk[3] not in retracted_now]
    plan.placeholders = sorted(c for c in referenced if c not in lots and c not in plan.created)
    _check_acyclic(plan, view, {ev.event_id: pos for pos, ev, _ in fresh}, lots.keys())
    return plan


def _plan_retractions(pos: int, ev: ErrorDeclaration, known: dict, batch_events: dict, retracted_now: set[str],
                      plan: BatchPlan, view: StoreView) -> list[dict]:
    """Check what an error declaration retracts; take back the lots those events created."""
    errors: list[dict] = []
    for i, target in enumerate(ev.retracts):
        fld = f"retracts[{i}]"
        prior = known.get(target)
        if target == ev.event_id:
            errors.append(refusal(pos, fld, "store_retract_self"))
        elif target in retracted_now or (prior is not None and prior.retracted):
            errors.append(refusal(pos, fld, "store_already_retracted", event=target))
        elif prior is None and target not in batch_events:
            errors.append(refusal(pos, fld, "store_retract_unknown", event=target))
        else:
            retracted_now.add(target)
            plan.retractions.append((target, ev.event_id))
            target_ev = prior.event if prior is not None else batch_events[target]
            for code in target_ev.created_codes():
                if target_ev.adds_to_existing and not _created_by(code, target, plan, view):
                    continue  # packing onto a pallet another event created
                plan.uncreated.add(code)
                plan.created.pop(code, None)
    for i, cid in enumerate(ev.corrective_event_ids):
        prior = known.get(cid)
        if cid in retracted_now or (prior is not None and prior.retracted):
            errors.append(refusal(pos, f"corrective_event_ids[{i}]", "store_corrective_retracted", event=cid))
    return errors


def _created_by(code: str, event_id: str, plan: BatchPlan, view: StoreView) -> bool:
    """Whether lot ``code`` was created by event ``event_id`` (stored or in this batch)."""
    if code in plan.created:
        return plan.created[code][1].event_id == event_id
    lot = view.known_lots([code]).get(code)
    return lot is not None and lot.created_by == event_id


def _check_acyclic(plan: BatchPlan, view: StoreView, positions: dict[str, int], known_codes) -> None:
    """Reject a link a -> b when a is already reachable from b."""
    batch_succ: dict[str, list[str]] = defaultdict(list)
    for a, b, _, _ in plan.links:
        batch_succ[a].append(b)
    known = set(known_codes)
    if _no_cycle_in_batch(batch_succ, known):
        return
    for a, b, _, eid in plan.links:
        # b reaches nothing (a lot new in this batch that nothing in it leads on from): no cycle through it
        if a == b or ((b in known or b in batch_succ) and _reaches(b, a, view, batch_succ, known)):
            raise LineageCycle(
                "the batch was not stored: it would close a cycle in the lot lineage",
                [refusal(positions.get(eid), "lots", "store_cycle", a=a, b=b)], key="store_cycle_refused",
            )


def _no_cycle_in_batch(batch_succ: dict[str, list[str]], known: set[str]) -> bool:
    """True when no link of the batch can close a cycle, decided in one pass: no link leads to a lot the
    store holds (so every walk from a link's target stays among the batch's own links: the store has no
    successors of a lot it does not hold) and the batch's links alone have no cycle (a topological order
    of them exists; a self-link is a cycle). Then the walk per link (``_reaches``) would find nothing. False:
    not shown here — the walk per link decides, and names the first link that closes a cycle."""
    indegree: dict[str, int] = dict.fromkeys(batch_succ, 0)
    for targets in batch_succ.values():
        for b in targets:
            if b in known:
                return False
            indegree[b] = indegree.get(b, 0) + 1
    ready = [c for c, n in indegree.items() if n == 0]
    left = len(indegree)
    while ready:
        node = ready.pop()
        left -= 1
        for b in batch_succ.get(node, ()):
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return left == 0


def _reaches(start: str, goal: str, view: StoreView, batch_succ: dict[str, list[str]], known: set[str]) -> bool:
    """Breadth-first, one store lookup per level, and only for lots the store
    holds (a lot new in this batch has no stored successors)."""
    seen = {start}
    frontier = [start]
    while frontier:
        asked = [c for c in frontier if c in known]
        stored = view.successors_many(asked) if asked else {}
        level = []
        for node in frontier:
            for nxt in stored.get(node, ()):
                known.add(nxt)  # reached by a stored link: the store holds it
                level.append(nxt)
            level.extend(batch_succ.get(node, ()))
        frontier = []
        for nxt in level:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False
