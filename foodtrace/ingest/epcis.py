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

EPCIS 2.0.1: GS1's 2.0.0 schema ships (``epcis_data/``); 2.0.1 changed only which event types
may carry ``persistentDisposition``, and ``schema_2_0_1`` applies that change (a test compares
the result with GS1's published 2.0.1 schema). Deviations that change no event's meaning are
repaired with a warning (``epcis_lenient``). A document is all or nothing; with ``partial`` every
event that can be stored is, and every other one is reported (``refused``: position, field, reason),
conflicting reuse of an ``eventID`` included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
import json
import re
from typing import Any

from foodtrace.errors import Conflict, FoodtraceError, InvalidInput, detail
from foodtrace.i18n.keyed import keyed, noted, noted_detail
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.ingest.capture import Append, prepare
from foodtrace.ingest.cbv_hash import context_prefixes, event_hash
from foodtrace.ingest.epcis_lenient import repair, without_query_header
from foodtrace.ingest.epcis_map import EventMapper, MasterData
from foodtrace.ingest.jsonc import loads_lenient

FT_NS = "urn:foodtrace:epcis:"
GS1_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
EVENT_TYPES = {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"}
MAX_ERRORS = 100
MAX_ROUNDS = 20  # partial capture: how often a batch is retried without the events refused
PERSISTENT_DISPOSITION_SINCE_2_0_1 = ("AggregationEvent", "AssociationEvent", "TransactionEvent")


@dataclass
class EpcisImport:
    """What an EPCIS capture did: the store's answer, which EPCIS events were
    stored without being traced (and why), and warnings about the input."""

    result: AppendResult
    epcis_events: int
    not_traced: list[dict] = field(default_factory=list)  # {"event_id", "reason"}
    warnings: list[str] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # partial capture: {"position", "field", "reason"}


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft7Validator, FormatChecker

    checker = FormatChecker()
    missing = {"date-time", "uri"} - set(checker.checkers)
    if missing:  # jsonschema skips formats whose checker libraries are absent
        raise keyed(FoodtraceError, "epcis_format_checkers", formats=str(sorted(missing)),
                    libraries="rfc3339-validator and rfc3986-validator")
    return Draft7Validator(schema_2_0_1(), format_checker=checker)


def schema_2_0_1() -> dict:
    """GS1's EPCIS 2.0.0 JSON schema with the change 2.0.1 made: ``persistentDisposition``
    is allowed on aggregation, association and transaction events too (a fresh copy)."""
    text = resources.files("foodtrace.ingest").joinpath("epcis_data/EPCIS-JSON-Schema.json").read_text("utf-8")
    schema = json.loads(text)
    for name in PERSISTENT_DISPOSITION_SINCE_2_0_1:
        for part in schema["definitions"][name]["allOf"]:
            for names in (part.get("propertyNames") or {}).get("anyOf", []):
                allowed = names.get("enum")
                if allowed and "disposition" in allowed and "persistentDisposition" not in allowed:
                    allowed.insert(allowed.index("disposition") + 1, "persistentDisposition")
    return schema


# jsonschema's messages said in zh too (``i18n.input_errors``): its English pattern, the key, its parts' names
_SCHEMA_SAID = [(re.compile(r"^(?P<value>.*) is not a '(?P<format>[^']+)'$", re.S), "schema_format"),
                (re.compile(r"^(?P<value>.*) is not of type (?P<types>.+)$", re.S), "schema_type"),
                (re.compile(r"^(?P<value>.*) is not one of (?P<allowed>\[.*\])$", re.S), "schema_enum"),
                (re.compile(r"^'(?P<name>[^']*)' is a required property$"), "schema_required"),
                (re.compile(r"^(?P<value>.*) is not valid under any of the given schemas$", re.S), "schema_any_of"),
                (re.compile(r"^Additional properties are not allowed \((?P<names>.+) was unexpected\)$", re.S),
                 "schema_extra_one"),
                (re.compile(r"^Additional properties are not allowed \((?P<names>.+) were unexpected\)$", re.S),
                 "schema_extra")]


def _schema_detail(position: int | None, where: str, message: str) -> dict:
    """A schema error as a detail: keyed when its English is one of ``_SCHEMA_SAID`` (and stays the same),
    else jsonschema's English; at most 300 characters of it. A value too long to show (a whole event that
    matches none of the event types) is cut to its first 80 characters, so that the reason still says what
    is wrong with it, in either language."""
    for pattern, key in _SCHEMA_SAID:
        m = pattern.match(message)
        if m is None:
            continue
        parts = m.groupdict()
        if len(message) > 300 and len(parts.get("value") or "") > 80:
            parts["value"] = parts["value"][:80] + "…"
        said = refusal(position, where, key, **parts)
        if len(said["reason"]) <= 300 and (said["reason"] == message or parts.get("value", "").endswith("…")):
            return said
    return detail(position, where, message[:300])


def schema_errors(doc: Any) -> list[dict]:
    """Every problem GS1's EPCIS 2.0.1 schema (formats checked) and our rules find, each with the
    position of its event (None: the document's frame)."""
    if not isinstance(doc, dict):
        return [refusal(None, None, "epcis_not_object", epcis="EPCIS")]
    errors = []
    for err in sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in err.absolute_path) or "(document)"
        errors.append(_schema_detail(_event_position(err.absolute_path, doc), where, err.message))
        if len(errors) >= MAX_ERRORS:
            break
    bad = {e["position"] for e in errors}
    for i, ev in enumerate(events_of(doc)):
        if i not in bad and not isinstance(ev.get("eventTime"), str):
            errors.append(refusal(i, "eventTime", "pyd_missing"))
    return errors


def validate_document(doc: Any) -> None:
    """GS1's EPCIS 2.0.1 JSON schema (formats checked) plus our rules; ``InvalidInput`` lists every problem."""
    if not isinstance(doc, dict):
        raise keyed(InvalidInput, "epcis_not_object", [refusal(None, None, "epcis_expected_object")], epcis="EPCIS")
    errors = schema_errors(doc)
    if errors:
        raise keyed(InvalidInput, "epcis_invalid", errors, n=len(errors), version="EPCIS 2.0")


def _event_position(path, doc: dict | None = None) -> int | None:
    parts = list(path)
    if doc is not None and doc.get("type") in EVENT_TYPES:
        return 0  # a bare event: its only event
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
    """Parse (comments and trailing commas warned about), repair (``epcis_lenient``) and validate a
    document, all or nothing; returns it and the warnings."""
    doc, warnings = parse_document(text, source)
    valid, more, _ = check_document(doc, partial=False)
    return valid, warnings + more


def parse_document(text: str | bytes, source: str = "document") -> tuple[Any, list[str]]:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise keyed(InvalidInput, "epcis_not_utf8", [refusal(None, "file", "epcis_codec", reason=exc.reason)],
                        source=source, utf8="UTF-8") from exc
    return loads_lenient(text, source)


def check_document(doc: Any, partial: bool) -> tuple[dict, list[str], list[dict]]:
    """Repair and validate ``doc``: the repaired document, its warnings and (``partial`` only) the
    problems of its invalid events. Problems in the document's frame — and, unless ``partial``,
    in any event — raise ``InvalidInput`` listing them all."""
    repaired, warnings = repair(doc)
    checked, more = without_query_header(repaired)
    errors = schema_errors(checked)
    if any(e["position"] is None for e in errors) or (errors and not partial):
        raise keyed(InvalidInput, "epcis_invalid", errors, n=len(errors), version="EPCIS 2.0")
    return repaired, warnings + more, errors


def import_document(store: GraphStore, doc: dict | str | bytes, source: str = "document", *, append: Append,
                    captured_by: str, partial: bool = False) -> EpcisImport:
    """Validate, map and capture an EPCIS 2.0 document through ``append`` (the write door, which checks
    what the caller may write), stamped ``captured_by``: all or nothing, or with ``partial`` every event
    that can be stored (the others in ``refused``, with their EPCIS positions)."""
    warnings: list[str] = []
    if isinstance(doc, (str, bytes)):
        doc, warnings = parse_document(doc, source)
    doc, more, refused = check_document(doc, partial)
    warnings += more
    raws, origin, not_traced = map_document(store, doc, {e["position"] for e in refused})
    result = AppendResult()
    for _ in range(MAX_ROUNDS):
        try:
            result = append(prepare(raws, captured_by=captured_by)) if raws else AppendResult()
            break
        except FoodtraceError as exc:  # positions of our events -> positions of EPCIS events
            positions = _to_epcis_positions(exc, origin)
            if not partial or positions is None:
                raise
            refused.extend(exc.details)
            keep = [i for i, o in enumerate(origin) if o not in positions]
            raws, origin = [raws[i] for i in keep], [origin[i] for i in keep]
    else:
        raise keyed(InvalidInput, "epcis_too_many_rounds", refused)
    kept = set(result.stored) | set(result.duplicates)
    not_traced = [nt for nt in not_traced if nt["event_id"] in kept]
    refused.sort(key=lambda d: (d["position"], str(d.get("field"))))
    return EpcisImport(result, len(events_of(doc)), not_traced, warnings, refused[:MAX_ERRORS])


def _to_epcis_positions(exc: FoodtraceError, origin: list[int]) -> set[int] | None:
    """Rewrite the positions ``exc`` names (of our events) to EPCIS event positions; the set of
    them, or None when some problem names no event."""
    positions: set[int] = set()
    complete = bool(exc.details)
    for d in exc.details:
        pos = d.get("position")
        if isinstance(pos, int) and 0 <= pos < len(origin):
            d["position"] = origin[pos]
            positions.add(origin[pos])
        else:
            complete = False
    noted(exc, "note_epcis_positions")
    if isinstance(exc, Conflict):
        for d in exc.details:
            noted_detail(d, "note_event_id_reused")
    return positions if complete else None


def map_document(store: GraphStore, doc: dict, skip: set[int] | frozenset[int] = frozenset()
                 ) -> tuple[list[dict], list[int], list[dict]]:
    """Our raw events for the document's events (but those at the positions ``skip``), the EPCIS
    position of each, and the EPCIS events stored without being traced (with the reason)."""
    prefixes = context_prefixes(doc.get("@context"))
    mapper = EventMapper(MasterData.of(doc))
    declared = [_id(e, prefixes) for i, e in enumerate(events_of(doc)) if e.get("errorDeclaration") and i not in skip]
    stored = set(store.get_events([i for eid in declared for i in _derived_ids(eid)]))
    raws: list[dict] = []
    origin: list[int] = []
    not_traced: list[dict] = []
    in_batch: set[str] = set()
    for pos, e in enumerate(events_of(doc)):
        if pos in skip:
            continue
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
