"""The consumer's view of a lot (the QR code on a pack or a receipt): its
product, origin, slaughter or harvest time, journey through businesses,
certificates and tests, and recall status.

Built field by field from a backward trace (a whitelist): never quantities,
prices, document or certificate numbers, party ids, people's names or
contacts — only registered *business* names and kinds.
"""

from __future__ import annotations

import hashlib
from collections import deque
from datetime import datetime
from json import dumps as json_dumps
from pathlib import Path
import struct
import threading
import zlib

from pydantic import BaseModel, ConfigDict

from foodtrace import __version__
from foodtrace.graph.kept_views import Persisted
from foodtrace.graph.readcache import ReadModel
from foodtrace.graph.store import GraphStore
from foodtrace.model.common import _CONTROL
from foodtrace.model.events import Recall
from foodtrace.model.registry import ALL_LABELS as LABELS
from foodtrace.services.safety.rules.config import RuleConfig, load_rules
from foodtrace.services.safety.verdict import PublicReason, lot_verdict, recalled_reason
from foodtrace.services.tracing.areas import area_name
from foodtrace.services.tracing.identifiers import plain_code, resolve
from foodtrace.services.tracing.trace import (LotNode, LotPiece, NotOwnCode, PartyRef, Trace, assemble,
                                              lot_pieces)


class Label(BaseModel):
    zh: str
    en: str


class PublicModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)  # one kept view serves every scan: nobody may edit it


class Business(PublicModel):
    name: str | None  # None: an unregistered business
    kind: str | None
    kind_label: Label | None
    area_code: str | None
    area: Label | None = None  # the area's name (GB/T 2260), when the dataset knows the code


class Step(PublicModel):
    step: str  # raising, harvest, slaughter, cutting…, receive, retail_sale
    step_label: Label
    business: Business
    time: datetime


class CertificateOrTest(PublicModel):
    kind: str
    kind_label: Label
    is_test: bool
    result: str  # pass | fail
    result_label: Label
    issuer: Business
    time: datetime


class PublicLot(PublicModel):
    code: str
    verdict: str  # pass | incomplete | fail | recalled: the entry gate's rules (services.safety.verdict)
    verdict_reasons: list[PublicReason]  # one public sentence per problem, gravest first
    recall_ids: list[str]  # the recalls it is under (each has a public notice on /warnings)
    product: str | None
    product_label: Label | None
    origins: list[Business]  # the farms or bases it began at
    slaughtered_at: datetime | None
    harvested_at: datetime | None
    journey: list[Step]
    businesses: list[Business]  # each business it passed through, in journey order
    certificates: list[CertificateOrTest]
    recalled: bool  # it, or a lot it was made from, is under recall
    recall_reasons: list[str]  # each recall's reason, as the office announced it (made from a failed test: Chinese)
    recall_reasons_en: list[str | None]  # the same recalls' reasons in English; None: one text, as announced
    complete: bool  # False when some upstream records have not been reported


def _label(value: str | None) -> dict | None:
    if value is None:
        return None
    zh, en = LABELS.get(value, (value, value))
    return {"zh": zh, "en": en}


def _business(ref: PartyRef | None) -> dict:
    """A business as plain data: the view is built as data and checked against ``PublicLot`` once."""
    if ref is None or ref.name is None:
        return {"name": None, "kind": None, "kind_label": None, "area_code": None}
    zh, en = area_name(ref.area_code, "zh"), area_name(ref.area_code, "en")
    return {"name": ref.name, "kind": ref.kind, "kind_label": _label(ref.kind), "area_code": ref.area_code,
            "area": {"zh": zh, "en": en} if zh and en else None}


