"""The demo district's supervision year: a spring campaign on school canteens
with its inspections (one rectification notice, then a re-inspection),
online patrols of restaurants, trainings and commitment letters, and — when
problems are planted — an inspection of the market the rogue beef reached,
the public destruction of the beef left at the private slaughter point, and
two enforcement cases: one opened from the undesignated-slaughter anomaly
(handed to the police), one from the failed clenbuterol test (closed with a
fine).

The records are raw events at the end of the demo stream (deterministic, no
randomness). The cases are opened by the case service once the district is
in a store (``open_demo_cases``), so that each keeps the evidence the store
holds when it is opened, like any case.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from foodtrace.demo.district import District, _Gen
from foodtrace.demo.warnings import warning_events
from foodtrace.graph.store import GraphStore

OFFICE = "REG001"
INSPECTORS = [["张明", "李华"], ["王芳", "赵强"]]


def supervision_events(g: "_Gen") -> Iterator[dict]:
    """The supervision records of the district's year, as raw events."""
    d, y = g.d, g.d.year
    start = g.start  # 1 January, +08:00

    def t(month: int, day: int, hour: float = 9) -> str:
        return (start.replace(month=month, day=day) + timedelta(hours=hour)).isoformat()

    def on(day_of_year: int, hour: float = 9) -> str:
        return (start + timedelta(days=day_of_year, hours=hour)).isoformat()

    canteens, campaign = g.ids("SC"), f"ZX{y}01"
    info = d.supervision
    info.update(campaign=campaign, canteens=list(canteens), rectified=canteens[1], cases=[])
    yield g.ev({"type": "campaign", "event_time": t(2, 20), "party": OFFICE, "campaign_id": campaign,
                "name": "春季学校及幼儿园食堂食品安全专项整治 (spring campaign: school and kindergarten canteens)",
                "start": f"{y}-03-01", "end": f"{y}-05-31", "scope_kinds": ["school_canteen"],
                "description": "食堂进货查验、餐具消毒、留样 (incoming checks, tableware disinfection, food samples)"})
    yield g.ev({"type": "training", "event_time": t(2, 26, 14), "party": OFFICE, "training_id": f"PX{y}01",
                "topic": "学校食堂食品安全管理培训 (food safety management in school canteens)",
                "attendees": list(canteens), "hours": 3, "campaign_id": campaign, "people": 3 * len(canteens)})
    for i, sc in enumerate(canteens):
        yield g.ev({"type": "commitment", "event_time": t(3, 1 + i % 5, 10), "party": OFFICE,
                    "commitment_id": f"CN{y}{i + 1:03d}", "subject": sc, "campaign_id": campaign,
                    "title": "校园食品安全承诺书 (school food safety commitment)", "valid_until": f"{y}-12-31"})
    for i, sc in enumerate(canteens):
        base = {"type": "inspection", "party": OFFICE, "subject": sc, "campaign_id": campaign,
                "inspectors": INSPECTORS[i % 2]}
        when = (start.replace(month=3, day=3) + timedelta(days=i * 50 // len(canteens), hours=9)).isoformat()
        if sc != info["rectified"]:
            yield g.ev({**base, "event_time": when, "inspection_id": f"JC{y}{i + 1:03d}", "outcome": "no_problem"})
            continue
        yield g.ev({**base, "event_time": when, "inspection_id": f"JC{y}{i + 1:03d}", "outcome": "rectification",
                    "findings": ["餐具消毒记录不全 (tableware disinfection records incomplete)",
                                 "留样不足 48 小时 (food samples kept less than 48 hours)"],
                    "notice_number": f"责改〔{y}〕001号", "rectify_by": f"{y}-04-10"})
        yield g.ev({**base, "event_time": t(4, 15), "inspection_id": f"JC{y}{i + 1:03d}R", "outcome": "no_problem",
                    "findings": ["整改到位 (rectified)"]})
    for i, rs in enumerate(g.ids("RS")[:2]):
        yield g.ev({"type": "inspection", "event_time": t(6, 10 + i, 15), "party": OFFICE, "subject": rs,
                    "inspection_id": f"WX{y}{i + 1:03d}", "mode": "online_patrol", "inspectors": INSPECTORS[0],
                    "outcome": "no_problem", "findings": ["明厨亮灶视频正常 (kitchen video feed in order)"]})
    meat_traders = g.ids("WP") + g.ids("FM") + g.ids("SM")
    yield g.ev({"type": "training", "event_time": t(6, 20, 14), "party": OFFICE, "training_id": f"PX{y}02",
                "topic": "肉品经营者进货查验培训 (incoming inspection for meat traders)", "attendees": meat_traders,
                "hours": 2, "people": 2 * len(meat_traders)})
    for i, wp in enumerate(g.ids("WP")):
        yield g.ev({"type": "commitment", "event_time": t(6, 21, 10), "party": OFFICE,
                    "commitment_id": f"CN{y}W{i + 1:02d}", "subject": wp,
                    "title": "肉品经营质量安全承诺书 (meat trade quality and safety commitment)"})
    yield from _outreach_and_sampling(g, t, canteens, campaign)
    yield from _planted(g, on, info)
    yield from warning_events(g, on)  # public consumption warnings (demo/warnings.py)


def _outreach_and_sampling(g: "_Gen", t, canteens: list[str], campaign: str) -> Iterator[dict]:  # noqa: ANN001
    """Publicity on 15 March and in the food-safety week, tableware sampling in the canteens' campaign (one
    fails), special sampling of pork at the markets in the autumn (the last result still pending). No
    food-safety incident is recorded: the report says none happened."""
    y = g.d.year
    yield g.ev({"type": "publicity", "event_time": t(3, 15, 9), "party": OFFICE, "publicity_id": f"XC{y}01",
                "title": "“3·15”国际消费者权益日食品安全宣传", "materials": 1200, "media_posts": 3, "people": 800})
    yield g.ev({"type": "publicity", "event_time": t(6, 12, 9), "party": OFFICE, "publicity_id": f"XC{y}02",
                "title": "食品安全宣传周", "materials": 2500, "media_posts": 6, "people": 1500})
    for i, sc in enumerate(canteens):
        yield g.ev({"type": "sampling", "event_time": t(4, 8 + i % 10, 10), "party": OFFICE,
                    "sample_id": f"CJ{y}{i + 1:03d}", "program": "tableware", "subject": sc, "item": "餐饮具",
                    "result": "fail" if i == 1 else "pass", "campaign_id": campaign})
    markets = g.ids("FM") + g.ids("SM")
    for i, m in enumerate(markets[:5]):
        sample = {"type": "sampling", "party": OFFICE, "sample_id": f"ZX{y}{i + 1:03d}", "program": "special",
                  "subject": m, "item": "猪肉"}
        yield g.ev({**sample, "event_time": t(10, 10 + i, 10)})
        if i < 4:  # the lab's results, a week later; the last is still pending
            yield g.ev({**sample, "event_time": t(10, 17 + i, 16), "result": "pass"})


def _planted(g: "_Gen", on, info: dict) -> Iterator[dict]:
    d, y = g.d, g.d.year
    rogue = next((p for p in d.planted if p["kind"] == "undesignated_slaughter"), None)
    failed = next((p for p in d.planted if p["kind"] == "failed_test"), None)
    if rogue is not None:
        day = rogue["day"]
        yield g.ev({"type": "inspection", "event_time": on(day + 2, 10), "party": OFFICE, "subject": rogue["reached"],
                    "inspection_id": f"JC{y}M01", "inspectors": INSPECTORS[1], "outcome": "rectification",
                    "findings": ["牛肉无动物检疫合格证明，进货查验记录缺失"],
                    "notice_number": f"责改〔{y}〕002号", "lots": [rogue["retail_lot"]]})
        yield g.ev({"type": "destruction", "event_time": on(day + 20, 10), "party": OFFICE,
                    "destruction_id": f"XH{y}01", "reason": "nonconforming",
                    "goods": "私屠点查扣的未经检疫牛肉",
                    "quantity": 400.0, "unit": "kg", "value_yuan": 28000.0, "subjects": [rogue["party"]],
                    "lots": [rogue["lot"]]})
        case = f"AJ{y}001"
        info["cases"].append({"case_id": case, "source": "anomaly", "refs": [f"undesignated_slaughter:{rogue['lot']}"],
                              "at": on(day + 3, 9), "amount_yuan": 36400.0, "update": {
                                  "status": "handed_to_police", "at": on(day + 10, 16),
                                  "handed_to": "区公安分局食药环侦大队",
                                  "note": "涉嫌私屠滥宰、销售未经检疫肉品"}})
    if failed is not None:
        day = failed["day"]
        yield g.ev({"type": "interview", "event_time": on(day + 1, 15), "party": OFFICE, "interview_id": f"YT{y}01",
                    "subject": failed["tested_by"],
                    "reason": "瘦肉精检测不合格的生猪仍被屠宰并出具肉品品质检验合格证"})
        info["cases"].append({"case_id": f"AJ{y}002", "source": "failed_test", "refs": [failed["test_event"]],
                              "at": on(day + 2, 9), "amount_yuan": 48000.0, "update": {
                                  "status": "closed", "at": on(day + 40, 16), "fine_yuan": 50000.0,
                                  "confiscated_yuan": 12000.0, "decision_number": f"罚决〔{y}〕002号"}})


def open_demo_cases(store: GraphStore, district: "District") -> int:
    """Open (and hand over or close) the demo's cases through the case
    service; cases already there are left alone. Returns how many were opened."""
    from foodtrace.services.capture.principal import system
    from foodtrace.services.supervision.cases import all_cases, open_case, update_case

    actor = system("demo", OFFICE)
    existing = all_cases(store)
    opened = 0
    for spec in district.supervision.get("cases", []):
        if spec["case_id"] in existing:
            continue
        open_case(store, actor, spec["source"], refs=spec["refs"], case_id=spec["case_id"],
                  at=datetime.fromisoformat(spec["at"]), amount_yuan=spec.get("amount_yuan"))
        update = dict(spec["update"])
        update_case(store, actor, spec["case_id"], update.pop("status"), at=datetime.fromisoformat(update.pop("at")),
                    **update)
        opened += 1
    return opened


__all__ = ["supervision_events", "open_demo_cases"]
