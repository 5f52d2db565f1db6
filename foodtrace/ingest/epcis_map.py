"""One EPCIS 2.0 event -> the events of our model (raw dicts for the capture
pipeline), each keeping the EPCIS original in ``epcis``.

| EPCIS | ours |
| --- | --- |
| ObjectEvent ADD | ``commission`` of the lots in epcList / quantityList |
| ObjectEvent OBSERVE/DELETE with a source and a destination party | ``handoff`` per lot |
| TransactionEvent with a source and a destination party | ``handoff`` per lot (document: the business transaction) |
| any event with certificationInfo naming lots | also a ``certificate`` (external) |
| TransformationEvent | ``transformation`` (only outputs: ``commission``) |
| AggregationEvent ADD / DELETE | ``aggregation`` pack / unpack (child lots -> pallet lot) |
| everything else (observations, sensor readings, AssociationEvent, …) | ``epcis_record``: stored, not traced, with the reason |

Lots are named by ``codes.canonical_code`` of their EPC / EPC class (the
canonical GS1 Digital Link URI). A count (no unit, EA, C62, H87) is ``head``
for live animals and ``piece`` otherwise; masses become kg; other units
cannot be traced. Products come from the document's master data when it
names them unambiguously, else ``other``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Any

from foodtrace.model.codes import CodeError, DigitalLink, canonical_code, gs1_identifier, party_of
from foodtrace.model.vocab import Commodity

MASS = {"KGM": 1.0, "GRM": 0.001, "TNE": 1000.0, "LBR": 0.45359237, "ONZ": 0.028349523125}
COUNT = {None, "EA", "C62", "H87", "XBX", "XPK", "XCS"}
SHIP_STEPS = {"shipping", "departing", "staging_outbound", "loading"}
PARTY_TYPES = ("possessing_party", "owning_party", "location")
KEYWORDS = [  # master-data description words -> commodity (first match wins)
    (("cattle", "cow", "bull", "steer", "活牛"), Commodity.LIVE_CATTLE),
    (("live pig", "hog", "swine", "生猪"), Commodity.LIVE_PIG),
    (("live sheep", "活羊"), Commodity.LIVE_SHEEP),
    (("beef", "steak", "ribeye", "sirloin", "牛肉"), Commodity.BEEF),
    (("pork", "猪肉"), Commodity.PORK),
    (("mutton", "lamb", "羊肉"), Commodity.MUTTON),
    (("chicken", "poultry", "duck", "禽"), Commodity.POULTRY),
    (("tomato", "番茄"), Commodity.TOMATO), (("cucumber", "黄瓜"), Commodity.CUCUMBER),
    (("lettuce", "生菜"), Commodity.LETTUCE), (("spinach", "菠菜"), Commodity.SPINACH),
    (("cabbage", "白菜"), Commodity.CABBAGE), (("potato", "土豆"), Commodity.POTATO),
    (("carrot", "胡萝卜"), Commodity.CARROT), (("pepper", "辣椒"), Commodity.PEPPER),
]


def bare(value: Any) -> str | None:
    """A CBV value in its bare form: ``https://ref.gs1.org/cbv/BizStep-shipping``,
    ``urn:epcglobal:cbv:bizstep:shipping`` and ``cbv:BizStep-shipping`` -> ``shipping``."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^(?:https://ref\.gs1\.org/cbv/|cbv:)[A-Za-z]+-(.+)$", value) or \
        re.match(r"^urn:epcglobal:cbv:[a-z]+:(.+)$", value)
    return m.group(1) if m else value


@dataclass
class MasterData:
    """Product descriptions by EPC class (GTIN Digital Link) from the document header."""

    names: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, doc: dict) -> "MasterData":
        md = cls()
        header = doc.get("epcisHeader") if isinstance(doc.get("epcisHeader"), dict) else {}
        vocab = (header.get("epcisMasterData") or {}).get("vocabularyList") or []
        for voc in vocab if isinstance(vocab, list) else []:
            if not isinstance(voc, dict) or not str(voc.get("type", "")).endswith("epcclass"):
                continue
            for el in voc.get("vocabularyElementList") or []:
                if not isinstance(el, dict) or not isinstance(el.get("id"), str):
                    continue
                text = " ".join(str(a.get("attribute")) for a in el.get("attributes") or []
                                if isinstance(a, dict) and re.search(r"description|name", str(a.get("id", "")), re.I))
                key = canonical_code(el["id"])
                if key in md.names and md.names[key] != text:
                    md.ambiguous.add(key)
                md.names[key] = text
        return md

    def product(self, code: str) -> tuple[Commodity, str | None]:
        ident = _gs1_link(code)
        key = f"https://id.gs1.org/01/{ident.key}" if ident and ident.ai == "01" else code
        text = self.names.get(key)
        if text is None or key in self.ambiguous:
            return Commodity.OTHER, None
        low = text.lower()
        for words, commodity in KEYWORDS:
            if any(w in low for w in words):
                return commodity, text[:500] or None
        return Commodity.OTHER, text[:500] or None


