"""Text rendering of the food-safety rules' answers (check, gate, recall,
investigation, complaints) for the terminal, in Chinese or English."""

from __future__ import annotations

from foodtrace.i18n import label, t
from foodtrace.services.safety.complaints import ComplaintView
from foodtrace.services.safety.investigate import Investigation
from foodtrace.services.safety.recall import RecallReport
from foodtrace.services.safety.rules import CheckReport, Decision
from foodtrace.services.safety.rules.config import ANOMALY_KINDS
from foodtrace.services.safety.rules.findings import number


def _who(pid: str | None, name: str | None, lang: str) -> str:
    if not pid:
        return "?"
    return f"{name} [{pid}]" if name else pid


def _text(obj, lang: str) -> str:
    return obj.en if lang == "en" else obj.zh


def render_check(r: CheckReport, lang: str = "zh") -> str:
    out = [f"{t('check_title', lang)} · {r.events} {t('events', lang)} · {r.lots} {t('lots', lang)} · "
           f"{t('rules_file', lang)}: {r.rules}"]
    if not r.anomalies:
        out.append(f"✔ {t('no_anomalies', lang)}")
        return "\n".join(out)
    for kind in ANOMALY_KINDS:
        items = [a for a in r.anomalies if a.kind == kind]
        if not items:
            continue
        out.append(f"\n{t('kind_' + kind, lang)} ({len(items)})")
        for a in items:
            out.append(f"  ✘ {_text(a, lang)}")
            line = f"    {t('responsible', lang)}: {_who(a.party, a.party_name, lang)} · +{a.score} {t('points', lang)}"
            if a.reached:
                line += f" · {t('reached', lang)}: {', '.join(a.reached)}"
            out.append(line)
    out.append(f"\n{t('scores_title', lang)}")
    for s in r.scores:
        kind = label(s.kind, lang) if s.kind else t("unregistered", lang)
        out.append(f"  {s.score:>4} {t('points', lang)}  {_who(s.party, s.name, lang)} · {kind}")
    return "\n".join(out)


def render_decision(d: Decision, lang: str = "zh") -> str:
    verdict = f"✔ {t('accept', lang)}" if d.accept else f"✘ {t('reject', lang)}"
    out = [f"{t('entry_title', lang)} · {d.code} · {label(d.product, lang)} {number(d.quantity)} "
           f"{label(d.unit, lang)} → {d.receiver}", verdict]
    out += [f"  • {_text(r, lang)}" for r in d.reasons]
    return "\n".join(out)


def _qty(totals: dict[str, dict[str, float]], key: str, lang: str) -> str:
    return "; ".join(f"{number(v[key])} {label(u, lang)}" for u, v in sorted(totals.items())) or "0"


def render_recall(r: RecallReport, lang: str = "zh") -> str:
    e = r.exposure
    head = f"{t('recall_title', lang)} {r.recall_id or ''} · {t(r.status, lang)} · {r.reason_in(lang)}"
    out = [head.replace("  ", " "),
           f"{t('problem_lots', lang)}: {', '.join(e.sources)}",
           f"{t('affected_lots', lang)}: {len(e.affected)} · {t('holders', lang)}: {len(e.holders)} · "
           f"{t('sold_to_consumers', lang)}: {e.receipts} {t('receipts', lang)} "
           f"{'; '.join(f'{number(q)} {label(u, lang)}' for u, q in sorted(e.consumers.items())) or ''}".rstrip()]
    confirmed = {n.party for n in r.notices if n.confirmed}
    for h in e.holders:
        mark = "✔" if h.party in confirmed else "•"
        out.append(f"\n{mark} {_who(h.party, h.name, lang)} · {label(h.kind, lang)}")
        out.append(f"    {t('received', lang)} {_qty(h.totals, 'received', lang)} · {t('passed_on', lang)} "
                   f"{_qty(h.totals, 'passed_on', lang)} · {t('used', lang)} {_qty(h.totals, 'used', lang)} · "
                   f"{t('still_held', lang)} {_qty(h.totals, 'still_held', lang)}")
        out.append(f"    {t('bad_quantity', lang)}: {_qty(h.totals, 'bad_received', lang)} "
                   f"({t('still_held', lang)} {_qty(h.totals, 'bad_still_held', lang)})")
        for lot in h.lots:
            out.append(f"      {lot.code} · {label(lot.product, lang)} · {t('bad_share', lang)} "
                       f"{round(lot.share * 100, 1):g}%")
    if r.notices:
        out.append(f"\n{t('notices', lang)}")
        out += [f"  {_text(n, lang)}" for n in r.notices]
    if r.unconfirmed and r.status == "open":
        out.append(f"\n{t('unconfirmed_holders', lang)}: {', '.join(r.unconfirmed)}")
    return "\n".join(out)


def render_investigation(inv: Investigation, lang: str = "zh") -> str:
    n = len(inv.problem_lots)
    out = [f"{t('investigation_title', lang)} · {t('problem_lots', lang)}: {', '.join(inv.problem_lots)}",
           f"\n{t('shared_parties', lang)}"]
    for i, p in enumerate(inv.parties, start=1):
        out.append(f"  {i:>2}. {_who(p.party, p.name, lang)} · {label(p.kind, lang)} · {t('explains', lang)} "
                   f"{p.explains}/{n} · {t('lots_made', lang)} {p.lots_made}")
    out.append(f"\n{t('shared_lots', lang)}")
    for i, lot in enumerate(inv.lots, start=1):
        out.append(f"  {i:>2}. {lot.code} · {label(lot.product, lang)} · {lot.origin_party or '?'} · "
                   f"{t('explains', lang)} {lot.explains}/{n} · {t('descendants', lang)} {lot.descendants}")
    return "\n".join(out)


def render_complaints(items: list[ComplaintView], lang: str = "zh") -> str:
    out = [f"{t('complaints_title', lang)} ({len(items)})"]
    for c in items:
        links = ", ".join(c.recalls + c.cases)
        out.append(f"  {c.complaint_id} · {t('complaint_' + c.status, lang)} · {c.filed_at.date().isoformat()} · "
                   f"{label(c.channel, lang)} · {', '.join(c.lots)}" + (f" · {links}" if links else ""))
        out.append(f"      {c.description}" + (f" → {c.resolution}" if c.resolution else ""))
    return "\n".join(out)
