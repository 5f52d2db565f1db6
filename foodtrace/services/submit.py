"""Capture on behalf of an API key: parse, check access, validate, append —
all or nothing."""

from __future__ import annotations

from ..errors import InvalidInput, TooLarge, detail
from ..graph.store import AppendResult, GraphStore
from ..ingest.capture import prepare
from ..ingest.epcis import EpcisImport, import_document
from ..ingest.safe_json import loads
from .access import Action, Principal, check_events, require


def submit_events(store: GraphStore, principal: Principal | None, raw: bytes, *, max_events: int) -> AppendResult:
    """Capture the JSON array ``raw`` for the caller: 401/403 for the key,
    413 over ``max_events``, 422 with position, field and reason, 403 naming
    each event the key may not write. Nothing is stored on any error."""
    who = require(principal, Action.CAPTURE)
    batch = loads(raw)  # 422 for malformed JSON, non-finite numbers, deep nesting
    if not isinstance(batch, list):
        raise InvalidInput("a batch must be a JSON array of events", [detail(None, None, "expected an array")])
    if len(batch) > max_events:
        raise TooLarge(f"a batch may hold at most {max_events} events")
    events = prepare(batch, max_events=max_events, captured_by=f"key:{who.key_id}@{who.party}")
    check_events(store, who, events)
    return store.append(events)


def submit_epcis(store: GraphStore, principal: Principal | None, raw: bytes) -> EpcisImport:
    """Capture an EPCIS 2.0 document for the caller, all or nothing: the key
    may write every event it maps to (403 naming EPCIS event positions)."""
    who = require(principal, Action.CAPTURE)
    return import_document(store, raw, "request body", check=lambda events: check_events(store, who, events))
