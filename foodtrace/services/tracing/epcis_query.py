"""The EPCIS 2.0 query interface (``GET /epcis/events`` and the top-level resources): the standard
query parameters over the log's events in their EPCIS form, paged by ``nextPageToken``.

Who reads what: inspectors and admins every event — an inspector with areas only the events
``Scope.event`` keeps (a party the event names is in its areas; ``services/capture/scope.py``);
an operator only the events its party takes part in (acts, sends or receives: ``visibility.takes_part``). Events without an EPCIS form (keys,
party registrations, the office's records) are never returned.

Paging: events in log order; a token names the last sequence number looked at. One request looks
at no more than ``MAX_SCAN`` events, so a page may hold fewer than ``perPage`` events and still
carry a token; the last page carries none.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
import re
from typing import Any, Callable, Iterable, Mapping

from foodtrace.errors import BadQuery, NotImplementedHere
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore, StoredEvent
from foodtrace.ingest.epcis import EVENT_TYPES, FT_NS, GS1_CONTEXT, now_iso
from foodtrace.ingest.epcis_export import epcis_event
from foodtrace.ingest.epcis_map import bare
from foodtrace.model.codes import canonical_code
from foodtrace.services.capture.access import Action, Principal, require
from foodtrace.services.capture.scope import scope_of
from foodtrace.services.capture.visibility import sees_all, takes_part

PER_PAGE, MAX_PER_PAGE, MAX_SCAN, BATCH = 30, 1000, 5000, 500
EPC_FIELDS = {"MATCH_epc": ("epcList", "childEPCs"), "MATCH_parentID": ("parentID",),
              "MATCH_inputEPC": ("inputEPCList",), "MATCH_outputEPC": ("outputEPCList",),
              "MATCH_anyEPC": ("epcList", "childEPCs", "inputEPCList", "outputEPCList", "parentID")}
CLASS_FIELDS = {"MATCH_epcClass": ("quantityList", "childQuantityList"),
                "MATCH_inputEPCClass": ("inputQuantityList",), "MATCH_outputEPCClass": ("outputQuantityList",),
                "MATCH_anyEPCClass": ("quantityList", "childQuantityList", "inputQuantityList",
                                      "outputQuantityList")}
EQ_FIELDS = {"EQ_action": "action", "EQ_bizStep": "bizStep", "EQ_disposition": "disposition",
             "EQ_transformationID": "transformationID", "EQ_eventID": "eventID"}
EQ_IDS = {"EQ_readPoint": "readPoint", "EQ_bizLocation": "bizLocation"}
ANY = "anyEPCOrClass"  # /epcs/{epc}/events: the EPC as an instance or as a class (not a URL parameter)
TIMES = {"GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime"}
SUPPORTED = {"eventType", "perPage", "nextPageToken", "EXISTS_errorDeclaration", *EPC_FIELDS, *CLASS_FIELDS,
             *EQ_FIELDS, *EQ_IDS, *TIMES}
STANDARD_NOT_OFFERED = re.compile(  # standard parameters this server answers 501 to
    r"^(EQ_persistentDisposition_(set|unset)|WD_(readPoint|bizLocation)|(EQ|GT|GE|LT|LE)_quantity|"
    r"(GE|LT)_errorDeclarationTime|EQ_errorReason|EQ_correctiveEventID|orderBy|orderDirection|eventCountLimit|"
    r"maxEventCount|(GE|LT)_(startTime|endTime)|EQ_(type|deviceID|dataProcessingMethod|microorganism|"
    r"chemicalSubstance|bizRules|stringValue|hexBinaryValue|uriValue|booleanValue)|"
    r"(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percValue)(_.+)?|"
    r"(EQ|EXISTS|HASATTR|EQATTR)_.+|MATCH_.+|(GE|GT|LT|LE)_.+)$")


@dataclass
class EpcisQuery:
    """Parsed query parameters: each filter a set of accepted values (pipe-delimited in the URL)."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    times: dict[str, datetime] = field(default_factory=dict)
    per_page: int = PER_PAGE
    after_seq: int = 0
    errors_only: bool | None = None

    def as_params(self) -> dict[str, str]:
        out = {k: "|".join(v) for k, v in self.filters.items()}
        out.update({k: v.isoformat() for k, v in self.times.items()})
        if self.errors_only is not None:
            out["EXISTS_errorDeclaration"] = "true" if self.errors_only else "false"
        return out


@dataclass
class Page:
    events: list[dict]
    next_token: str | None


