"""The demo district's parties: how many of each kind (scaled to the district's size), their names,
areas and attributes, registered by the office."""

from __future__ import annotations

from datetime import date
from typing import Iterator

from foodtrace.demo.district import DISTRICT_AREA, ORIGIN_AREAS, SURNAMES, _Gen


def party_events(self: _Gen, scale: float) -> Iterator[dict]:
    """The district's register: every party (a registration event each), the animal health authority,
    and the planted unregistered slaughter point (never registered)."""
    r = self.rnd
    spec = [
        ("REG", "regulator", 1, "区市场监督管理局"),
        ("LAB", "testing_lab", 2, "食品检测中心"),
        ("SF", "scale_farm", max(6, int(12 * scale)), "生猪养殖场"),
        ("HF", "household_farm", max(8, int(30 * scale)), "养殖户"),
        ("VB", "vegetable_base", max(4, int(10 * scale)), "蔬菜基地"),
        ("CS", "cold_storage", 2, "冷链仓储"),
        ("SH", "designated_slaughterhouse", max(2, int(2 * scale)), "定点屠宰厂"),
        ("WM", "wholesale_market", 2, "农副产品批发市场"),
        ("WP", "wholesaler", max(3, int(6 * scale)), "肉品批发商行"),
        ("WV", "wholesaler", max(3, int(6 * scale)), "蔬菜批发商行"),
        ("FM", "farmers_market", max(3, int(5 * scale)), "农贸市场"),
        ("SM", "supermarket", max(3, int(6 * scale)), "超市"),
        ("SC", "school_canteen", max(3, int(8 * scale)), "学校食堂"),
        ("RS", "restaurant", max(2, int(4 * scale)), "餐馆"),
        ("PR", "producer", 2, "食品有限公司"),
        ("SW", "small_workshop", 3, "食品小作坊"),
        ("SS", "small_shop", max(3, int(8 * scale)), "便民食杂店"),
        ("ST", "small_stall", max(3, int(10 * scale)), "摊点"),
    ]
    for prefix, kind, count, suffix in spec:
        for i in range(1, count + 1):
            pid = f"{prefix}{i:03d}"
            local = kind not in ("scale_farm", "household_farm", "vegetable_base")
            attrs: dict = {}
            if kind == "school_canteen":
                attrs["transparent_kitchen"] = r.random() < 0.9
            if kind == "restaurant":
                attrs["transparent_kitchen"] = self.extra.random() < 0.5
            if kind in ("cold_storage", "wholesale_market"):
                attrs["sunshine_warehouse"] = r.random() < 0.7
            if kind in ("small_workshop", "producer"):
                attrs["transparent_workshop"] = r.random() < 0.5
            name = suffix if prefix == "REG" else (
                f"{r.choice(SURNAMES)}某{suffix}" if kind in ("household_farm", "small_stall") else self.name(suffix))
            party = {
                "id": pid, "name": name, "kind": kind,
                "area_code": DISTRICT_AREA if local else r.choice(ORIGIN_AREAS),
                "registered_on": date(self.d.year - 1 - r.randrange(8), 1 + r.randrange(12), 1).isoformat(),
                "attributes": attrs,
            }
            # joined the traceability platform (加入追溯平台): every one but a third of the household
            # farms, stalls and small shops (no random draw: the rest of the district stays as it was)
            if not (kind in ("household_farm", "small_stall", "small_shop") and i % 3 == 0):
                party["joined_on"] = max(party["registered_on"], f"{self.d.year - 1}-07-01")
            self.d.parties[pid] = party
            yield self.ev({"type": "party_registration", "event_time": self.t(-1, 9), "party": "REG001",
                           "registered": party})
    # the animal health supervision authority (动物卫生监督机构): its official veterinarians issue the
    # animal quarantine certificates (made without the generator's random draws, so the rest of the
    # district stays as it was)
    office = {"id": "AH001", "name": "区动物卫生监督所", "kind": "animal_health_authority",
              "area_code": DISTRICT_AREA, "registered_on": date(self.d.year - 5, 1, 1).isoformat(), "attributes": {}}
    self.d.parties["AH001"] = office
    yield self.ev({"type": "party_registration", "event_time": self.t(-1, 9), "party": "REG001",
                   "registered": office})
    # kindergarten canteens (托幼机构食堂) and rural itinerant chefs (农村流动厨师), registered like the rest
    # (without random draws); they report nothing in the demo's chains
    extra = [("KG", "kindergarten_canteen", 2, ["阳光幼儿园食堂", "新华幼儿园食堂"]),
             ("RC", "rural_chef", 3, ["王某（农村流动厨师）", "李某（农村流动厨师）", "张某（农村流动厨师）"])]
    for prefix, kind, count, names in extra:
        for i in range(1, count + 1):
            pid = f"{prefix}{i:03d}"
            party = {"id": pid, "name": names[i - 1], "kind": kind, "area_code": DISTRICT_AREA,
                     "registered_on": date(self.d.year - 1, 3 * i, 1).isoformat(),
                     "joined_on": date(self.d.year - 1, 3 * i, 15).isoformat(),
                     "attributes": {"transparent_kitchen": True} if kind == "kindergarten_canteen" else {}}
            self.d.parties[pid] = party
            yield self.ev({"type": "party_registration", "event_time": self.t(-1, 9), "party": "REG001",
                           "registered": party})
    # the planted rogue: an unregistered private slaughter point (私屠滥宰)
    self.d.parties["XW001"] = {"id": "XW001", "name": "无证屠宰点", "kind": "small_workshop"}
