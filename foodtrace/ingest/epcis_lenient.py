"""Leniency where the intent of an EPCIS 2.0 document is clear: deviations that change no
event's meaning are repaired before validation, each with a warning naming the field.

| found | read as |
| --- | --- |
| a document ``id`` that is a JSON-LD blank node (``"_:document1"``) | no document id |
| ``schemaVersion`` given as a number (``2.0``) | the same version as text (``"2.0"``) |
| a single object or string where a list is expected (``"sourceList": {…}``) | a list of one |
| an empty optional id (``"eventID": ""``, ``"transformationID": ""``) | no such id |
| an event ``id`` instead of ``eventID`` | ``eventID`` (a blank node: no event id; the event hash is used) |
| ``type`` on a sensor element (``"type": "epcis:SensorElement"``) | left out |
| ``epcisHeader`` on an ``EPCISQueryDocument`` | kept for its master data, not validated |
| a GLN Digital Link (``bizLocation``, ``readPoint``, ``sourceList``, ``destinationList``) with a wrong check digit | the party's id as given, with a warning |

A wrong check digit of a key that names a lot (GTIN, SSCC…) is not repaired: the write door refuses it
(``services.capture.check_digits``). A party's or a place's GLN only says where and who; partners'
documents (IFT's beef example among them) carry made-up GLNs, so it is kept and warned about.

Everything else is validated against the schema: a violation inside an event refuses that
event (its position, field and reason); one in the document's frame refuses the document.
"""

from __future__ import annotations

import copy
from typing import Any

from foodtrace.i18n.epcis_warnings import Keyed
from foodtrace.model.codes import CodeError, gs1_identifier

EVENT_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList", "quantityList", "childQuantityList",
               "inputQuantityList", "outputQuantityList", "bizTransactionList", "sourceList", "destinationList",
               "sensorElementList")
ERROR_LISTS = ("correctiveEventIDs",)
PLACES = ("bizLocation", "readPoint")
PARTY_LISTS = (("sourceList", "source"), ("destinationList", "destination"))
EMPTY_IDS = ("eventID", "transformationID")


def _blank(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("_:")


def repair(doc: Any) -> tuple[Any, list[str]]:
    """A copy of ``doc`` with the deviations above repaired, and one warning per repair."""
    if not isinstance(doc, dict):
        return doc, []
    doc = copy.deepcopy(doc)
    warnings: list[str] = []
    if _blank(doc.get("id")):
        warnings.append(Keyed("blank_document_id", where="id", given=doc.pop("id")))
    version = doc.get("schemaVersion")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        doc["schemaVersion"] = str(version)
        warnings.append(Keyed("version_as_number", where="schemaVersion", given=version, text=str(version)))
    body = doc.get("epcisBody")
    if doc.get("type") in {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent",
                           "AssociationEvent"}:
        _event(doc, "(event)", warnings)
        return doc, warnings
    where = "epcisBody/eventList"
    if isinstance(body, dict) and isinstance(body.get("queryResults"), dict):
        body = body["queryResults"].get("resultsBody")
        where = "epcisBody/queryResults/resultsBody/eventList"
    events = body.get("eventList") if isinstance(body, dict) else None
    if isinstance(events, dict):
        body["eventList"] = events = [events]
        warnings.append(Keyed("one_event_not_list", where=where))
    for i, ev in enumerate(events if isinstance(events, list) else []):
        if isinstance(ev, dict):
            _event(ev, f"{where}/{i}", warnings)
    return doc, warnings


def _event(ev: dict, where: str, warnings: list[str]) -> None:
    for key in EMPTY_IDS:
        if ev.get(key) == "":
            del ev[key]
            warnings.append(Keyed("empty_left_out", where=f"{where}/{key}"))
    if "id" in ev:
        given = ev.pop("id")
        if "eventID" not in ev and isinstance(given, str) and given and not _blank(given):
            ev["eventID"] = given
            warnings.append(Keyed("id_as_event_id", where=f"{where}/id", given=given))
        else:
            warnings.append(Keyed("id_not_event_id", where=f"{where}/id", given=given))
    for key in EVENT_LISTS:
        if isinstance(ev.get(key), (dict, str)):
            ev[key] = [ev[key]]
            warnings.append(Keyed("one_not_list", where=f"{where}/{key}"))
    decl = ev.get("errorDeclaration")
    if isinstance(decl, dict):
        for key in ERROR_LISTS:
            if isinstance(decl.get(key), str):
                decl[key] = [decl[key]]
                warnings.append(Keyed("one_not_list", where=f"{where}/errorDeclaration/{key}"))
    _glns(ev, where, warnings)
    for j, el in enumerate(ev.get("sensorElementList") or []):
        if isinstance(el, dict):
            if "type" in el:
                el.pop("type")
                warnings.append(Keyed("sensor_type_left_out", where=f"{where}/sensorElementList/{j}/type"))
            if isinstance(el.get("sensorReport"), dict):
                el["sensorReport"] = [el["sensorReport"]]
                warnings.append(Keyed("one_not_list", where=f"{where}/sensorElementList/{j}/sensorReport"))


def _glns(ev: dict, where: str, warnings: list[str]) -> None:
    """A warning for each GLN of a place or party of ``ev`` with a wrong check digit."""
    named = [(f"{where}/{key}/id", ev[key].get("id")) for key in PLACES if isinstance(ev.get(key), dict)]
    for lst, key in PARTY_LISTS:
        entries = ev.get(lst)
        named += [(f"{where}/{lst}/{j}/{key}", s.get(key)) for j, s in enumerate(entries if isinstance(entries, list)
                                                                                   else []) if isinstance(s, dict)]
    for at, given in named:
        if not isinstance(given, str) or not given.lower().startswith(("http://", "https://")):
            continue
        try:
            gs1_identifier(given, strict=True)
        except CodeError as exc:
            if exc.key == "code_key_check_digit":
                warnings.append(Keyed("gln_check_digit", where=at, given=given, expected=exc.args_of_key["expected"]))


def without_query_header(doc: Any) -> tuple[Any, list[str]]:
    """What is validated of a query document that carries an ``epcisHeader`` (2.0's schema has none there)."""
    if isinstance(doc, dict) and doc.get("type") == "EPCISQueryDocument" and "epcisHeader" in doc:
        rest = {k: v for k, v in doc.items() if k != "epcisHeader"}
        return rest, [Keyed("query_header", where="epcisHeader")]
    return doc, []