def parse_query(params: Mapping[str, Any]) -> EpcisQuery:
    """The query of URL parameters (``name -> value``, values pipe-delimited): 400 naming an unknown or
    malformed parameter, 501 naming a standard one this server does not offer."""
    q = EpcisQuery()
    for name, raw in params.items():
        value = raw if isinstance(raw, str) else "|".join(raw)
        if name not in SUPPORTED:
            if STANDARD_NOT_OFFERED.match(name):
                raise keyed(NotImplementedHere, "query_not_offered", [refusal(None, name, "query_not_implemented")],
                            name=name)
            raise keyed(BadQuery, "query_unknown_parameter", [refusal(None, name, "query_unknown")], name=name)
        if name == "perPage":
            if not value.isdigit() or not 1 <= int(value) <= MAX_PER_PAGE:
                raise keyed(BadQuery, "query_per_page", [refusal(None, name, "query_range", low=1, high=MAX_PER_PAGE)],
                            name=name, low=1, high=MAX_PER_PAGE)
            q.per_page = int(value)
        elif name == "nextPageToken":
            q.after_seq = decode_token(value)
        elif name in TIMES:
            q.times[name] = _time(name, value)
        elif name == "EXISTS_errorDeclaration":
            q.errors_only = value.lower() not in ("false", "0")
        else:
            values = [v for v in value.split("|") if v]
            if not values or any(len(v) > 2000 for v in values):
                raise keyed(BadQuery, "query_needs_values", [refusal(None, name, "query_empty_or_long")], name=name)
            if name == "eventType" and not set(values) <= EVENT_TYPES:
                raise keyed(BadQuery, "query_unknown_type", [refusal(None, name, "query_type_unknown")], name=name)
            q.filters[name] = values
    return q


def _time(name: str, value: str) -> datetime:
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        t = None
    if t is None or t.tzinfo is None or not 1900 <= t.year <= 9999:
        raise keyed(BadQuery, "query_time", [refusal(None, name, "query_not_a_time")], name=name)
    return t


