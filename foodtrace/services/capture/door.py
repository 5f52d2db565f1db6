"""The one write door. Every write — HTTP capture, EPCIS and CSV import, receipts, recalls and
confirmations, complaints, supervision records, keys, parties, the CLI and the demo loader —
is recorded here, by a principal, all or nothing:

1. validate into events (``ingest.capture.prepare``), the server stamping ``record_time`` and
   ``captured_by`` (the principal: ``key:…@party``, ``user:…@party``, ``cli``, ``system:…``);
2. may this principal write these events (``access.check_permissions``: roles, own party,
   own-route types), and an inspector limited to areas records only within them
   (``office_scope``)? — 403;
3. may their issuers issue these certificates (``authority``), do their parties hold what they
   pass on and is nothing recalled among it (``custody``), are the lots they apply inputs to,
   observe, pack onto or unpack their own (``touch``), are the check digits of the GS1 keys they
   write right (``check_digits``)? — 422;
4. every body is read back through the model exactly as it will be stored — 422 if not;
5. one append (``GraphStore.append``); its refusals (a code taken already…) name another party's
   facts only when the caller may read them (``refusal_cut``).
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from foodtrace.errors import Forbidden, InvalidInput
from foodtrace.graph.batch import EncodedBatch
from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.ingest.capture import MAX_ERRORS, prepare, read_back
from foodtrace.model.event_base import _Event
from foodtrace.services.capture.access import check_permissions
from foodtrace.services.capture.authority import check_authority
from foodtrace.services.capture.check_digits import check_codes
from foodtrace.services.capture.custody import check_custody
from foodtrace.services.capture.office_scope import check_office_scope
from foodtrace.services.capture.principal import Principal
from foodtrace.services.capture.refusal_cut import cut_store_refusal
from foodtrace.services.capture.touch import check_touches
from foodtrace.services.safety.rules.config import RuleConfig, load_rules


def record(store: GraphStore, principal: Principal, raw_events: Iterable[Any], *, rules: RuleConfig | None = None,
           via: str | None = None, max_events: int | None = None, first_position: int = 0,
           **prepare_kw: Any) -> AppendResult:
    """Validate raw events (parsed JSON) and record them for ``principal`` (see the module doc)."""
    if isinstance(raw_events, (str, bytes, dict)) or not hasattr(raw_events, "__iter__"):
        raise keyed(InvalidInput, "capture_not_list", [refusal(None, None, "capture_expected_array")])
    events = prepare(raw_events, captured_by=principal.captured_by, max_events=max_events,
                     first_position=first_position, **prepare_kw)
    return record_events(store, principal, events, rules=rules, via=via, first_position=first_position)


def record_events(store: GraphStore, principal: Principal, events: Sequence[_Event], *,
                  rules: RuleConfig | None = None, via: str | None = None, first_position: int = 0) -> AppendResult:
    """Check and append events already validated (by ``prepare`` or an importer) for ``principal``."""
    events = EncodedBatch.of(events)  # each digest and body computed once, for the checks and the store
    check(store, principal, events, rules=rules, via=via, first_position=first_position)
    try:
        return store.append(events)
    except InvalidInput as exc:  # the store's own refusal (a code taken…), said as the caller may read it
        cut_store_refusal(store, principal, exc)
        raise


def check(store: GraphStore, principal: Principal, events: Sequence[_Event], *, rules: RuleConfig | None = None,
          via: str | None = None, first_position: int = 0) -> None:
    """Raise (403 for permissions, 422 for authority, custody and unreadable bodies) unless ``principal``
    may record every one of ``events``; nothing is stored either way."""
    events = EncodedBatch.of(events)
    denied = check_permissions(store, principal, events, via)
    if denied:
        raise Forbidden("the batch was not stored: this caller may not write some of its events",
                        _shift(denied, first_position), key="door_forbidden")
    outside = check_office_scope(store, principal, events)
    if outside:
        raise keyed(Forbidden, "door_outside_areas", _shift(outside, first_position),
                    areas=", ".join(principal.areas))
    rules = rules or load_rules()
    problems = check_authority(store, events, rules, trusted_load=principal.is_admin) + \
        check_custody(store, principal, events, via) + check_touches(store, principal, events) + \
        check_codes(store, events) + _unreadable(events)
    if problems:
        raise InvalidInput(f"{len(problems)} event(s) may not be recorded; nothing was stored",
                           _shift(problems, first_position), key="door_refused", args={"n": len(problems)})


def _unreadable(events: EncodedBatch) -> list[dict]:
    """Each event whose stored body would not read back as the same event (``ingest.capture.read_back``)."""
    return read_back(events)


def _shift(problems: list[dict], first: int) -> list[dict]:
    if first:
        for p in problems:
            if isinstance(p.get("position"), int):
                p["position"] += first
    return problems[:MAX_ERRORS]


__all__ = ["record", "record_events", "check"]