def _gs1_link(code: str) -> DigitalLink | None:
    """The GS1 identifier of a lot's code when it is a Digital Link; None for other codes and for a link that
    breaks a rule (such as a qualifier its key cannot have), which ``canonical_code`` keeps as a plain code."""
    if not code.startswith("https://"):
        return None
    try:
        return gs1_identifier(code)
    except CodeError:
        return None


class NotTraced(Exception):
    """This EPCIS event is stored as an ``epcis_record``, for this reason."""


@dataclass
class Lot:
    code: str
    quantity: float
    unit: str
    product: Commodity
    name: str | None = None
    gtin: str | None = None

    def qty(self) -> dict:
        return {"code": self.code, "quantity": self.quantity, "unit": self.unit}

    def spec(self) -> dict:
        out = {**self.qty(), "product": self.product.value}
        if self.name:
            out["name"] = self.name
        if self.gtin:
            out["gtin"] = self.gtin
        return out


class EventMapper:
    """Maps the events of one document (``md``: its master data)."""

    def __init__(self, md: MasterData):
        self.md = md

    # -- pieces -------------------------------------------------------------

    def lot(self, ident: str, quantity: Any = 1, uom: str | None = None) -> Lot:
        code = canonical_code(ident)
        product, name = self.md.product(code)
        if not isinstance(quantity, (int, float)) or isinstance(quantity, bool) or quantity <= 0:
            raise NotTraced(f"lot {code}: quantity {quantity!r} is not a positive number")
        if uom in MASS:
            qty, unit = float(quantity) * MASS[uom], "kg"
        elif uom in COUNT:
            qty, unit = float(quantity), "head" if product.value.startswith("live_") else "piece"
        else:
            raise NotTraced(f"lot {code}: unit {uom} cannot be traced (masses and counts only)")
        ident_gs1 = _gs1_link(code)
        gtin = ident_gs1.key if ident_gs1 and ident_gs1.ai == "01" and len(ident_gs1.key) == 14 else None
        return Lot(code, round(qty, 6), unit, product, name, gtin)

    def lots(self, e: dict, epcs: str, quantities: str) -> list[Lot]:
        out = [self.lot(x) for x in e.get(epcs) or [] if isinstance(x, str)]
        for q in e.get(quantities) or []:
            if isinstance(q, dict) and isinstance(q.get("epcClass"), str):
                out.append(self.lot(q["epcClass"], q.get("quantity"), q.get("uom")))
        seen: dict[str, Lot] = {}
        for lt in out:  # the same lot twice: one entry
            seen.setdefault(lt.code, lt)
        return list(seen.values())

    def codes(self, e: dict) -> list[str]:
        """Every lot an event names, whether or not it can be traced."""
        raw = [e.get("parentID")] + list(e.get("epcList") or []) + list(e.get("childEPCs") or [])
        raw += list(e.get("inputEPCList") or []) + list(e.get("outputEPCList") or [])
        for name in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
            raw += [q.get("epcClass") for q in e.get(name) or [] if isinstance(q, dict)]
        return list(dict.fromkeys(canonical_code(x) for x in raw if isinstance(x, str)))

    @staticmethod
    def party(e: dict) -> str:
        for where in ("bizLocation", "readPoint"):
            if isinstance(e.get(where), dict) and isinstance(e[where].get("id"), str):
                return party_of(e[where]["id"])
        for lst, key in (("sourceList", "source"), ("destinationList", "destination")):
            found = _party_in(e.get(lst), key)
            if found:
                return found
        return "unknown"

    # -- events -------------------------------------------------------------

    def map(self, e: dict, eid: str) -> tuple[list[dict], str | None]:
        """``([raw events], None)`` or ``([an epcis_record], reason)``."""
        base = {"event_time": e.get("eventTime"), "party": self.party(e)}
        try:
            events = self._map(e, base)
        except NotTraced as exc:
            return [self.record(e, eid, base, str(exc))], str(exc)
        for i, ev in enumerate(events):
            ev["event_id"] = eid if i == 0 else f"{eid}#{i + 1}"
        return events, None

    def record(self, e: dict, eid: str, base: dict, reason: str) -> dict:
        codes = [] if e.get("type") == "AssociationEvent" else self.codes(e)
        return {"type": "epcis_record", "event_id": eid, **base, "epcis_type": str(e.get("type")),
                "biz_step": (bare(e.get("bizStep")) or None), "lots": codes, "reason": reason[:500]}

    def _map(self, e: dict, base: dict) -> list[dict]:
        kind, action, step = e.get("type"), e.get("action"), bare(e.get("bizStep"))
        out: list[dict] = []
        if kind == "ObjectEvent":
            lots = self.lots(e, "epcList", "quantityList")
            if not lots:
                raise NotTraced("the event names no lot")
            if action == "ADD":
                out.append({"type": "commission", **base, "activity": "production", "lots": [x.spec() for x in lots]})
            else:
                out += self.handoffs(e, base, lots, step, required=not e.get("certificationInfo"))
            out += self.certificate(e, base, lots)
        elif kind == "TransactionEvent":
            lots = self.lots(e, "epcList", "quantityList")
            if e.get("parentID"):
                lots.insert(0, self.lot(e["parentID"]))
            out += self.handoffs(e, base, lots, step, required=True) + self.certificate(e, base, lots)
        elif kind == "TransformationEvent":
            ins = self.lots(e, "inputEPCList", "inputQuantityList")
            outs = self.lots(e, "outputEPCList", "outputQuantityList")
            if not outs:
                raise NotTraced("a transformation without outputs names no new lot")
            if {x.code for x in ins} & {x.code for x in outs}:
                raise NotTraced("a lot is both an input and an output (it would close a cycle)")
            if ins:
                out.append({"type": "transformation", **base, "kind": self.transform_kind(ins, outs, step),
                            "inputs": [x.qty() for x in ins], "outputs": [x.spec() for x in outs]})
            else:
                out.append({"type": "commission", **base, "activity": "production", "lots": [x.spec() for x in outs]})
            out += self.certificate(e, base, outs)
        elif kind == "AggregationEvent":
            out += self.aggregation(e, base, action, step)
        elif kind == "AssociationEvent":
            raise NotTraced("an association of physical assets (sensors, containers, parts) is kept, not traced")
        else:
            raise NotTraced(f"unknown event type {kind!r}")
        return out

    def handoffs(self, e: dict, base: dict, lots: list[Lot], step: str | None, required: bool) -> list[dict]:
        src, dst = _party_in(e.get("sourceList"), "source"), _party_in(e.get("destinationList"), "destination")
        if not (src and dst and src != dst):
            if required:
                raise NotTraced(f"{step or 'an observation'} without a source and a destination party "
                                "is not a change of custody we can trace")
            return []
        ship = step in SHIP_STEPS
        docs = [b.get("bizTransaction") for b in e.get("bizTransactionList") or [] if isinstance(b, dict)]
        doc = next((d for d in docs if isinstance(d, str)), None)
        out = []
        for lot in lots:
            ev = {"type": "handoff", **base, "party": src if ship else dst, "action": "ship" if ship else "receive",
                  "from_party": src, "to_party": dst, "lot": lot.qty()}
            if doc:
                ev["document"] = doc[:500]
            out.append(ev)
        return out

    def certificate(self, e: dict, base: dict, lots: list[Lot]) -> list[dict]:
        info = e.get("certificationInfo")
        if not info or not lots:
            return []
        number = info if isinstance(info, str) else str(info)
        return [{"type": "certificate", **base, "kind": "external_certificate", "number": number[:500],
                 "issuer": base["party"], "result": "pass", "lots": [x.code for x in lots]}]

    def aggregation(self, e: dict, base: dict, action: str | None, step: str | None) -> list[dict]:
        if not isinstance(e.get("parentID"), str):
            raise NotTraced("an aggregation without a parent (pallet, case) is not traced")
        children = self.lots(e, "childEPCs", "childQuantityList")
        parent = canonical_code(e["parentID"])
        if action == "ADD":
            if not children:
                raise NotTraced("packing without child lots")
            if any(c.code == parent for c in children):
                raise NotTraced("a pallet cannot contain itself")
            return [{"type": "aggregation", **base, "action": "pack", "parent": parent,
                     "parent_lot": self.pallet(parent, children), "children": [c.qty() for c in children]}]
        if action == "DELETE":
            return [{"type": "aggregation", **base, "action": "unpack", "parent": parent,
                     "children": [c.qty() for c in children]}]
        pallet = self.lot(e["parentID"])
        return self.handoffs(e, base, [pallet] + children, step, required=True)

    def pallet(self, code: str, children: list[Lot]) -> dict:
        products = {c.product for c in children}
        units = {c.unit for c in children}
        product = products.pop() if len(products) == 1 else Commodity.OTHER
        if len(units) == 1:
            qty, unit = sum(c.quantity for c in children), units.pop()
        else:
            qty, unit = float(len(children)), "piece"
        return {"code": code, "product": product.value, "quantity": round(qty, 6), "unit": unit}

    @staticmethod
    def transform_kind(ins: list[Lot], outs: list[Lot], step: str | None) -> str:
        from foodtrace.model.vocab import Category

        if step == "killing" or (any(i.product.category is Category.LIVESTOCK for i in ins)
                                 and all(o.product.category is Category.MEAT for o in outs)):
            return "slaughter"
        return {"repackaging": "repacking", "packing": "repacking"}.get(step or "", "processing")


def _party_in(entries: Any, key: str) -> str | None:
    """The party of a source or destination list: possessing party, then owning party, then location."""
    found: dict[str, str] = {}
    for s in entries if isinstance(entries, list) else []:
        if isinstance(s, dict) and isinstance(s.get(key), str):
            found.setdefault(bare(s.get("type")) or "location", s[key])
    for t in PARTY_TYPES:
        if t in found:
            return party_of(found[t])
    return None
