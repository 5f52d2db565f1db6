"""Text rendering of supervision records for the terminal, in Chinese or English."""

from __future__ import annotations

from foodtrace.i18n import label, t
from foodtrace.services.safety.rules.findings import number
from foodtrace.services.supervision import (
    CampaignReport,
    CaseEvidence,
    CaseView,
    CommitmentView,
    DestructionView,
    InspectionView,
    RecordRef,
    RiskRanking,
    TrainingView,
)


def _day(x) -> str:
    return x.date().isoformat() if hasattr(x, "date") else str(x)


def _list(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items) or t("none", lang)


def _money(v: float, lang: str) -> str:
    return f"{v:,.2f} {t('yuan', lang)}"


def render_inspection(i: InspectionView, lang: str = "zh") -> str:
    who = f"{i.subject_name} [{i.subject}]" if i.subject_name else i.subject
    mark = "✔" if i.outcome == "no_problem" else "✘"
    out = [f"{mark} {i.inspection_id} · {_day(i.time)} · {label(i.mode, lang)} · {who} · {label(i.outcome, lang)}"
           + (f" · {i.notice_number}" if i.notice_number else "")]
    out.append(f"    {t('inspectors', lang)}: {_list(i.inspectors, lang)}"
               + (f" · {label('campaign', lang)} {i.campaign_id}" if i.campaign_id else "")
               + (f" · {t('rectify_by', lang)} {i.rectify_by}" if i.rectify_by else ""))
    out += [f"    • {f}" for f in i.findings]
    if i.lots:
        out.append(f"    {t('lot', lang)}: {', '.join(i.lots)}")
    return "\n".join(out)


def render_inspections(items: list[InspectionView], lang: str = "zh") -> str:
    return "\n".join([f"{t('inspections_title', lang)} ({len(items)})"] + [render_inspection(i, lang) for i in items])


def render_campaign(c: CampaignReport, lang: str = "zh") -> str:
    scope = _list([label(k, lang) for k in c.scope_kinds] + c.scope_areas, lang)
    out = [f"{c.campaign_id} · {c.name}",
           f"    {t('period', lang)}: {c.start} – {c.end} · {t('scope', lang)}: {scope}",
           f"    {t('fig_inspections', lang)} {c.inspections} · {t('fig_businesses_inspected', lang)} "
           f"{c.businesses_inspected}/{c.in_scope} · {t('fig_notices', lang)} {c.notices} · "
           f"{t('fig_suspensions', lang)} {c.suspensions} · {t('fig_trainings', lang)} {c.trainings} · "
           f"{t('fig_commitments', lang)} {c.commitments}"]
    if c.not_inspected:
        out.append(f"    {t('not_inspected_yet', lang)}: {', '.join(c.not_inspected)}")
    return "\n".join(out)


def render_campaigns(items: list[CampaignReport], lang: str = "zh") -> str:
    return "\n".join([f"{t('campaigns_title', lang)} ({len(items)})"] + [render_campaign(c, lang) for c in items])


def render_case(c: CaseView, lang: str = "zh", evidence: CaseEvidence | None = None) -> str:
    out = [f"{c.case_id} · {label(c.status, lang)} · {label(c.source, lang)} · {_day(c.opened_at)}",
           f"    {c.summary_in(lang)}",
           f"    {t('subjects', lang)}: {_list(c.subjects, lang)} · {t('lot', lang)}: {_list(c.lots, lang)}",
           f"    {t('evidence', lang)}: {c.evidence_lots} {t('lots', lang)}, {c.evidence_events} {t('events', lang)}"]
    for s in c.steps:
        line = f"    → {_day(s.time)} {label(s.status, lang)}"
        line += f" · {s.handed_to}" if s.handed_to else ""
        line += f" · {t('fined', lang)} {_money(s.fine_yuan, lang)}" if s.fine_yuan else ""
        line += f" · {t('confiscated', lang)} {_money(s.confiscated_yuan, lang)}" if s.confiscated_yuan else ""
        line += f" · {s.decision_number}" if s.decision_number else ""
        out.append(line + (f" · {s.note}" if s.note else ""))
    if evidence is not None:
        for tr in evidence.traces:
            out.append(f"    {t(tr.direction, lang)} {tr.root}: {len(tr.lots)} {t('lots', lang)}, "
                       f"{len(tr.events)} {t('events', lang)}" + (f" · {t('gaps', lang)}: {', '.join(tr.gaps)}"
                                                                  if tr.gaps else ""))
            for name, items in (("added_since", tr.lots_added_since), ("gone_since", tr.lots_gone_since)):
                if items:
                    out.append(f"      {t(name, lang)}: {', '.join(items)}")
        if evidence.retracted_since:
            out.append(f"    ⚠ {t('retracted_since', lang)}: {', '.join(evidence.retracted_since)}")
    return "\n".join(out)