def _steps(tr: Trace) -> list[tuple[datetime, str, str]]:
    """(time, step, party id) of every event on the lot's path: each lot's
    making, and each plain receipt by the party that then made the next lot.
    In time order; at equal times upstream first, a lot's making before its receipt."""
    nodes = {n.code: n for n in tr.lots}
    out: dict[tuple[str, str], tuple] = {}
    for n in tr.lots:
        if n.made_by is None:
            continue
        mb = n.made_by
        party = mb.party
        if mb.type == "handoff":
            party = next((h.party for h in n.holders if h.role == "issued"), party)
        step = "receive" if mb.type == "handoff" else (mb.kind or mb.type)
        out[(mb.event_id, party)] = (mb.time, -n.depth, 0, step, party)
    for e in tr.edges:
        parent, child = nodes.get(e.source), nodes.get(e.target)
        if parent is None or child is None or child.made_by is None:
            continue
        maker = child.made_by.party
        for h in parent.holders:
            if h.role == "received" and h.party == maker and (h.event_id, maker) not in out:
                out[(h.event_id, maker)] = (h.since, -parent.depth, 1, "receive", maker)
    steps: list[tuple[datetime, str, str]] = []
    for time, _, _, step, party in sorted(out.values()):
        if steps and steps[-1][1:] == (step, party) and step == "receive":
            continue  # the same business receiving again (one lot in several deliveries): one step
        steps.append((time, step, party))
    return steps


def _first(nodes: list[LotNode], kind: str) -> datetime | None:
    return next((n.made_by.time for n in nodes if n.made_by and n.made_by.kind == kind), None)


class ReadyView:
    """A lot's public view kept as its JSON (what the public API sends; a few KB, where the objects
    would take ten times that); ``lot`` reads it back for the page. A view just built also holds the
    ``PublicLot`` it was made from, so the page of a first scan is rendered without reading the JSON back:
    only the ``_FRESH_VIEWS`` views built last hold theirs (a bound on that memory), and a view gives it
    up on the first ``lot`` (the page is rendered once, then kept).

    ``page``: the consumer page of the view as kept in the store's file with it, or None — bytes the API made
    (the page rendered in one language and zone, compressed: ``api/filed_page.py``, ``api/routes/pages.py``'s
    ``file_page``) and reads back when it serves the page; opaque here, kept and checked as they are. A view
    read from the file with its page is not read back into a ``PublicLot`` unless ``lot`` is asked (the page is
    served as kept), and its JSON is inflated only when first asked (``json``; ``zjson``: its compressed
    stream, checked when the row was read)."""

    __slots__ = ("_json", "_zjson", "_fresh", "page", "__weakref__")

    def __init__(self, lot: PublicLot | None, json: bytes | None = None,
                 page: bytes | None = None, zjson: bytes | None = None):
        self._json = lot.model_dump_json().encode() if json is None and zjson is None else json
        self._zjson = zjson
        self._fresh: PublicLot | None = lot
        self.page = page
        if lot is None:
            return
        with _FRESH_LOCK:  # views are built in several threads: the bound holds for all of them
            if len(_FRESH) == _FRESH.maxlen:
                _FRESH[0]._fresh = None  # the oldest fresh view's object goes (the deque drops the view)
            _FRESH.append(self)

    @property
    def json(self) -> bytes:
        """The view's JSON (what the public API sends)."""
        json = self._json
        if json is None:  # read from the file with its page: inflated the first time it is asked
            json = self._json = _inflated(self._zjson, _zdict())[0]  # type: ignore[arg-type]
            self._zjson = None
        return json

    @property
    def lot(self) -> PublicLot:
        fresh, self._fresh = self._fresh, None
        return fresh if fresh is not None else PublicLot.model_validate_json(self.json)


PAGE_FIRST = b"P"  # a row that holds its page starts so (a zlib stream starts with 0x78)
_ROW_HEAD = struct.Struct("<II")  # after PAGE_FIRST: the CRC-32 of the rest of the row, the page's length


def _encoded(view: ReadyView) -> bytes:
    """The view's JSON compressed with ``_zdict``; or, when the view holds its page, ``PAGE_FIRST``, the CRC-32
    of the page and the JSON's stream, the page's length (``_ROW_HEAD``), the page as the API made it (opaque
    here), then the JSON's compressed stream — found without inflating the page."""
    z = zlib.compressobj(6, zdict=_zdict())
    zjson = z.compress(view.json) + z.flush()
    page = view.page
    if page is None:
        return zjson
    return PAGE_FIRST + _ROW_HEAD.pack(zlib.crc32(zjson, zlib.crc32(page)), len(page)) + page + zjson


