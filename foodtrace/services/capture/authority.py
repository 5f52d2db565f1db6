"""Authority: who may issue which certificate or test. The table is data (``rules.toml``
``[authority]``): the kinds of party that may issue each kind, and whether only about lots the
issuer made or holds. The issuer is the party that records it (``access.py`` sees to that for
businesses; an administrator may record for another party and is named in ``captured_by``)."""

from __future__ import annotations

from typing import Sequence

from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.model.event_base import _Event, optional
from foodtrace.model.events import Certificate, Handoff
from foodtrace.services.safety.rules.config import RuleConfig


def check_authority(store: GraphStore, events: Sequence[_Event], rules: RuleConfig,
                    trusted_load: bool = False) -> list[dict]:
    """Every certificate in ``events`` whose issuer may not issue it, as error details. A registered
    issuer of the wrong kind is always refused; an unregistered one is refused unless ``trusted_load``
    (the office loading a partner's file, whose parties may be registered later)."""
    certs = [(pos, ev) for pos, ev in enumerate(events) if isinstance(ev, Certificate)]
    if not certs:
        return []
    registered_here = {ev.registered.id: ev.registered for ev in events if ev.type == "party_registration"}
    parties = store.get_parties(sorted({ev.issuer for _, ev in certs} - set(registered_here)))
    parties.update(registered_here)
    # lot -> the parties that make or receive it in this batch, for the lots certificates name (only those
    # are asked: ``_Owned``, ``_not_own``)
    named = {code for _, cert in certs for code in cert.lots}
    made_here: dict[str, set[str]] = {}
    for ev in events:
        for code in ev.created_codes():
            if code in named:
                made_here.setdefault(code, set()).add(optional(ev, "to_party") or ev.party)
        if isinstance(ev, Handoff) and ev.lot.code in named:
            made_here.setdefault(ev.lot.code, set()).add(ev.to_party)
    problems: list[dict] = []
    owned = _Owned(store, [cert for _, cert in certs if getattr(rules.authority.get(cert.kind), "own", False)],
                   made_here)  # the lots of every ``own`` certificate: one lookup, whoever its issuer
    for pos, cert in certs:
        rule = rules.authority.get(cert.kind)
        if rule is None:
            continue
        issuer = parties.get(cert.issuer)
        if issuer is None and trusted_load:
            continue  # a partner's file names parties the office registers later: nothing to check them by
        if "*" not in rule.kinds and issuer is None:
            problems.append(refusal(pos, "issuer", "authority_unregistered", issuer=cert.issuer,
                                    kinds=list(rule.kinds), cert_kind=cert.kind.value))
            continue
        if not rule.allows(issuer.kind.value if issuer else None):
            problems.append(refusal(pos, "issuer", "authority_wrong_kind", party_kind=issuer.kind.value,
                                    cert_kind=cert.kind.value, kinds=list(rule.kinds)))
            continue
        if rule.own_only(issuer.kind.value if issuer else None):
            problems.extend(_not_own(owned, pos, cert, made_here))
    return problems


class _Owned:
    """The stored lots the batch's ``own`` certificates cover, and who held them: two lookups for the
    whole batch (``held_by`` asked lot by lot cost two queries per certificate)."""

    def __init__(self, store: GraphStore, certs: list[Certificate], made_here: dict[str, set[str]]):
        codes = sorted({c for cert in certs for c in cert.lots if cert.issuer not in made_here.get(c, ())})
        self.lots = store.get_lots(codes) if codes else {}
        ask = [c for c, lot in self.lots.items() if not lot.unconfirmed]
        self.holders = store.holders(ask) if ask else {}

    def held_by(self, code: str, party: str) -> bool:
        """``access.held_by``: ``party`` created the lot or held it (either side of a handoff)."""
        lot = self.lots[code]
        return lot.origin_party == party or any(party in (c.party, c.from_party) for c in self.holders.get(code, []))


def _not_own(owned: _Owned, pos: int, cert: Certificate, made_here: dict[str, set[str]]) -> list[dict]:
    """The lots of ``cert`` its issuer neither made nor held (``own`` certificates cover only those)."""
    out = []
    for i, code in enumerate(cert.lots):
        if cert.issuer in made_here.get(code, ()):
            continue
        lot = owned.lots.get(code)
        if lot is None or lot.unconfirmed:
            out.append(refusal(pos, f"lots[{i}]", "authority_lot_unknown", code=code, cert_kind=cert.kind.value))
        elif not owned.held_by(code, cert.issuer):
            out.append(refusal(pos, f"lots[{i}]", "authority_not_own", issuer=cert.issuer, code=code,
                               cert_kind=cert.kind.value))
    return out


__all__ = ["check_authority"]
