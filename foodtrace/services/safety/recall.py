"""The recall workflow (召回).

A recall starts from bad lots — named by an inspector, or the lots of a failed
test — and finds every affected downstream lot and every holder with what it
received, passed on and may still hold, and how much bad input that contains
(``services.exposure``). Starting it records a ``recall`` event (the lots it
covers are then *recalled*: the consumer page shows it); each holder confirms
with a ``recall_confirmation`` event; the recall is closed when every holder
it named has confirmed. Everything is in the event log.
"""

from __future__ import annotations

from datetime import datetime
import hashlib
from typing import Any, Literal

from pydantic import BaseModel, Field

from foodtrace.errors import Conflict, InvalidInput, NotFound
from foodtrace.graph.store import GraphStore, StoredEvent
from foodtrace.i18n import label, t
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.services.capture.door import record
from foodtrace.services.capture.principal import Principal, local
from foodtrace.model.events import Certificate, Recall
from foodtrace.services.safety.exposure import Exposure, HolderExposure, exposure
from foodtrace.services.safety.rules.findings import number
from foodtrace.services.tracing.identifiers import resolve


class Notice(BaseModel):
    party: str
    zh: str
    en: str
    confirmed: bool = False
    confirmed_at: datetime | None = None


class RecallReport(BaseModel):
    recall_id: str | None = None  # None: a preview, nothing recorded
    status: Literal["preview", "open", "closed", "retracted"]
    reason: str  # as the inspector gave it, or made from the failed test in Chinese
    reason_en: str | None = None  # made from the failed test, in English (None: one text, as given)
    trigger: str = "inspector"
    started_at: datetime | None = None
    started_by: str | None = None
    exposure: Exposure
    notices: list[Notice] = Field(default_factory=list)
    unconfirmed: list[str] = Field(default_factory=list)  # holders named at the start still to confirm

    def reason_in(self, lang: str) -> str:
        """The reason as a reader of ``lang`` reads it (one given by the inspector: as given)."""
        return reason_in(self.reason, self.reason_en, lang)


class RecallSummary(BaseModel):
    recall_id: str
    reason: str
    reason_en: str | None = None  # as in ``RecallReport``
    started_at: datetime
    status: Literal["open", "closed"]

    def reason_in(self, lang: str) -> str:
        return reason_in(self.reason, self.reason_en, lang)


class RecallStatus(BaseModel):
    code: str
    recalled: bool
    recalls: list[RecallSummary] = Field(default_factory=list)


def recall_event_id(recall_id: str) -> str:
    return f"urn:foodtrace:recall:{recall_id}"


def reason_in(reason: str, reason_en: str | None, lang: str) -> str:
    """A recall's reason in ``lang``: the English one on English outputs when there is one."""
    return (reason_en or reason) if lang == "en" else reason


def _now() -> datetime:
    return datetime.now().astimezone()


def _notice(recall_id: str, reason: str, reason_en: str | None, h: HolderExposure) -> tuple[str, str]:
    lots = ", ".join(e.code for e in h.lots)
    out = []
    for lang in ("zh", "en"):
        held = "; ".join(f"{number(v['still_held'])} {label(u, lang)}" for u, v in sorted(h.totals.items()))
        name = f"{h.name} ({h.party})" if h.name else h.party
        out.append(t("recall_notice", lang).format(recall=recall_id, party=name, lots=lots,
                                                   reason=reason_in(reason, reason_en, lang),
                                                   held=held or "0"))
    return out[0], out[1]


def _report(recall_id: str | None, status, reason: str, exp: Exposure, confirmed: dict[str, datetime],
            named: list[str], reason_en: str | None = None, **kw) -> RecallReport:
    notices = []
    for h in exp.holders:
        zh, en = _notice(recall_id or "—", reason, reason_en, h)
        notices.append(Notice(party=h.party, zh=zh, en=en, confirmed=h.party in confirmed,
                              confirmed_at=confirmed.get(h.party)))
    return RecallReport(recall_id=recall_id, status=status, reason=reason, reason_en=reason_en, exposure=exp,
                        notices=notices, unconfirmed=[p for p in named if p not in confirmed], **kw)


def plan_recall(store: GraphStore, codes: list[str], reason: str = "", reason_en: str | None = None) -> RecallReport:
    """What a recall of ``codes`` would reach — nothing is recorded."""
    sources = _sources(store, codes)
    return _report(None, "preview", reason, exposure(store, sources), {}, [], reason_en=reason_en)


