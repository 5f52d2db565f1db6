"""Capture on behalf of an HTTP caller: parse, then the write door (``door.py``) — all or nothing."""

from __future__ import annotations


from foodtrace.errors import InvalidInput, TooLarge
from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.ingest.epcis import EpcisImport
from foodtrace.services.capture.access import Action, Principal, require
from foodtrace.services.capture.door import record
from foodtrace.services.capture.imports import import_epcis_as
from foodtrace.services.safety.rules.config import RuleConfig
from foodtrace.ingest.safe_json import loads


def submit_events(store: GraphStore, principal: Principal | None, raw: bytes, *, max_events: int,
                  rules: RuleConfig | None = None) -> AppendResult:
    """Capture the JSON array ``raw`` for the caller: 401/403 for the key,
    413 over ``max_events``, 422 with position, field and reason, 403 naming
    each event the key may not write. Nothing is stored on any error."""
    who = require(principal, Action.CAPTURE)
    batch = loads(raw)  # 422 for malformed JSON, non-finite numbers, deep nesting
    if not isinstance(batch, list):
        raise keyed(InvalidInput, "capture_not_array", [refusal(None, None, "capture_expected_an_array")])
    if len(batch) > max_events:
        raise keyed(TooLarge, "capture_too_many", max=max_events)
    return record(store, who, batch, rules=rules, max_events=max_events)


def submit_epcis(store: GraphStore, principal: Principal | None, raw: bytes,
                 rules: RuleConfig | None = None, partial: bool = False) -> EpcisImport:
    """Capture an EPCIS 2.0 document for the caller, all or nothing: the caller
    may write every event it maps to (403 naming EPCIS event positions). With
    ``partial`` every event it may write is stored and the others are reported."""
    who = require(principal, Action.CAPTURE)
    return import_epcis_as(store, who, raw, "request body", rules=rules, partial=partial)