def encode_token(seq: int) -> str:
    return base64.urlsafe_b64encode(f"ft1:{seq}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    m = re.fullmatch(r"ft1:(\d{1,15})", text)
    if not m:
        raise keyed(BadQuery, "query_token", [refusal(None, "nextPageToken", "query_unknown_token")],
                    name="nextPageToken")
    return int(m.group(1))


# -- matching ------------------------------------------------------------------------------------


def _codes(values: Iterable[Any]) -> set[str]:
    return {canonical_code(v) for v in values if isinstance(v, str)}


def _epcs(ev: dict, fields: tuple[str, ...]) -> set[str]:
    out: list[Any] = []
    for f in fields:
        v = ev.get(f)
        out.extend(v if isinstance(v, list) else [v])
    return _codes(out)


def _classes(ev: dict, fields: tuple[str, ...]) -> set[str]:
    return _codes(q.get("epcClass") for f in fields for q in ev.get(f) or [] if isinstance(q, dict))


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def matches(q: EpcisQuery, ev: dict, record_time: datetime) -> bool:
    """Whether the EPCIS event ``ev`` (recorded at ``record_time``) answers the query."""
    f = q.filters
    if "eventType" in f and ev.get("type") not in f["eventType"]:
        return False
    for name, key in EQ_FIELDS.items():
        if name in f and bare(ev.get(key)) not in {bare(v) for v in f[name]}:
            return False
    for name, key in EQ_IDS.items():
        where = ev.get(key) if isinstance(ev.get(key), dict) else {}
        if name in f and canonical_code(str(where.get("id", ""))) not in _codes(f[name]):
            return False
    for name, fields in EPC_FIELDS.items():
        if name in f and not (_epcs(ev, fields) & _codes(f[name])):
            return False
    for name, fields in CLASS_FIELDS.items():
        if name in f and not (_classes(ev, fields) & _codes(f[name])):
            return False
    if ANY in f and not ((_epcs(ev, EPC_FIELDS["MATCH_anyEPC"]) | _classes(ev, CLASS_FIELDS["MATCH_anyEPCClass"]))
                         & _codes(f[ANY])):
        return False
    event_time = _when(ev.get("eventTime"))
    for name, t in q.times.items():
        at = record_time if name.endswith("recordTime") else event_time
        if at is None or (at < t if name.startswith("GE") else at >= t):
            return False
    return q.errors_only is None or q.errors_only == ("errorDeclaration" in ev)


# -- running -------------------------------------------------------------------------------------


def _eid(event_id: str) -> str:
    return re.sub(r"#(\d+|error-declaration)$", "", event_id)


def as_epcis(store: GraphStore, se: StoredEvent) -> dict | None:
    """The stored event in its EPCIS form, with its ``eventID`` and ``recordTime``."""
    lookup = lambda ids: {k: v.event for k, v in store.get_events(ids).items()}  # noqa: E731
    item = epcis_event(se.event, lookup)
    if item is None:
        return None
    item = dict(item)
    item.setdefault("eventID", _eid(se.event.event_id))
    item["recordTime"] = se.event.record_time.isoformat() if se.event.record_time else item.get("eventTime")
    return item


def reader(store: GraphStore, principal: Principal) -> Callable[[StoredEvent], bool]:
    """Whether ``principal`` may read a stored event: an operator the events it takes part in; an
    inspector or admin every event, cut by an inspector's areas (``Scope.event``). One per request."""
    if not sees_all(principal):
        return lambda se: takes_part(se.event, principal.party)
    sc = scope_of(store, principal)
    return lambda se: sc.event(se.event)


def _candidates(store: GraphStore, q: EpcisQuery, after: int, limit: int) -> tuple[list[StoredEvent], int, bool]:
    """Events to look at after sequence number ``after``, the sequence number looked at up to, and
    whether the log may hold more."""
    named = [v for k in (ANY, "MATCH_anyEPC", "MATCH_epc", "MATCH_parentID", "MATCH_inputEPC", "MATCH_outputEPC",
                         "MATCH_epcClass", "MATCH_anyEPCClass", "MATCH_inputEPCClass", "MATCH_outputEPCClass")
             for v in q.filters.get(k, [])]
    if not named:
        page = store.log_page(after, limit)
        return page, (page[-1].seq if page else after), len(page) == limit
    # the lots' own events (an index look-up), and associations, which name assets, not lots
    hits = {se.seq: se for evs in store.lot_events(sorted(_codes(named)), include_retracted=True).values()
            for se in evs if se.seq > after}
    records = store.log_page(after, limit, types=["epcis_record"])
    full = len(records) == limit
    horizon = records[-1].seq if full else max([after, *hits, *(se.seq for se in records)])
    hits.update({se.seq: se for se in records if se.event.epcis_type == "AssociationEvent"})
    ordered = sorted(seq for seq in hits if seq <= horizon)
    if len(ordered) > limit:
        ordered, horizon = ordered[:limit], ordered[limit - 1]
    more = full or any(seq > horizon for seq in hits)
    return [hits[seq] for seq in ordered], horizon, more


def run_query(store: GraphStore, principal: Principal | None, q: EpcisQuery) -> Page:
    """One page of the events answering ``q`` that the caller may read (401/403 without the right)."""
    readable = reader(store, require(principal, Action.READ_LOT))
    out: list[dict] = []
    seen: set[str] = set()
    after, scanned = q.after_seq, 0
    while scanned < MAX_SCAN:
        batch, upto, more = _candidates(store, q, after, BATCH)
        for se in batch:
            scanned += 1
            if not readable(se):
                continue
            item = as_epcis(store, se)
            if item is None or item["eventID"] in seen or not matches(q, item, se.event.record_time):
                continue
            seen.add(item["eventID"])
            out.append(item)
            if len(out) >= q.per_page:
                return Page(out, encode_token(se.seq))
        after, scanned = upto, scanned + (0 if batch else BATCH)
        if not more:
            return Page(out, None)
    return Page(out, encode_token(after))


def query_document(events: list[dict], query_name: str = "SimpleEventQuery") -> dict:
    """An ``EPCISQueryDocument`` holding ``events``."""
    return {"@context": [GS1_CONTEXT, {"ft": FT_NS}], "type": "EPCISQueryDocument", "schemaVersion": "2.0",
            "creationDate": now_iso(),
            "epcisBody": {"queryResults": {"queryName": query_name, "resultsBody": {"eventList": events}}}}


def event_by_id(store: GraphStore, principal: Principal | None, event_id: str) -> dict | None:
    """The EPCIS event ``event_id`` if the caller may read it (None: unknown or not the caller's)."""
    readable = reader(store, require(principal, Action.READ_LOT))
    ids = [event_id] + [f"{event_id}#{i}" for i in range(2, 4)]
    for se in store.get_events(ids).values():
        if readable(se) and (item := as_epcis(store, se)) is not None:
            return item
    return None


__all__ = ["EpcisQuery", "Page", "parse_query", "run_query", "query_document", "event_by_id", "as_epcis",
           "encode_token", "decode_token", "matches", "reader"]