def _inflated(body: bytes, zdict: bytes) -> tuple[bytes, bytes]:
    """(one zlib stream of ``body`` inflated, the bytes after it); raises on a damaged or cut stream."""
    z = zlib.decompressobj(zdict=zdict)
    out = z.decompress(body) + z.flush()
    if not z.eof:
        raise zlib.error("a kept view cut short")
    return out, z.unused_data


_START = len(PAGE_FIRST) + _ROW_HEAD.size


def _decoded(body: bytes) -> ReadyView:
    """A view read back from the store's file. With its page: the page served as kept (the API inflates it),
    the JSON neither read back nor inflated until asked — both checked by the row's CRC-32, so a damaged row
    raises here, not when the page is served or the API asks for the JSON (the file is the store's own, written
    by this build); without: checked against ``PublicLot`` (a damaged row raises; the page of the scan is
    rendered from the object the check made)."""
    if not body.startswith(PAGE_FIRST):
        json, rest = _inflated(body, _zdict())
        if rest:
            raise zlib.error("a kept view is followed by stray bytes")
        return ReadyView(PublicLot.model_validate_json(json), json)
    if len(body) < _START:
        raise zlib.error("a kept view cut short")
    crc, size = _ROW_HEAD.unpack_from(body, len(PAGE_FIRST))
    end = _START + size
    if len(body) <= end or crc != zlib.crc32(memoryview(body)[_START:]):
        raise zlib.error("a kept view's page or JSON is damaged")
    return ReadyView(None, page=body[_START:end], zjson=body[end:])


_ZDICT: list[bytes] = []


def _zdict() -> bytes:
    """The compression's preset dictionary: what every view repeats, from the code alone (no data) — the
    labels of the vocabulary and the view's field names (a view's row takes 2.5 times less room with it)."""
    if not _ZDICT:
        label = {"zh": "", "en": ""}
        business = {"name": "", "kind": "", "kind_label": label, "area_code": "", "area": label}
        step = {"step": "", "step_label": label, "business": business, "time": "2025-01-01T00:00:00+08:00"}
        cert = {"kind": "", "kind_label": label, "is_test": False, "result": "pass", "result_label": label,
                "issuer": business, "time": "2025-01-01T00:00:00+08:00"}
        skeleton = PublicLot.model_validate({
            "code": "", "verdict": "pass", "verdict_reasons": [], "recall_ids": [], "product": "",
            "product_label": label, "origins": [business], "slaughtered_at": None,
            "harvested_at": "2025-01-01T00:00:00+08:00", "journey": [step], "businesses": [business],
            "certificates": [cert], "recalled": False, "recall_reasons": [], "recall_reasons_en": [],
            "complete": True})
        labels = "".join(json_dumps({"zh": zh, "en": en}, ensure_ascii=False, separators=(",", ":"))
                         for zh, en in LABELS.values())
        _ZDICT.append((labels.encode() + skeleton.model_dump_json().encode())[-32768:])
    return _ZDICT[0]


_PERSISTED: list[Persisted] = []
_SKIPPED = {"static", "__pycache__"}  # folders of no build: files served as they are, Python's caches
VIEW_FORMAT = 5  # bumped by hand when the encoding of kept views changes


def persisted() -> Persisted:
    """How the views are kept in the store's file (``graph.kept_views``), with the build they belong to: a
    hash of the encoding's format, the release, ``PublicLot``'s schema and the package's own files (code and
    data, the templates too: any change to what builds a view or its page makes another build, whose views are
    built anew; not the files served as they are, under a folder ``static``, nor Python's caches). Made once a
    process (tens of milliseconds: every file is read); the app makes it at startup (``api/app.py``'s lifespan),
    so that no scan waits for it."""
    if not _PERSISTED:
        h = hashlib.blake2b(digest_size=8)
        h.update(f"{VIEW_FORMAT}\x1f{__version__}\x1f".encode())
        h.update(json_dumps(PublicLot.model_json_schema(), sort_keys=True).encode())
        root = Path(__file__).resolve().parents[2]
        for f in sorted(root.rglob("*")):
            rel = f.relative_to(root).as_posix()
            if f.is_file() and not _SKIPPED.intersection(f.relative_to(root).parts):
                h.update(rel.encode())
                h.update(f.read_bytes())
        _PERSISTED.append(Persisted(int.from_bytes(h.digest(), "big", signed=True), _encoded, _decoded))
    return _PERSISTED[0]