def _sources(store: GraphStore, codes: list[str]) -> list[str]:
    """The lots a recall of ``codes`` acts on. A receipt's code (what a consumer bought, the consumer
    no holder to notify) stands for the lot it was sold from: the seller holds the rest of it."""
    if not codes:
        raise keyed(InvalidInput, "recall_name_lot", [refusal(None, "codes", "safety_empty")])
    lots = [resolve(store, c) for c in codes]
    made = store.get_events([lot.created_by for lot in lots if lot.created_by])
    out = []
    for lot in lots:
        se = made.get(lot.created_by) if lot.created_by else None
        sold = se is not None and se.retracted_by is None and se.event.type == "retail_sale" \
            and se.event.receipt == lot.code
        out.append(se.event.lot.code if sold else lot.code)
    return list(dict.fromkeys(out))


def start_recall(store: GraphStore, codes: list[str], reason: str, by: str = "inspector",
                 trigger: str = "inspector", trigger_events: list[str] | None = None,
                 recall_id: str | None = None, at: datetime | None = None, dry_run: bool = False,
                 principal: Principal | None = None, reason_en: str | None = None) -> RecallReport:
    """Start (record) a recall of ``codes``. Without ``recall_id`` one is made
    from the date and the lots, so starting the same recall twice the same day
    is a no-op that returns the recall as it stands. ``dry_run``: only show
    what it would reach (``plan_recall``). ``reason_en``: the reason in English
    when ``reason`` is its Chinese wording (a reason made by the system, not typed)."""
    if not reason or not reason.strip():
        raise keyed(InvalidInput, "recall_needs_reason", [refusal(None, "reason", "safety_empty")])
    reason_en = reason_en if reason_en and reason_en.strip() and reason_en != reason else None
    if dry_run:
        return plan_recall(store, codes, reason, reason_en)
    sources = _sources(store, codes)
    at = at or _now()
    recall_id = recall_id or _make_id(sources, at)
    prior = store.get_events([recall_event_id(recall_id)]).get(recall_event_id(recall_id))
    if prior is not None:
        if prior.retracted_by is None:
            return recall_report(store, recall_id)
        raise keyed(Conflict, "recall_id_retracted", [refusal(None, "recall_id", "record_id_used_reason")],
                    recall=recall_id)
    exp = exposure(store, sources)
    record(store, principal or local(by), [{
        "type": "recall", "event_id": recall_event_id(recall_id), "event_time": at.isoformat(), "party": by,
        "recall_id": recall_id, "lots": sources, "reason": reason, **({"reason_en": reason_en} if reason_en else {}),
        "trigger": trigger, "trigger_events": list(trigger_events or []), "affected": exp.affected,
        "holders": [h.party for h in exp.holders],
    }])
    return recall_report(store, recall_id)


def _make_id(sources: list[str], at: datetime) -> str:
    digest = hashlib.sha256("\n".join(sorted(sources)).encode()).hexdigest()[:8].upper()
    return f"RC{at.strftime('%Y%m%d')}-{digest}"


def recall_from_test(store: GraphStore, test_event_id: str, by: str = "inspector",
                     at: datetime | None = None, principal: Principal | None = None) -> RecallReport:
    """Start a recall of the lots a failed test covers."""
    se = store.get_events([test_event_id]).get(test_event_id)
    if se is None or se.retracted_by is not None:
        raise keyed(NotFound, "recall_no_test", [refusal(None, "event_id", "recall_test_unknown")],
                    event=test_event_id)
    ev = se.event
    if not isinstance(ev, Certificate) or ev.result.value != "fail":
        raise keyed(InvalidInput, "recall_not_failed_test", [refusal(None, "event_id", "recall_not_failed")],
                    event=test_event_id)
    # announced to holders and the public (notices, the consumer view): the kind of test, not its report's
    # number (a document number no public view shows); the recall names the test in ``trigger_events``
    reason = f"{label(ev.kind.value, 'zh')}不合格"
    reason_en = f"{label(ev.kind.value, 'en')} failed"
    return start_recall(store, list(ev.lots), reason, by=by, trigger="failed_test", principal=principal,
                        trigger_events=[test_event_id], at=at, reason_en=reason_en)


def _recall_event(store: GraphStore, recall_id: str) -> StoredEvent:
    se = store.get_events([recall_event_id(recall_id)]).get(recall_event_id(recall_id))
    if se is None:
        se = next((s for s in store.events_by_type(["recall"]) if getattr(s.event, "recall_id", None) == recall_id),
                  None)
    if se is None:
        raise keyed(NotFound, "recall_none", [refusal(None, "recall_id", "recall_unknown_id")], recall=recall_id)
    return se


