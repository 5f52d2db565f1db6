"""EPCIS 2.0 JSON-LD capture: a document (or a query document, or one bare
event) is read leniently (comments and trailing commas warned about),
validated against GS1's JSON schema with format checking (dates, URIs) and
our own rules, mapped onto our events (``epcis_map``) and appended all or
nothing. Nothing is fetched: the schema ships in ``epcis_data/``.

Event ids: the EPCIS ``eventID``, else the CBV 2.0 event hash. An event that
maps to several of ours gives ``{id}``, ``{id}#2``…; an error declaration
becomes an ``error_declaration`` ``{id}#error-declaration`` retracting what
the declared event mapped to (stored first if it was never captured).
Documents exported by foodtrace carry each native event in ``ft:event``; it
is taken back as it is, so export -> import gives the same events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
import json
from typing import Any, Callable

from foodtrace.errors import FoodtraceError, InvalidInput, detail
from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.ingest.capture import Append, prepare
from foodtrace.ingest.cbv_hash import context_prefixes, event_hash
from foodtrace.ingest.epcis_map import EventMapper, MasterData
from foodtrace.ingest.jsonc import loads_lenient

FT_NS = "urn:foodtrace:epcis:"
GS1_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
EVENT_TYPES = {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"}
MAX_ERRORS = 100


@dataclass
class EpcisImport:
    """What an EPCIS capture did: the store's answer, which EPCIS events were
    stored without being traced (and why), and warnings about the input."""

    result: AppendResult
    epcis_events: int
    not_traced: list[dict] = field(default_factory=list)  # {"event_id", "reason"}
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft7Validator, FormatChecker

    text = resources.files("foodtrace.ingest").joinpath("epcis_data/EPCIS-JSON-Schema.json").read_text("utf-8")
    checker = FormatChecker()
    missing = {"date-time", "uri"} - set(checker.checkers)
    if missing:  # jsonschema skips formats whose checker libraries are absent
        raise FoodtraceError(f"format checking for {sorted(missing)} needs jsonschema[format-nongpl]")
    return Draft7Validator(json.loads(text), format_checker=checker)


def validate_document(doc: Any) -> None:
    """GS1's EPCIS 2.0 JSON schema (formats checked) plus our rules; ``InvalidInput`` lists every problem."""
    if not isinstance(doc, dict):
        raise InvalidInput("an EPCIS document must be a JSON object", [detail(None, None, "expected an object")])
    errors = []
    for err in sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in err.absolute_path) or "(document)"
        errors.append(detail(_event_position(err.absolute_path), where, err.message[:300]))
        if len(errors) >= MAX_ERRORS:
            break
    if not errors:
        for i, ev in enumerate(events_of(doc)):
            if not isinstance(ev.get("eventTime"), str):
                errors.append(detail(i, "eventTime", "field required"))
    if errors:
        raise InvalidInput(f"not a valid EPCIS 2.0 document ({len(errors)} problem(s)); nothing was stored", errors)


def _event_position(path) -> int | None:
    parts = list(path)
    for i, p in enumerate(parts[:-1]):
        if p == "eventList" and isinstance(parts[i + 1], int):
            return parts[i + 1]
    return None


def events_of(doc: dict) -> list[dict]:
    """The events of an EPCIS document, query document, or a single bare event."""
    if doc.get("type") in EVENT_TYPES:
        return [doc]
    body = doc.get("epcisBody") or {}
    if "queryResults" in body:
        body = (body.get("queryResults") or {}).get("resultsBody") or {}
    events = body.get("eventList") or []
    return [e for e in events if isinstance(e, dict)]


def read_document(text: str | bytes, source: str = "document") -> tuple[dict, list[str]]:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{source}: not UTF-8 text", [detail(None, "file", exc.reason)]) from exc
    doc, warnings = loads_lenient(text, source)
    validate_document(doc)
    return doc, warnings


