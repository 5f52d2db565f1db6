"""The demo district's consumption warnings (消费警示), published by the office
so the public page /warnings has content: a seasonal one on vegetables every
year, and — when problems are planted — one on the rogue beef, naming the
retail lot that reached a farmers' market. Raw events at the end of the demo
stream (deterministic)."""

from __future__ import annotations

from typing import Callable, Iterator

OFFICE = "REG001"


def warning_events(g, on: Callable[..., str]) -> Iterator[dict]:
    y = g.d.year
    yield g.ev({"type": "consumption_warning", "event_time": on(150, 9), "party": OFFICE,
                "warning_id": f"XF{y}-01", "products": ["cabbage", "pak_choi", "spinach"],
                "title": "夏季蔬菜消费提示：清洗浸泡，去除农药残留",
                "text": "夏季叶菜用药较多。购买时请查看承诺达标合格证或快检结果，食用前用清水浸泡并反复冲洗。",
                "title_en": "Summer vegetables: wash and soak them",
                "text_en": "More pesticides are used on leafy vegetables in summer. Look for the certificate of "
                           "compliance or a rapid test when you buy, and soak and rinse them before eating."})
    rogue = next((p for p in g.d.planted if p["kind"] == "undesignated_slaughter"), None)
    if rogue is None:
        return
    yield g.ev({"type": "consumption_warning", "event_time": on(rogue["day"] + 3, 9), "party": OFFICE,
                "warning_id": f"XF{y}-02", "products": ["beef"], "lots": [rogue["retail_lot"]],
                "title": "关于私屠滥宰牛肉流入农贸市场的消费警示",
                "text": "本区查获一批未经检疫、非定点屠宰的牛肉流入农贸市场。已购买的消费者请勿食用，可凭小票退货；"
                        "请到公示检疫合格证明的摊位购买肉品。",
                "title_en": "Illegally slaughtered beef reached a farmers' market",
                "text_en": "Beef slaughtered outside a designated slaughterhouse and never quarantined reached a "
                           "farmers' market in the district. If you bought it, do not eat it; the stall takes it "
                           "back with your receipt. Buy meat where the quarantine certificate is shown."})