def _confirmations(store: GraphStore, recall_ids: set[str]) -> dict[str, dict[str, datetime]]:
    out: dict[str, dict[str, datetime]] = {r: {} for r in recall_ids}
    for se in store.events_by_type(["recall_confirmation"]):
        ev: Any = se.event
        if se.retracted_by is None and ev.recall_id in out:
            out[ev.recall_id].setdefault(ev.party, ev.event_time)
    return out


def recall_report(store: GraphStore, recall_id: str) -> RecallReport:
    """A recall as it stands: its exposure now, the notices, who has confirmed."""
    se = _recall_event(store, recall_id)
    ev: Recall = se.event  # type: ignore[assignment]
    confirmed = _confirmations(store, {recall_id})[recall_id]
    status = "retracted" if se.retracted_by else ("closed" if all(h in confirmed for h in ev.holders) else "open")
    return _report(recall_id, status, ev.reason, exposure(store, list(ev.lots)), confirmed, list(ev.holders),
                   reason_en=ev.reason_en, trigger=ev.trigger.value, started_at=ev.event_time, started_by=ev.party)


def confirm_recall(store: GraphStore, recall_id: str, party: str, note: str | None = None,
                   quantity_removed: float | None = None, unit: str | None = None,
                   at: datetime | None = None, principal: Principal | None = None) -> RecallReport:
    """Record that holder ``party`` has acted on the recall (a no-op if it already has); ``principal``
    is who records it (default: the command line, for ``party``)."""
    report = recall_report(store, recall_id)
    if report.status == "retracted":
        raise keyed(Conflict, "recall_retracted", [refusal(None, "recall_id", "recall_retracted_reason")],
                    recall=recall_id)
    holder = next((h for h in report.exposure.holders if h.party == party), None)
    if holder is None:
        raise keyed(InvalidInput, "recall_not_a_holder", [refusal(None, "party", "recall_not_holding")],
                    party=party, recall=recall_id)
    if any(n.party == party and n.confirmed for n in report.notices):
        return report
    covered = _covered(store, recall_id)  # lots made from them since (packed, say) are not the recall's own
    raw = {"type": "recall_confirmation", "event_id": f"{recall_event_id(recall_id)}:confirmation:{party}",
           "event_time": (at or _now()).isoformat(), "party": party, "recall_id": recall_id,
           "lots": [e.code for e in holder.lots if e.code in covered]}
    raw.update({k: v for k, v in {"note": note, "quantity_removed": quantity_removed, "unit": unit}.items()
                if v is not None})
    record(store, principal or local(party), [raw])
    return recall_report(store, recall_id)


def _covered(store: GraphStore, recall_id: str) -> set[str]:
    """The lots a recall covers (``custody.covered_lots``)."""
    from foodtrace.services.capture.custody import covered_lots

    return covered_lots(store, _recall_event(store, recall_id).event)  # type: ignore[arg-type]


def recall_status(store: GraphStore, code: str) -> RecallStatus:
    """Whether a lot is recalled: a recall (not retracted) covers it or any lot
    it came from. For the consumer page's red banner."""
    lot = resolve(store, code)
    return recall_status_of(store, lot.code, store.lot_events(store.backward(lot.code).lots))


def recall_status_of(store: GraphStore, code: str, lineage_events: dict) -> RecallStatus:
    """``recall_status`` from the events of the lot's backward lineage, for a
    caller that has fetched them already (the consumer page)."""
    recalls: dict[str, Recall] = {}
    for events in lineage_events.values():
        for se in events:
            if isinstance(se.event, Recall):
                recalls[se.event.recall_id] = se.event
    confirmed = _confirmations(store, set(recalls)) if recalls else {}
    summaries = [RecallSummary(recall_id=r.recall_id, reason=r.reason, reason_en=r.reason_en, started_at=r.event_time,
                               status="closed" if all(h in confirmed[r.recall_id] for h in r.holders) else "open")
                 for r in sorted(recalls.values(), key=lambda r: r.event_time)]
    return RecallStatus(code=code, recalled=bool(summaries), recalls=summaries)


__all__ = ["plan_recall", "start_recall", "recall_from_test", "recall_report", "confirm_recall", "recall_status", "recall_status_of",
           "RecallReport", "RecallStatus", "Notice"]