def import_document(store: GraphStore, doc: dict | str | bytes, source: str = "document", *, append: Append,
                    captured_by: str) -> EpcisImport:
    """Validate, map and capture an EPCIS 2.0 document, all or nothing, through ``append`` (the write
    door, which checks what the caller may write), stamped ``captured_by``."""
    warnings: list[str] = []
    if isinstance(doc, (str, bytes)):
        doc, warnings = read_document(doc, source)
    else:
        validate_document(doc)
    raws, origin, not_traced = map_document(store, doc)
    try:
        events = prepare(raws, captured_by=captured_by)
        result = append(events)
    except FoodtraceError as exc:  # positions of our events -> positions of EPCIS events
        for d in exc.details:
            if isinstance(d.get("position"), int) and d["position"] < len(origin):
                d["position"] = origin[d["position"]]
        exc.message += " (positions are EPCIS event numbers, from 0)"
        raise
    return EpcisImport(result, len(events_of(doc)), not_traced, warnings)


def map_document(store: GraphStore, doc: dict) -> tuple[list[dict], list[int], list[dict]]:
    """Our raw events for the document's events, the EPCIS position of each,
    and the EPCIS events stored without being traced (with the reason)."""
    prefixes = context_prefixes(doc.get("@context"))
    mapper = EventMapper(MasterData.of(doc))
    declared = [(_id(e, prefixes)) for e in events_of(doc) if e.get("errorDeclaration")]
    stored = set(store.get_events([i for eid in declared for i in _derived_ids(eid)]))
    raws: list[dict] = []
    origin: list[int] = []
    not_traced: list[dict] = []
    in_batch: set[str] = set()
    for pos, e in enumerate(events_of(doc)):
        native = _native(e, prefixes)
        if native is not None:
            raws.append(native)
            origin.append(pos)
            continue
        eid = _id(e, prefixes)
        original = _original(e, prefixes)
        declaration = original.pop("errorDeclaration", None)
        mapped, reason = mapper.map(original, eid)
        for m in mapped:
            m["epcis"] = original
        ids = [m["event_id"] for m in mapped]
        if declaration is None or not (set(ids) & (stored | in_batch)):
            raws.extend(mapped)
            origin.extend([pos] * len(mapped))
            in_batch.update(ids)
            if reason:
                not_traced.append({"event_id": eid, "reason": reason})
        if isinstance(declaration, dict):
            full = {**original, "errorDeclaration": declaration}
            raws.append(_declaration(eid, declaration, mapped[0], ids, full))
            origin.append(pos)
            not_traced.append({"event_id": eid, "reason": "declared in error: retracted"})
    return raws, origin, not_traced


def _id(e: dict, prefixes: dict[str, str]) -> str:
    eid = e.get("eventID")
    return eid if isinstance(eid, str) and eid else event_hash(e, prefixes)


def _derived_ids(eid: str) -> list[str]:
    return [eid] + [f"{eid}#{i}" for i in range(2, 11)]


def _original(e: dict, prefixes: dict[str, str]) -> dict:
    """The event as received, with the document's prefixes as its own ``@context``
    (so it can be exported alone and hashed again)."""
    out = dict(e)
    used = {k: v for k, v in prefixes.items() if any(str(key).startswith(k + ":") for key in _keys(e))}
    if used and "@context" not in out:
        out["@context"] = [used]
    return out


def _keys(x: Any):
    if isinstance(x, dict):
        for k, v in x.items():
            yield k
            yield from _keys(v)
    elif isinstance(x, list):
        for v in x:
            yield from _keys(v)


def _native(e: dict, prefixes: dict[str, str]) -> dict | None:
    """Our own event carried in an exported document (``ft:event``)."""
    for k, v in e.items():
        prefix, _, local = k.partition(":")
        if local == "event" and {**prefixes, **context_prefixes(e.get("@context"))}.get(prefix) == FT_NS:
            return dict(v) if isinstance(v, dict) else None
    return None


def _declaration(eid: str, decl: dict, first: dict, ids: list[str], full: dict) -> dict:
    when = decl.get("declarationTime") or first.get("event_time")
    reason = decl.get("reason") or "incorrect_data"
    correctives = [c for c in decl.get("correctiveEventIDs") or [] if isinstance(c, str)]
    return {"type": "error_declaration", "event_id": f"{eid}#error-declaration", "event_time": when,
            "party": first["party"], "retracts": ids, "reason": str(reason)[:500],
            "corrective_event_ids": correctives, "epcis": full}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
