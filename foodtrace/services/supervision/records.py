"""What every supervision service shares: ids, the checks on the parties and
lots a record names, capture, and reading the records back from the log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable, Iterator

from foodtrace.errors import Conflict, FoodtraceError, InvalidInput, NotFound
from foodtrace.graph.store import GraphStore
from foodtrace.services.capture import door
from foodtrace.services.capture.principal import Principal
from foodtrace.model.parties import Party
from foodtrace.services.supervision.access import Caller, require_write
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.model.common import instant_in_range
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import known, refusal

ID_FIELD = {"inspection": "inspection_id", "campaign": "campaign_id", "enforcement_case": "case_id",
            "training": "training_id", "commitment": "commitment_id", "destruction": "destruction_id",
            "publicity": "publicity_id", "interview": "interview_id", "sampling": "sample_id", "incident": "incident_id"}
PREFIX = {"inspection": "JC", "campaign": "ZX", "enforcement_case": "AJ", "training": "PX", "commitment": "CN",
          "destruction": "XH", "publicity": "XC", "interview": "YT", "sampling": "CJ", "incident": "SG"}


def now() -> datetime:
    return datetime.now().astimezone()


def aware(at: datetime | None, field: str = "at") -> datetime:
    """``at`` (which must carry a time zone) or now."""
    if at is None:
        return now()
    if at.tzinfo is None:
        raise keyed(InvalidInput, "sup_time_no_zone",
                    [refusal(None, field, "sup_time_zone_required", example="2025-03-01T08:00:00+08:00")])
    if not instant_in_range(at):
        raise keyed(InvalidInput, "sup_time_range", [refusal(None, field, "date_range")])
    return at


def record_event_id(kind: str, record_id: str, step: str = "") -> str:
    return f"urn:foodtrace:supervision:{kind}:{record_id}" + (f":{step}" if step else "")


def _used(store: GraphStore, kind: str, record_id: str) -> bool:
    return bool(store.get_events([record_event_id(kind, record_id)])) or find(
        store, kind, record_id, include_retracted=True) is not None


def new_id(store: GraphStore, kind: str, record_id: str | None, at: datetime) -> str:
    """``record_id``, which must not have been used (a retracted record's
    neither), or a fresh one made from the kind and the time."""
    if record_id:
        if _used(store, kind, record_id):
            raise Conflict(f"{kind} {record_id} exists already",
                           [refusal(None, ID_FIELD[kind], "record_id_used_reason")], key="record_id_used",
                           args={"type": kind, "record_id": record_id})
        return record_id
    base = f"{PREFIX[kind]}{at.strftime('%Y%m%d%H%M%S%f')}"
    made, n = base, 1
    while _used(store, kind, made):
        n += 1
        made = f"{base}-{n}"
    return made


def acting_party(actor: Caller, by: str | None) -> str:
    """The office recording the event: the actor's party (its key's), else ``by``."""
    party = actor.party or by
    if not party:
        raise keyed(InvalidInput, "sup_by_missing", [refusal(None, "by", "field_required")])
    return party


def start_writing(actor: Caller, by: str | None) -> str:
    require_write(actor)
    return acting_party(actor, by)


def resolve_lots(store: GraphStore, codes: Iterable[str], field: str = "lots") -> list[str]:
    """Each code (or link) as the known lot's trace code; every unknown one is named."""
    out, errors = [], []
    for i, text in enumerate(codes):
        try:
            out.append(resolve(store, text).code)
        except FoodtraceError as exc:
            errors.append(_unresolved(f"{field}[{i}]", text, exc))
    if errors:
        raise keyed(InvalidInput, "sup_lots_unknown", errors)
    return list(dict.fromkeys(out))


def _unresolved(field: str, text: str, exc: FoodtraceError) -> dict[str, Any]:
    """Why ``text`` names no lot: the resolver's own keyed reason, else its message under a key of ours."""
    if known(exc.key):  # its arguments as they are (one may be named "field")
        return {"position": None, "field": field, "reason": exc.message, "key": exc.key,
                "args": dict(exc.args_of_key)}
    if isinstance(exc, NotFound):
        return refusal(None, field, "sup_lot_unknown", code=text)
    return refusal(None, field, "sup_lot_malformed", reason=exc.message)


def registered(store: GraphStore, ids: Iterable[str], field: str, also: Iterable[str] = ()) -> dict[str, Party]:
    """The registered parties ``ids``; every id neither registered nor in ``also`` is named."""
    ids = list(ids)
    found = store.get_parties(sorted(set(ids)))
    allowed = set(also)
    errors = [refusal(None, f"{field}[{i}]" if field.endswith("s") else field, "record_party_unregistered", party=pid)
              for i, pid in enumerate(ids) if pid not in found and pid not in allowed]
    if errors:
        raise InvalidInput("unknown parties; nothing was recorded", errors, key="record_unknown_parties")
    return found


def all_parties(store: GraphStore) -> dict[str, Party]:
    """Every registered party (the latest registration of each), from the log."""
    out: dict[str, Party] = {}
    for ev in live(store, ["party_registration"]):
        out[ev.registered.id] = ev.registered
    return out


def record(store: GraphStore, actor: Principal, raw: dict[str, Any]) -> None:
    """Record one supervision event for ``actor`` through the write door."""
    door.record(store, actor, [{k: v for k, v in raw.items() if v is not None and v != []}])


def live(store: GraphStore, types: Iterable[str], include_retracted: bool = False) -> Iterator[Any]:
    """The events of these types in log order (retracted ones left out unless asked)."""
    for se in store.events_by_type(types):
        if include_retracted or se.retracted_by is None:
            yield se.event


def find(store: GraphStore, kind: str, record_id: str, include_retracted: bool = False) -> Any | None:
    """The record of ``kind`` with this id (its deterministic event id first, else a scan)."""
    eid = record_event_id(kind, record_id)
    se = store.get_events([eid]).get(eid)
    if se is not None and (include_retracted or se.retracted_by is None):
        return se.event
    field = ID_FIELD[kind]
    return next((ev for ev in live(store, [kind], include_retracted) if getattr(ev, field) == record_id), None)


def must_find(store: GraphStore, kind: str, record_id: str) -> Any:
    ev = find(store, kind, record_id)
    if ev is None:
        raise keyed(NotFound, "sup_record_none", [refusal(None, ID_FIELD[kind], "sup_record_unknown", type=kind)],
                    type=kind, record_id=record_id)
    return ev


def iso(d: date | datetime | None) -> str | None:
    return d.isoformat() if d is not None else None


def in_period(when: datetime, start: date | datetime | None, end: date | datetime | None) -> bool:
    """Whether ``when`` falls in the period: dates are calendar days (both
    included) where it happened; times are instants (start included, end not)."""
    for bound, after in ((start, True), (end, False)):
        if bound is None:
            continue
        if isinstance(bound, datetime):
            ok = when >= bound if after else when < bound
        else:
            ok = when.date() >= bound if after else when.date() <= bound
        if not ok:
            return False
    return True


__all__ = ["now", "aware", "record_event_id", "new_id", "acting_party", "start_writing",
           "resolve_lots", "registered", "all_parties", "record", "live", "find", "must_find", "in_period", "iso"]
