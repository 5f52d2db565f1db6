"""Public warnings (消费警示) and recall notices: what the office tells the
public, newest first, for the page /warnings and its Atom feed.

- ``publish_warning``: an inspector or admin publishes a consumption warning
  (title, text, products, optional lots) through the write door;
- ``public_notices``: every warning and every recall not retracted, each as a
  notice with its title and text in Chinese and English. A recall's reason is
  worded from what triggered it (a failed test names the test); the office's
  own reason, and a warning published only in Chinese, are shown as published
  (``quote``; ``title_en`` None: published in Chinese only); a reason the system
  made in both languages has its English wording in ``quote_en``.
"""

from __future__ import annotations

from datetime import datetime
import hashlib
from typing import Iterable

from pydantic import BaseModel

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import t
from foodtrace.model.events import Certificate, Recall
from foodtrace.model.warnings import ConsumptionWarning
from foodtrace.services.capture.access import Action, Principal, acting_party, require
from foodtrace.services.capture.scope import require_lots_in_scope
from foodtrace.services.capture.door import record
from foodtrace.services.tracing.identifiers import resolve

MAX_NOTICES = 200  # on the page and in the feed


class Notice(BaseModel):
    id: str  # the warning's or the recall's id (the page's anchor)
    kind: str  # warning | recall
    time: datetime
    title_zh: str
    title_en: str | None  # None: published in Chinese only (an English page shows it as published)
    text_zh: str
    text_en: str | None
    quote: str | None = None  # the office's own words (a recall's reason), in the language it wrote them
    quote_en: str | None = None  # the recall's reason in English, when it was made in both languages
    products: list[str]
    lots: list[str]


def warning_event_id(warning_id: str) -> str:
    return f"urn:foodtrace:warning:{warning_id}"


def publish_warning(store: GraphStore, principal: Principal | None, title: str, text: str, products: list[str],
                    lots: Iterable[str] = (), title_en: str | None = None, text_en: str | None = None,
                    at: datetime | None = None, warning_id: str | None = None, by: str | None = None) -> Notice:
    """Publish a consumption warning as the office (``by``: an admin may name the office)."""
    who = require(principal, Action.SUPERVISE)
    office = acting_party(who, by)
    at = at or datetime.now().astimezone()
    codes = list(dict.fromkeys(resolve(store, c).code for c in lots))
    require_lots_in_scope(store, who, codes, "lots")  # an inspector with areas: lots whose chains reach them
    warning_id = warning_id or "XF" + at.strftime("%Y%m%d") + "-" + hashlib.sha256(
        f"{title}\n{text}".encode()).hexdigest()[:6].upper()
    record(store, who, [{"type": "consumption_warning", "event_id": warning_event_id(warning_id),
                         "event_time": at.isoformat(), "party": office, "warning_id": warning_id, "title": title,
                         "text": text, "title_en": title_en, "text_en": text_en, "products": list(products),
                         "lots": codes}])
    return next(n for n in public_notices(store) if n.kind == "warning" and n.id == warning_id)


def _warning(w: ConsumptionWarning) -> Notice:
    products = [p.value for p in w.products]
    return Notice(id=w.warning_id, kind="warning", time=w.event_time, title_zh=w.title, text_zh=w.text,
                  title_en=w.title_en, text_en=w.text_en, products=products, lots=list(w.lots))


def _recall(store: GraphStore, r: Recall) -> Notice:
    lots = store.get_lots(r.lots)
    products = list(dict.fromkeys(lot.product.value for lot in lots.values() if lot.product))
    what = {lang: ("、" if lang == "zh" else ", ").join(t(p, lang) for p in products) or t("lot", lang)
            for lang in ("zh", "en")}
    tests = [se.event for se in store.get_events(r.trigger_events).values()
             if isinstance(se.event, Certificate) and se.event.result.value == "fail"]
    kinds = list(dict.fromkeys(c.kind.value for c in tests))
    texts = {}
    for lang in ("zh", "en"):
        texts[lang] = t("recall_notice_office", lang)
        if kinds:
            why = ("、" if lang == "zh" else ", ").join(t("recall_reason_test", lang).format(kind=t(k, lang))
                                                      for k in kinds)
            texts[lang] = t("recall_notice_reason", lang).format(reason=why) + ("" if lang == "zh" else " ") \
                + texts[lang]
    return Notice(id=r.recall_id, kind="recall", time=r.event_time,
                  title_zh=t("recall_notice_title", "zh").format(product=what["zh"]),
                  title_en=t("recall_notice_title", "en").format(product=what["en"]),
                  text_zh=texts["zh"], text_en=texts["en"], quote=None if kinds else r.reason,
                  quote_en=None if kinds else r.reason_en,
                  products=products, lots=list(r.lots))


def public_notices(store: GraphStore, limit: int = MAX_NOTICES) -> list[Notice]:
    """Every consumption warning and recall not retracted, newest first (at most ``limit``)."""
    found: list[Notice] = []
    for se in store.events_by_type(["consumption_warning", "recall"]):
        if se.retracted_by is not None:
            continue
        ev = se.event
        found.append(_warning(ev) if isinstance(ev, ConsumptionWarning) else _recall(store, ev))
    found.sort(key=lambda n: n.time, reverse=True)
    return found[:limit]


__all__ = ["Notice", "publish_warning", "public_notices", "warning_event_id", "MAX_NOTICES"]
