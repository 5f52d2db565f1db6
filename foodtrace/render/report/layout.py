"""The report laid out in one language — sections of key figures, tables and
notes — so the Markdown and the HTML renderers show the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Iterable, Union

from foodtrace.render.report.heading import Heading, day, moment
from foodtrace.render.report.text import Labels, kg, num, pct, wan
from foodtrace.services.report.model import KindRow, Report, TestRow


@dataclass
class Stats:
    """Key figures: (label, value) pairs shown on one line (Markdown) or as cards (HTML)."""

    items: list[tuple[str, str]]


@dataclass
class Table:
    head: list[str]
    rows: list[list[str]]
    totals: int = 0  # the last rows that are totals
    caption: str | None = None


@dataclass
class Note:
    text: str


Block = Union[Stats, Table, Note]


@dataclass
class Section:
    key: str
    title: str
    definition: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Doc:
    lang: str
    title: str
    meta: list[tuple[str, str]]
    sections: list[Section]
    definition_label: str = "Definition"
    subtitle: str = ""  # the period line under the title
    office: str = ""  # the issuing office (the date line's signature)
    date_line: str = ""  # the date of issue


def _bare(label: str) -> str:
    """A label without its unit in brackets ("罚款（元）" -> "罚款", "kg certified" stays), for a value that
    carries its own unit (万公斤, 万元)."""
    return re.sub(r"\s*[（(][^（）()]*[）)]$", "", label).removesuffix(", kg").removesuffix(" kg")


def _kinds(rows: list[KindRow], L: Labels, with_group: bool = True) -> Table:
    head = [L.t("report_kind")] + ([L.t("report_group")] if with_group else []) + [
        L.t("report_registered"), L.t("report_new")] + ([L.t("report_joined"), L.t("report_join_rate")]
                                                         if with_group else []) + [
        L.t("report_reporting"), L.t("report_rate")]
    return Table(head, [[L.kind(r.kind)] + ([L.group(r.group)] if with_group else []) +
                        [num(r.registered), num(r.new)] + ([num(r.joined), pct(r.join_rate)] if with_group else [])
                        + [num(r.reporting), pct(r.rate)] for r in rows])


def _tests(first: str, rows: Iterable[TestRow], name, L: Labels, caption: str | None = None) -> Table:  # noqa: ANN001
    rows = list(rows)
    return Table([first, L.t("report_samples"), L.t("report_passed"), L.t("report_failed"), L.t("report_pass_rate")],
                 [[L.t("report_total") if r.key == "all" else name(r.key), num(r.samples), num(r.passed),
                   num(r.failed), pct(r.rate)] for r in rows], totals=sum(1 for r in rows if r.key == "all"),
                 caption=caption)


def _section_membership(r: Report, L: Labels, lang: str) -> list[Block]:
    m = r.membership
    return [Stats([(L.t("report_registered"), num(m.registered)), (L.t("report_joined"), num(m.joined)),
                   (L.t("report_join_rate"), pct(m.join_rate)), (L.t("report_reporting"), num(m.reporting)),
                   (L.t("report_rate"), pct(m.rate))]),
            _kinds(m.kinds, L),
            Table([L.t("report_group"), L.t("report_registered"), L.t("report_joined"), L.t("report_join_rate"),
                   L.t("report_reporting"), L.t("report_rate")],
                  [[L.group(g.group), num(g.registered), num(g.joined), pct(g.join_rate), num(g.reporting),
                    pct(g.rate)] for g in m.groups] +
                  [[L.t("report_total"), num(m.registered), num(m.joined), pct(m.join_rate), num(m.reporting),
                    pct(m.rate)]], totals=1),
            Note(f"{L.t('report_unregistered_actors')}: {', '.join(m.unregistered_actors) or L.t('report_none')}")]


def _section_traceability(r: Report, L: Labels, lang: str) -> list[Block]:
    tr = r.traceability
    return [Stats([(L.t("report_points"), num(tr.points)), (L.t("report_records"), num(tr.records)),
                   (L.t("report_retracted"), num(tr.retracted))]),
            _kinds(tr.nodes, L, with_group=False),
            Table([L.t("report_type"), L.t("report_count")],
                  [[L.label(k), num(v)] for k, v in sorted(tr.records_by_type.items(), key=lambda x: (-x[1], x[0]))])]


def _section_vegetables(r: Report, L: Labels, lang: str) -> list[Block]:
    v = r.vegetables
    return [Stats([(L.t("report_varieties"), num(v.varieties)), (L.t("report_samples"), num(v.tested.samples)),
                   (L.t("report_pass_rate"), pct(v.tested.rate)),
                   (L.t("report_compliance"), num(v.compliance_certificates)),
                   (_bare(L.t("report_compliance_kg")), wan(v.compliance_kg, "kg", lang)),
                   (L.t("report_compliance_issuers"), num(v.compliance_issuers))]),
            _tests(L.t("report_variety"), v.by_variety, L.label, L)]


def _section_meat(r: Report, L: Labels, lang: str) -> list[Block]:
    pork = next((x for x in r.meat if x.product == "pork"), None)
    return [Stats([(_bare(L.t("report_quarantined_kg")) + f" · {L.label('pork')}", wan(pork.quarantined_kg if pork else 0, "kg", lang)),
                   (L.t("report_quarantine_rate") + f" · {L.label('pork')}", pct(pork.rate if pork else None))]),
            Table([L.t("report_product"), L.t("report_slaughters"), L.t("report_heads"), L.t("report_kg"),
                   L.t("report_quarantined_kg"), L.t("report_quarantine_rate"), L.t("report_elsewhere_kg")],
                  [[L.label(x.product), num(x.slaughters), num(x.heads), kg(x.kg), kg(x.quarantined_kg), pct(x.rate),
                    kg(x.elsewhere_kg)] for x in r.meat])]


def _section_clenbuterol(r: Report, L: Labels, lang: str) -> list[Block]:
    c = r.clenbuterol
    return [Stats([(L.t("report_heads_sampled"), num(c.sampled)), (L.t("report_heads_in_lots"), num(c.heads)),
                   (L.t("report_samples"), num(c.samples)),
                   (L.t("report_passed"), num(c.passed)), (L.t("report_failed"), num(c.failed)),
                   (L.t("report_pass_rate"), pct(c.rate))])]


def _section_tests(r: Report, L: Labels, lang: str) -> list[Block]:
    ts = r.tests
    return [Stats([(L.t("report_rapid"), num(ts.rapid.samples)), (L.t("report_pass_rate"), pct(ts.rapid.rate)),
                   (L.t("report_lab"), num(ts.lab.samples)), (L.t("report_pass_rate"), pct(ts.lab.rate))]),
            _tests(L.t("report_tester"), [*ts.rapid_by_tester, ts.rapid], L.kind, L, L.t("report_rapid")),
            _tests(L.t("report_category"), [*ts.lab_by_category, ts.lab], L.label, L, L.t("report_lab")),
            _tests(L.t("report_month"), ts.monthly, str, L, L.t("report_monthly_chart"))]


def _section_complaints(r: Report, L: Labels, lang: str) -> list[Block]:
    cp = r.complaints
    return [Stats([(L.t("report_received"), num(cp.received)), (L.t("report_closed"), num(cp.closed)),
                   (L.t("report_closure_rate"), pct(cp.rate))]),
            Table([L.t("report_channel"), L.t("report_count")],
                  [[L.label(k), num(n)] for k, n in cp.by_channel.items()])]


def _section_recalls(r: Report, L: Labels, lang: str) -> list[Block]:
    rc = r.recalls
    return [Stats([(L.t("report_started"), num(rc.started)), (L.t("report_recalls_closed"), num(rc.closed)),
                   (L.t("report_recalled_lots"), num(rc.lots)),
                   (L.t("report_recalled_quantity"), L.quantities(rc.recalled_quantity)),
                   (L.t("report_affected_lots"), num(rc.affected_lots)), (L.t("report_holders"), num(rc.holders)),
                   (L.t("report_confirmations"), num(rc.confirmations)),
                   (L.t("report_removed"), L.quantities(rc.removed))])]


def _section_anomalies(r: Report, L: Labels, lang: str) -> list[Block]:
    a = r.anomalies
    return [Stats([(L.t("report_count"), num(a.count)), (L.t("report_score"), num(a.score)),
                   (L.t("report_parties_scored"), num(a.parties))]),
            Table([L.t("report_anomaly_kind"), L.t("report_count"), L.t("report_score")],
                  [[L.t(f"kind_{x.kind}"), num(x.count), num(x.score)] for x in a.rows] +
                  [[L.t("report_total"), num(a.count), num(a.score)]], totals=1),
            Table([L.t("report_party"), L.t("report_kind"), L.t("report_count"), L.t("report_score")],
                  [[L.party(p.party, p.name), L.kind(p.kind), num(p.anomalies), num(p.score)] for p in a.top],
                  caption=L.t("report_top_parties"))]


def _section_transparency(r: Report, L: Labels, lang: str) -> list[Block]:
    tp = r.transparency
    return [Stats([(L.t(x.attribute), pct(x.rate)) for x in tp.totals]),
            Table([L.t("report_attribute"), L.t("report_kind"), L.t("report_registered"), L.t("report_connected"),
                   L.t("report_connect_rate")],
                  [[L.t(x.attribute), L.t("report_all_kinds") if x.kind == "all" else L.kind(x.kind),
                    num(x.registered), num(x.connected), pct(x.rate)] for x in [*tp.rows, *tp.totals]],
                  totals=len(tp.totals))]


def _section_flow(r: Report, L: Labels, lang: str) -> list[Block]:
    f = r.flow
    heads = ["report_from_area", "report_slaughter_point", "report_receiving_kind"]
    return [Stats([(_bare(L.t("report_flow_total")), wan(f.kg, "kg", lang))]),
            *(Table([L.t(heads[col]), L.t("report_kg"), "%"],
                    [[L.flow_node(n), kg(n.kg), pct(n.kg / f.kg if f.kg else None)]
                     for n in f.nodes if n.column == col]) for col in range(3))]


def _section_supervision(r: Report, L: Labels, lang: str) -> list[Block]:
    sv = {x.key: x for x in r.supervision}
    main = [k for k in ("inspections", "businesses_inspected", "cases_opened", "amount_total") if k in sv]
    incidents = int(sv["incidents"].value) if "incidents" in sv else 0
    return [Stats([(_bare(sv[k].label.get(lang)), wan(sv[k].value, "yuan", lang)) if k.startswith("amount")
                   else (sv[k].label.get(lang), L.figure(sv[k])) for k in main]),
            Note(L.t("report_incidents").format(n=incidents) if incidents else L.t("report_no_incidents")),
            Table([L.t("report_figure"), L.t("report_value")],
                  [[x.label.get(lang), L.figure(x)] for x in r.supervision])]


def _section_trade(r: Report, L: Labels, lang: str) -> list[Block]:
    tr = r.trade
    if tr is None:
        return []
    value = ", ".join(f"{v:,.2f} {c}" for c, v in tr.amount.items()) or "0"
    return [Stats([(L.t("report_transactions"), num(tr.transactions)), (L.t("report_trade_kg"), kg(tr.kg)),
                   (L.t("report_trade_value"), value)]),
            Table([L.t("report_market"), L.t("report_product"), L.t("report_transactions"),
                   L.t("report_trade_quantity"), L.t("report_trade_value")],
                  [[L.t("report_off_market") if x.market == "other" else L.party(x.market, x.name),
                    L.label(x.product), num(x.transactions), L.quantities(x.quantity),
                    f"{x.amount:,.2f} {x.currency}"] for x in tr.rows])]


# The report's sections in order: (key, the blocks of that section).
SECTIONS = (
    ("membership", _section_membership),
    ("traceability", _section_traceability),
    ("vegetables", _section_vegetables),
    ("meat", _section_meat),
    ("clenbuterol", _section_clenbuterol),
    ("tests", _section_tests),
    ("complaints", _section_complaints),
    ("recalls", _section_recalls),
    ("anomalies", _section_anomalies),
    ("transparency", _section_transparency),
    ("flow", _section_flow),
    ("supervision", _section_supervision),
    ("trade", _section_trade),
)


def _said(blocks: list[Block], L: Labels) -> list[Block]:
    """A table with no rows says so in a sentence instead of showing only its header."""
    return [Note(L.t("report_no_rows") if not b.caption else f"{b.caption}: {L.t('report_no_rows')}")
            if isinstance(b, Table) and not b.rows else b for b in blocks]


def layout(r: Report, lang: str = "zh", heading: Heading | None = None) -> Doc:
    L = Labels(lang)
    h = heading or Heading()
    sections = [Section(key, L.t("report_" + key), r.definitions[key].get(lang), _said(build(r, L, lang), L))
                for key, build in SECTIONS]
    first, last = day(r.period_from, lang), day(r.period_to, lang)
    generated = L.t("report_generated_line").format(moment=moment(r.generated_at, lang), tz=r.tz)
    meta = [(L.t("report_tz"), r.tz), (L.t("report_generated"), generated),
            (L.t("report_events_read"), L.t("report_records_line").format(n=num(r.events_read)))]
    title = L.t("report_title")
    if h.district(lang):
        title = L.t("report_title_of").format(district=h.district(lang), title=title)
    return Doc(lang, title, meta, sections, L.t("report_definition"),
               subtitle=L.t("report_period_line").format(first=first, last=last), office=h.office(lang),
               date_line=day(r.generated_at.date(), lang))


__all__ = ["layout", "Doc", "Section", "Stats", "Table", "Note"]
