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
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal, vocabulary_error
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


# pydantic's error types whose message is said in zh too (``i18n.input_errors``; the English is pydantic's)
_KEYS = {"missing": "pyd_missing", "extra_forbidden": "pyd_unknown_field", "timezone_aware": "pyd_timezone",
         "union_tag_invalid": "pyd_unknown_event_type", "union_tag_not_found": "pyd_type_required",
         "int_parsing": "pyd_int_parsing", "int_type": "pyd_int", "int_from_float": "pyd_int_fraction",
         "float_parsing": "pyd_float_parsing", "float_type": "pyd_float", "bool_parsing": "pyd_bool_parsing",
         "bool_type": "pyd_bool", "string_type": "pyd_string", "dict_type": "pyd_dict", "list_type": "pyd_list",
         "string_too_short": "pyd_string_short", "string_too_long": "pyd_string_long",
         "too_short": "pyd_items_short", "too_long": "pyd_items_long", "greater_than": "pyd_gt",
         "greater_than_equal": "pyd_ge", "less_than": "pyd_lt", "less_than_equal": "pyd_le",
         "string_pattern_mismatch": "pyd_pattern"}


def _shown_number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def reason_detail(position: int | None, field: str | None, err: dict) -> dict:
    """A pydantic error as a detail: a vocabulary's or a literal's values (``unknown_value``), the common
    kinds keyed (said in zh too), the others in pydantic's English; the English reason is ``_reason``'s."""
    if err.get("type") == "literal_error":
        err = {**err, "type": "enum"}
    vocabulary = vocabulary_error(position, field, err)
    if vocabulary is not None:
        return vocabulary
    reason, key = _reason(err), _KEYS.get(err.get("type", ""))
    if key is not None:
        args = {k: _shown_number(v) for k, v in (err.get("ctx") or {}).items() if isinstance(v, (int, float, str))}
        count = args.get("min_length", args.get("max_length"))
        args["s"] = "" if count == 1 else "s"
        if key == "pyd_unknown_event_type":
            args["types"] = ", ".join(sorted(EVENT_TYPES))
        elif key == "pyd_type_required":
            args["name"] = "type"
        said = refusal(position, field, key, **args)
        if said["reason"] == reason:  # pydantic's English exactly, or its own text below
            return said
    return detail(position, field, reason)


def validate_event(raw: Any, position: int) -> tuple[Any, list[dict]]:
    """One raw event -> (event, []) or (None, errors)."""
    if not isinstance(raw, dict):
        return None, [refusal(position, None, "capture_not_object", kind=type(raw).__name__)]
    try:  # the adapter's validator straight: ``EVENT_ADAPTER.validate_python`` without its wrapper (~0.8 µs)
        return EVENT_ADAPTER.validator.validate_python(raw), []
    except ValidationError as exc:
        return None, [reason_detail(position, field_path(e["loc"], raw), e) for e in exc.errors()]


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
            raise keyed(TooLarge, "capture_too_many", max=max_events)
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
        raise keyed(InvalidInput, "capture_errors", errors[:MAX_ERRORS], n=len(errors))
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
            out.append(refusal(pos, None, "capture_no_read_back", reason=exc.errors()[0].get("msg", "invalid")))
            continue
        if not _same(back, ev):
            out.append(refusal(pos, None, "capture_read_back_other"))
    events.read_back = not out
    return out


def _same(back: Any, ev: Any) -> bool:
    """``back == ev`` (pydantic's equality), its common case decided without pydantic's Python ``__eq__``:
    the same class, no extra fields or private attributes on either, and equal field values — exactly when
    that method answers True at once. Anything else is asked of that method."""
    return (type(back) is type(ev) and back.__pydantic_extra__ is None and ev.__pydantic_extra__ is None
            and getattr(back, "__pydantic_private__", None) is None
            and getattr(ev, "__pydantic_private__", None) is None
            and back.__dict__ == ev.__dict__) or back == ev


def _stamp(ev: Any, updates: dict[str, Any]) -> None:
    """Set the server's fields on an event fresh from validation, which nothing else holds yet: what
    ``model_copy(update=...)`` gives, without copying the event (and these fields' values are the
    server's own, an id of the event's content, a time zone-aware time and a principal's name)."""
    ev.__dict__.update(updates)
    ev.__pydantic_fields_set__.update(updates)


def capture(store: GraphStore, raw_events: Iterable[Any], **kw) -> AppendResult:
    """Validate a batch of raw events and append it, all or nothing."""
    if isinstance(raw_events, (str, bytes)) or not hasattr(raw_events, "__iter__"):
        raise keyed(InvalidInput, "capture_not_list", [refusal(None, None, "capture_expected_array")])
    if isinstance(raw_events, dict):
        raise keyed(InvalidInput, "capture_not_list", [refusal(None, None, "capture_expected_array_object")])
    return store.append(prepare(raw_events, **kw))
