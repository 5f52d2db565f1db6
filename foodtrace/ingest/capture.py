"""The capture pipeline: validate, normalise, deduplicate, append.

Raw input (parsed JSON) becomes validated events with ids and a record time,
then one all-or-nothing append. Every error names the event's position, the
field and the reason.
"""

from __future__ import annotations

from datetime import datetime, timezone
import hashlib
from typing import Any, Callable, Iterable, Sequence

from pydantic import ValidationError

from foodtrace.errors import InvalidInput, TooLarge, detail
from foodtrace.graph.batch import EncodedBatch
from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.i18n.refusals import vocabulary_error
from foodtrace.model.event_base import canonical_content
from foodtrace.model.registry import EVENT_ADAPTER, EVENT_TYPES

MAX_ERRORS = 100

# Where importers hand their validated batches: the write door (``services.capture.door``), bound to
# the caller. Importers never append to a store themselves.
Append = Callable[[list], AppendResult]


def field_path(loc: Sequence[Any], raw: Any) -> str:
    """Pydantic's error location as a readable path, without the union tag."""
    parts: list[str] = []
    loc = list(loc)
    if loc and isinstance(raw, dict) and loc[0] == raw.get("type") and loc[0] in EVENT_TYPES:
        loc = loc[1:]
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        elif p in ("function-after", "function-before", "tagged-union") or str(p).startswith("function-"):
            continue
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "(event)"


def _reason(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "field required"
    if kind == "timezone_aware":
        return "a time zone is required (e.g. 2025-03-01T08:00:00+08:00)"
    if kind == "union_tag_invalid":
        return f"unknown event type; expected one of: {', '.join(sorted(EVENT_TYPES))}"
    if kind == "union_tag_not_found":
        return "field 'type' required"
    msg = err.get("msg", "invalid")
    return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg


def validate_event(raw: Any, position: int) -> tuple[Any, list[dict]]:
    """One raw event -> (event, []) or (None, errors)."""
    if not isinstance(raw, dict):
        return None, [detail(position, None, f"an event must be a JSON object, not {type(raw).__name__}")]
    try:  # the adapter's validator straight: ``EVENT_ADAPTER.validate_python`` without its wrapper (~0.8 µs)
        return EVENT_ADAPTER.validator.validate_python(raw), []
    except ValidationError as exc:
        return None, [vocabulary_error(position, field_path(e["loc"], raw), e)
                      or detail(position, field_path(e["loc"], raw), _reason(e)) for e in exc.errors()]


def prepare(raw_events: Iterable[Any], *, record_time: datetime | None = None, keep_record_time: bool = False,
            captured_by: str | None = None,
            max_events: int | None = None, first_position: int = 0) -> list:
    """Validate and normalise a batch: every event gets an id (its content hash
    when none is given) and the capture's record time. Raises ``InvalidInput``
    listing every bad event."""
    now = record_time or datetime.now(timezone.utc)
    events, errors, digests = [], [], []
    for pos, raw in enumerate(raw_events, start=first_position):
        if max_events is not None and pos - first_position >= max_events:
            raise TooLarge(f"a batch may hold at most {max_events} events")
        ev, errs = validate_event(raw, pos)
        if errs:
            errors.extend(errs)
            if len(errors) >= MAX_ERRORS:
                break
            continue
        updates: dict[str, Any] = {}
        digest = None
        if ev.event_id is None:  # the id is the content's hash (``content_hash_id``), kept as its digest
            digest = hashlib.sha256(canonical_content(ev).encode("utf-8")).hexdigest()
            updates["event_id"] = f"ni:///sha-256;{digest}?ver=foodtrace1"
        if not (keep_record_time and ev.record_time is not None):
            updates["record_time"] = now
            updates["captured_by"] = captured_by  # the server says who captured it, never the client
        if updates:
            _stamp(ev, updates)
        events.append(ev)
        digests.append(digest)
    if errors:
        raise InvalidInput(f"{len(errors)} error(s) in the batch; nothing was stored", errors[:MAX_ERRORS])
    return EncodedBatch(events, digests=digests)


def read_back(events: EncodedBatch) -> list[dict]:
    """The write door's read-back: each event (position in the batch) whose stored body would not read back
    through the model as the same event. Every body is read back once: a batch that was (``read_back``,
    while its events are still the ones it was made with) is not read again."""
    if events.read_back and events.aligned():
        return []
    out = []
    validate, bodies = EVENT_ADAPTER.validator.validate_json, events.bodies  # without the adapter's wrapper
    for pos, ev in enumerate(events):
        try:
            back = validate(bodies[pos])
        except ValidationError as exc:
            out.append(detail(pos, None, f"the event would not read back: {exc.errors()[0].get('msg', 'invalid')}"))
            continue
        if back != ev:
            out.append(detail(pos, None, "the event would not read back as sent"))
    events.read_back = not out
    return out


def _stamp(ev: Any, updates: dict[str, Any]) -> None:
    """Set the server's fields on an event fresh from validation, which nothing else holds yet: what
    ``model_copy(update=...)`` gives, without copying the event (and these fields' values are the
    server's own, an id of the event's content, a time zone-aware time and a principal's name)."""
    ev.__dict__.update(updates)
    ev.__pydantic_fields_set__.update(updates)


def capture(store: GraphStore, raw_events: Iterable[Any], **kw) -> AppendResult:
    """Validate a batch of raw events and append it, all or nothing."""
    if isinstance(raw_events, (str, bytes)) or not hasattr(raw_events, "__iter__"):
        raise InvalidInput("a batch must be a list of events", [detail(None, None, "expected a JSON array")])
    if isinstance(raw_events, dict):
        raise InvalidInput("a batch must be a list of events", [detail(None, None, "expected a JSON array, got an object")])
    return store.append(prepare(raw_events, **kw))