_FRESH_VIEWS = 16  # views just built that still hold their object (a first scan's page is rendered at once)
_FRESH: deque[ReadyView] = deque(maxlen=_FRESH_VIEWS)
_FRESH_LOCK = threading.Lock()


def public_view(store: GraphStore, code: str, rules: RuleConfig | None = None) -> PublicLot:
    """What a consumer may see of lot ``code`` (a trace code, receipt code or QR link), with the
    verdict the market-entry gate's rules give it at the time it reached its last holder."""
    return ready_view(store, code, rules).lot


READ_MODEL = "public_lot"
_RULES: dict[int, tuple[RuleConfig, str]] = {}  # id -> (rules, digest of their content); load_rules caches a few


def view_key(code: str, rules: RuleConfig) -> str:
    """The key the store keeps the view of lot ``code`` under (``READ_MODEL``; in memory and in the file), for
    ``ready_view``, ``kept_view`` and ``view_fill``: the lot's code and the rules its verdict was judged by (a
    changed rules file makes new keys; the old views age out). The rules' content, not where they were read
    from: a server and ``foodtrace db views`` reading the same rules from two paths keep the same views."""
    known = _RULES.get(id(rules))
    if known is None or known[0] is not rules:
        if len(_RULES) > 64:
            _RULES.clear()
        known = _RULES[id(rules)] = (rules, hashlib.sha256(rules.model_dump_json(exclude={"source"}).encode()).hexdigest()[:16])
    return f"{code}\x1f{known[1]}"


def ready_view(store: GraphStore, code: str, rules: RuleConfig | None = None) -> ReadyView:
    """``public_view`` and its JSON, kept by the store as a read model (``GraphStore.read_model``): built
    once, then served as is until an event touches a lot it was built from (a recall, a retraction, a new
    certificate or test upstream, a complaint) or re-registers a party it names."""
    rules = rules or load_rules()
    plain = plain_code(code)
    if plain:  # kept, or built at once if a lot has this code (no look-up first: the build reads its row)
        try:
            return store.read_model(READ_MODEL, view_key(plain, rules),
                                    lambda: build_view(store, plain, rules, own=True), persisted())
        except NotOwnCode:
            pass  # no lot has this very code (or only an unconfirmed one): it is resolved as any other text
    found = resolve(store, code).code
    return store.read_model(READ_MODEL, view_key(found, rules), lambda: build_view(store, found, rules), persisted())


def kept_view(store: GraphStore, code: str, rules: RuleConfig) -> ReadyView | None:
    """The view of ``code`` if the store has it kept and can say so without waiting (an event loop
    asks this first; ``ready_view`` in a worker thread otherwise): kept in memory, or in the store's file."""
    plain = plain_code(code)
    return store.kept_now(READ_MODEL, view_key(plain, rules), persisted()) if plain else None


def build_view(store: GraphStore, code: str, rules: RuleConfig, own: bool = False) -> ReadModel:
    """Build the public view of lot ``code`` from the store, judged by ``rules``: the ``ReadModel`` the store
    keeps (under ``view_key``) — the ``ReadyView`` and the lots and parties it was built from, whose events
    drop it. ``own``: ``code`` as scanned, not resolved: ``NotOwnCode`` (nothing kept) unless a lot of that
    very code is confirmed, for which ``resolve`` gives that lot."""
    lineage = store.backward(code)
    # most are kept: upstream lots are shared by many packs
    pieces = lot_pieces(store, sorted(lineage.lots), own=code if own else None)
    tr = assemble(store, lineage, "backward", pieces)
    events = {c: list(p.stored) for c, p in pieces.items()}  # for the entry gate's verdict
    view = ReadyView(_public(store, tr, _recalls(pieces), events, rules))
    return ReadModel(view, lineage.lots, frozenset(tr.parties))


def _recalls(pieces: dict[str, LotPiece]) -> list[Recall]:
    """The recalls (not retracted) naming a lot of the lineage, oldest first: whether open or closed, the
    lot stays recalled for the consumer."""
    found = {r.recall_id: r for p in pieces.values() for r in p.recalls}
    return sorted(found.values(), key=lambda r: r.event_time)


