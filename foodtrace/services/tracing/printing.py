"""What a label sheet may print. A QR code is only worth printing when a
shopper's phone can open it, and a lot is only labelled when it may be sold:

- ``unscannable_base(base)``: the public base URL the codes would carry is a
  loopback, private, link-local or single-label host (a default install's
  ``http://127.0.0.1:8000``) — the sheet then prints nothing and says why;
- a recalled or non-compliant lot (the entry gate's verdict, ``safety.verdict``:
  ``recalled`` or ``fail``) gets no label but is listed with its reason.
"""

from __future__ import annotations

from datetime import datetime
import ipaddress
from urllib.parse import urlsplit

from pydantic import BaseModel

from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.config import RuleConfig
from foodtrace.services.safety.verdict import PublicReason, lot_verdict
from foodtrace.services.tracing.qr import Label

NOT_PRINTED = ("recalled", "fail")


class Withheld(BaseModel):
    code: str
    product: str | None
    verdict: str
    reasons: list[PublicReason]


class Sheet(BaseModel):
    labels: list[Label]  # the labels to print (none when ``unscannable`` is set)
    withheld: list[Withheld]  # lots not labelled, with why
    unscannable: str | None = None  # the base URL no phone can open, when it is one


def unscannable_base(base: str) -> bool:
    """Whether a phone outside this machine's network could not open links under ``base``."""
    host = (urlsplit(base if "//" in base else f"//{base}").hostname or "").lower().rstrip(".")
    if not host or host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan")):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a single-label name resolves only inside a network
    return not ip.is_global


def printable_sheet(store: GraphStore, items: list[Label], base: str, rules: RuleConfig | None = None,
                    at: datetime | None = None) -> Sheet:
    """Split the labels of a sheet into those to print and the lots withheld (with the reasons)."""
    at = at or datetime.now().astimezone()
    keep: list[Label] = []
    withheld: list[Withheld] = []
    for item in items:
        events = store.lot_events(store.backward(item.code).lots)
        v = lot_verdict(store, item.code, events, at, rules)
        if v.verdict in NOT_PRINTED:
            withheld.append(Withheld(code=item.code, product=item.product, verdict=v.verdict, reasons=v.reasons))
        else:
            keep.append(item)
    if unscannable_base(base):
        return Sheet(labels=[], withheld=withheld, unscannable=base)
    return Sheet(labels=keep, withheld=withheld)


__all__ = ["Sheet", "Withheld", "printable_sheet", "unscannable_base"]