def render_case_evidence(pair: tuple[CaseView, CaseEvidence], lang: str = "zh") -> str:
    return render_case(pair[0], lang, evidence=pair[1])


def render_cases(items: list[CaseView], lang: str = "zh") -> str:
    return "\n".join([f"{t('cases_title', lang)} ({len(items)})"] + [render_case(c, lang) for c in items])


def render_trainings(items: list[TrainingView], lang: str = "zh") -> str:
    out = [f"{t('trainings_title', lang)} ({len(items)})"]
    for x in items:
        hours = f" · {number(x.hours)} h" if x.hours else ""
        out.append(f"  {x.training_id} · {_day(x.time)} · {x.topic}{hours}")
        out.append(f"    {t('attendees', lang)} ({len(x.attendees)}): {', '.join(x.attendees)}")
    return "\n".join(out)


def render_commitments(items: list[CommitmentView], lang: str = "zh") -> str:
    out = [f"{t('commitments_title', lang)} ({len(items)})"]
    out += [f"  {x.commitment_id} · {_day(x.time)} · {x.subject} · {x.title}" for x in items]
    return "\n".join(out)


def render_destructions(items: list[DestructionView], lang: str = "zh") -> str:
    out = [f"{t('destructions_title', lang)} ({len(items)})"]
    for x in items:
        qty = f" · {number(x.quantity)} {label(x.unit, lang)}" if x.quantity else ""
        out.append(f"  {x.destruction_id} · {_day(x.time)} · {label(x.reason, lang)} · {x.goods}{qty} · "
                   f"{t('value', lang)} {_money(x.value_yuan, lang)}")
        if x.subjects or x.lots:
            out.append(f"    {t('subjects', lang)}: {_list(x.subjects, lang)} · {t('lot', lang)}: {_list(x.lots, lang)}")
    return "\n".join(out)


def render_risk(r: RiskRanking, lang: str = "zh") -> str:
    out = [f"{t('risk_title', lang)} · {t('as_of', lang)} {_day(r.as_of)} · {len(r.entries)}/{r.businesses}"]
    for e in r.entries:
        who = f"{e.name} [{e.party}]" if e.name else e.party
        kind = label(e.kind, lang) if e.kind else t("unregistered", lang)
        last = e.last_inspected.isoformat() if e.last_inspected else t("never", lang)
        out.append(f"{e.rank:>3}. {number(e.score):>6} {t('points', lang)}  {who} · {kind} · "
                   f"{t('last_inspected', lang)}: {last}")
        for reason in e.reasons:
            sign = "+" if reason.points >= 0 else ""
            out.append(f"        {sign}{number(reason.points)}  {reason.en if lang == 'en' else reason.zh}")
    return "\n".join(out)


def render_figures(figures: dict, lang: str = "zh", period: str = "") -> str:
    out = [f"{t('figures_title', lang)}" + (f" · {t('period', lang)} {period}" if period else "")]
    for f in figures.values():
        v = f["value"]
        out.append(f"  {f[lang]}: {f'{v:,.2f}' if isinstance(v, float) else v}")
    return "\n".join(out)


def render_records(items: list[RecordRef], lang: str = "zh") -> str:
    out = [f"{t('supervision_records', lang)} ({len(items)})"]
    for r in items:
        summary = r.said.get(lang) or (label(r.summary, lang) if r.summary else "")
        out.append(f"  {_day(r.time)} · {label(r.type, lang)} {r.record_id} · {_list(r.subjects, lang)} · "
                   f"{', '.join(r.lots)}" + (f" · {summary}" if summary else ""))
    return "\n".join(out)