def _public(store: GraphStore, tr: Trace, recalls: list[Recall], events: dict, rules: RuleConfig) -> PublicLot:
    """The view as plain data, validated into ``PublicLot`` (its whitelist) in one call."""
    root = tr.lot(tr.root)
    nodes = sorted(tr.lots, key=lambda n: (n.depth, n.code))
    journey = [{"step": step, "step_label": _label(step), "business": _business(tr.parties.get(pid)), "time": time}
               for time, step, pid in _steps(tr)]
    businesses: list[dict] = []
    for s in journey:
        if s["business"] not in businesses:
            businesses.append(s["business"])
    at = max((s["time"] for s in journey), default=None) or (root.made_by.time if root and root.made_by else None)
    verdict = lot_verdict(store, tr.root, events, at or datetime.now().astimezone(), rules)
    recall_ids = list(dict.fromkeys([*verdict.recall_ids, *(r.recall_id for r in recalls)]))
    reasons = verdict.reasons
    if recall_ids and not any(r.code == "recalled" for r in reasons):
        reasons = [recalled_reason(), *reasons]
    certs = sorted((c for n in nodes for c in n.certificates + n.tests), key=lambda c: (c.time, c.kind))
    origin_ids = dict.fromkeys(n.made_by.party for n in reversed(nodes) if n.made_by and n.made_by.type == "commission")
    return PublicLot.model_validate({
        "code": tr.root,
        "verdict": "recalled" if recall_ids else verdict.verdict,
        "verdict_reasons": reasons,
        "recall_ids": recall_ids,
        "product": root.product if root else None,
        "product_label": _label(root.product if root else None),
        "origins": [_business(tr.parties.get(pid)) for pid in origin_ids],
        "slaughtered_at": _first(nodes, "slaughter"),
        "harvested_at": _first(nodes, "harvest"),
        "journey": journey,
        "businesses": businesses,
        "certificates": [{"kind": c.kind, "kind_label": _label(c.kind), "is_test": c.is_test, "result": c.result,
                          "result_label": _label(c.result), "issuer": _business(tr.parties.get(c.issuer)),
                          "time": c.time} for c in certs],
        "recalled": bool(recalls),
        "recall_reasons": [r.reason for r in recalls],
        "recall_reasons_en": [r.reason_en for r in recalls],
        "complete": not tr.gaps,
    })


def visible_text(text: str | None) -> str:
    """A shopper's text without the characters nobody sees — those the model refuses in any text (controls but
    tab and line breaks, zero-width spaces, direction marks and overrides) and byte-order marks — trimmed. Text
    pasted from a chat app carries them; the shopper cannot see them to remove them, and a direction override
    would turn the text round when an inspector reads it: they are dropped, not refused."""
    return _CONTROL.sub("", text or "").replace("\ufeff", "").strip()


def consumer_complaint(store: GraphStore, code: str, description: str, contact: str | None = None):
    """A consumer's "report a problem" on the lot behind a QR code: filed
    online as a complaint on that lot (the office sees it in its complaint list)."""
    from foodtrace.errors import InvalidInput
    from foodtrace.i18n.keyed import keyed
    from foodtrace.i18n.refusals import refusal
    from foodtrace.services.safety.complaints import file_complaint

    description = visible_text(description)
    if not description:
        raise keyed(InvalidInput, "complaint_describe", [refusal(None, "description", "complaint_empty")])
    if len(description) > 500:
        raise keyed(InvalidInput, "complaint_too_long", [refusal(None, "description", "complaint_at_most", max=500)],
                    max=500)
    contact = visible_text(contact) or None
    if contact and len(contact) > 200:  # refused, never cut short: what is stored is what was sent
        raise keyed(InvalidInput, "complaint_contact_too_long", [refusal(None, "contact", "complaint_at_most", max=200)],
                    max=200)
    from foodtrace.services.capture.principal import system

    # recorded by the public form itself (no key, no person): ``captured_by`` "system:complaint_form"
    return file_complaint(store, [code], description, channel="online", by="consumer", complainant=contact,
                          principal=system("complaint_form", "consumer"))
