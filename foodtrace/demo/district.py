"""A deterministic synthetic district-year, streamed as raw events.

Shaped like a real district: scale and household farms, vegetable bases, cold
storage, designated slaughterhouses, wholesale markets with their wholesalers,
farmers' markets, supermarkets, school canteens, small shops and stalls.

    pigs -> quarantine certificate (animals) -> slaughterhouse (clenbuterol test) -> slaughter
         -> carcass (两证两章: the official vet's quarantine certificate for the product and the
            slaughterhouse's meat quality certificate) -> wholesale market (entry record; its
            transaction voucher 交易凭证 carries the wholesaler's trace code) -> retail lots -> receipts
    vegetables -> certificate of compliance -> wholesale voucher (rapid test) -> retail lots -> receipts

Four problems are planted (``District.planted``): a failing clenbuterol test,
beef from an undesignated source without quarantine reaching a market, a
slaughter inside a drug's withdrawal period, and a wholesaler passing on more
kg than it received. The failed pigs are slaughtered all the same and their meat
certified (by the slaughterhouse's meat quality certificate and the official
vet's product quarantine), which makes two more anomalies, held against the
slaughterhouse and the issuing office. Nothing else in the data breaks a rule
of the shipped ``rules.toml`` (``foodtrace check`` lists exactly these). The office
recalls the failed pig's meat (``District.recall``; every holder but one
confirms). With ``plant_complaints`` a few consumer complaints are filed, at
the end, on receipts of pork from one farm (``District.complaint_source``) so
an investigation has a true source to find; the office accepts (受理) them all, so they count in
the risk ranking, and closes the first three.

Shops' test rooms and the district's labs test samples too (all pass).
``District.tally`` counts what the statistics report should find (lots, heads,
kilograms, tests by who ran them). The office's supervision records of the
year follow (``demo_supervision``; ``District.supervision``).

Events are yielded one at a time; only one day's working set is in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
import random
from typing import Iterator

CST = timezone(timedelta(hours=8), "CST")
DISTRICT_AREA = "330106"
ORIGIN_AREAS = ["330106", "330110", "330122", "330127", "330183", "331002", "330522"]
AVG_EVENTS_PER_PIG_LOT = 20
VET_OFFICE = "AH001"  # issues animal quarantine certificates
AVG_EVENTS_PER_VEG_LOT = 15
VEG = ["cabbage", "pak_choi", "spinach", "lettuce", "celery", "tomato", "cucumber", "eggplant", "pepper",
       "potato", "radish", "carrot", "leek"]
# as a farm records them, by their Chinese common names (the glossary gives the English)
VET_DRUGS = [("氟苯尼考", 28), ("阿莫西林", 14), ("替米考星", 14)]
PESTICIDES = [("毒死蜱", 7), ("吡虫啉", 7), ("阿维菌素", 3)]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高梁郑罗宋谢唐韩曹许邓萧冯"
PLACES = "东西南北新兴和平安康丰盛华阳光明福永青山湖江河"


@dataclass
class District:
    seed: int
    year: int
    days: int
    target_events: int
    parties: dict[str, dict] = field(default_factory=dict)
    planted: list[dict] = field(default_factory=list)
    sample_receipt: str | None = None
    sample_pig_lot: str | None = None
    events: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    complaint_source: str | None = None  # the farm the planted complaints trace back to
    complaint_lots: list[str] = field(default_factory=list)
    complaints_closed: list[str] = field(default_factory=list)
    # what the statistics report should find: lots and tests made, by kind (see ``_Gen.tally``)
    tally: dict[str, float] = field(default_factory=dict)
    recall: dict | None = None  # the planted recall of the failed pig: id, holders, confirmed, kg removed
    supervision: dict = field(default_factory=dict)  # what the supervision records hold (demo_supervision)


class _Gen:
    def __init__(self, d: District):
        self.d = d
        self.rnd = random.Random(d.seed)
        # A second stream for what was added later (retail and lab tests, restaurants' kitchens), so the
        # first stream — and every trace code it makes — stays as it was.
        self.extra = random.Random(d.seed * 1_000_003 + 17)
        self.n = 0
        self.serial = 0
        self.start = datetime(d.year, 1, 1, tzinfo=CST)
        self._ids: dict[str, list[str]] = {}
        self.receipts: list[tuple[int, str]] = []  # (day, code) of the last chain's retail receipts or lots
        self.source_chains: list[tuple[str, list[tuple[int, str]]]] = []  # the complaint source's pig lots

    # -- helpers -----------------------------------------------------------

    def ev(self, body: dict) -> dict:
        self.n += 1
        body["event_id"] = f"urn:foodtrace:demo:{self.d.seed}:{self.n}"
        self.d.counts[body["type"]] = self.d.counts.get(body["type"], 0) + 1
        return body

    def tally(self, key: str, amount: float = 1) -> None:
        self.d.tally[key] = self.d.tally.get(key, 0) + amount

    def t(self, day: int, hour: float) -> str:
        return (self.start + timedelta(days=day, hours=hour)).isoformat()

    def code(self, node: str, day: int) -> str:
        """SB/T 10680-style numeric code: area + node + date + serial."""
        self.serial += 1
        ds = (self.start + timedelta(days=day)).strftime("%Y%m%d")
        return f"{DISTRICT_AREA}{node}{ds}{self.serial:07d}"

    def name(self, suffix: str) -> str:
        r = self.rnd
        return f"{r.choice(PLACES)}{r.choice(PLACES)}{suffix}"

    # -- parties -----------------------------------------------------------

    def ids(self, prefix: str) -> list[str]:
        cached = self._ids.get(prefix)
        if cached is None:
            cached = self._ids[prefix] = [p for p in self.d.parties if p.startswith(prefix)]
        return cached

    # -- chains --------------------------------------------------------------

    def pig_chain(self, day: int, plant: str | None = None) -> Iterator[dict]:
        r = self.rnd
        farm = r.choice(self.ids("SF") + self.ids("HF"))
        sh = r.choice(self.ids("SH"))
        heads = r.randint(8, 30)
        pig = self.code("11" + farm[-3:].zfill(4)[-2:], day)
        self.d.sample_pig_lot = self.d.sample_pig_lot or pig
        yield self.ev({"type": "commission", "event_time": self.t(day, 5), "party": farm, "activity": "raising",
                       "lots": [{"code": pig, "product": "live_pig", "quantity": heads, "unit": "head"}]})
        if plant == "withdrawal":
            drug, days = VET_DRUGS[0]
            yield self.ev({"type": "input_application", "event_time": self.t(day - 10, 9), "party": farm,
                           "lots": [pig], "input_kind": "veterinary_drug", "input_name": drug,
                           "interval_days": days, "dose": "20 mg/kg"})
            self.d.planted.append({"kind": "withdrawal_period", "lot": pig, "party": farm, "input": drug,
                                   "slaughtered_by": sh, "days_short": days - 10})
        elif r.random() < 0.15:
            drug, days = r.choice(VET_DRUGS)
            yield self.ev({"type": "input_application", "event_time": self.t(day - days - r.randint(3, 30), 9),
                           "party": farm, "lots": [pig], "input_kind": "veterinary_drug", "input_name": drug,
                           "interval_days": days})
        yield self.ev({"type": "certificate", "event_time": self.t(day, 6), "party": VET_OFFICE, "issuer": VET_OFFICE,
                       "kind": "animal_quarantine", "number": f"A{self.code('90', day)[-12:]}", "result": "pass",
                       "lots": [pig], "quantity": heads, "unit": "head"})
        yield self.ev({"type": "handoff", "event_time": self.t(day, 7), "party": sh, "action": "receive",
                       "from_party": farm, "to_party": sh,
                       "lot": {"code": pig, "quantity": heads, "unit": "head"}, "document": f"QC-{pig[-8:]}"})
        fail = plant == "clenbuterol"
        test = self.ev({"type": "certificate", "event_time": self.t(day, 8), "party": sh, "issuer": sh,
                        "kind": "clenbuterol_test", "number": f"CL{pig[-10:]}", "result": "fail" if fail else "pass",
                        "sampled": min(heads, 2 + heads // 10),  # urine samples of some of the pigs (抽检头数)
                        "lots": [pig], "measurements": [{"analyte": "clenbuterol", "value": 3.2 if fail else 0.0,
                                                         "limit": 0.5, "unit": "µg/kg"}]})
        yield test
        self.tally("pig_lots")
        self.tally("pig_heads", heads)
        self.tally("pig_heads_sampled", min(heads, 2 + heads // 10))
        self.tally("clenbuterol_failed" if fail else "clenbuterol_passed")
        if fail:
            self.d.planted.append({"kind": "failed_test", "lot": pig, "party": farm, "test": "clenbuterol_test",
                                   "tested_by": sh, "test_event": test["event_id"], "day": day})
        kg = round(heads * r.uniform(70, 80), 1)
        carcass = self.code("21" + sh[-2:], day)
        yield self.ev({"type": "transformation", "event_time": self.t(day, 10), "party": sh, "kind": "slaughter",
                       "inputs": [{"code": pig, "quantity": heads, "unit": "head"}],
                       "outputs": [{"code": carcass, "product": "pork", "quantity": kg, "unit": "kg",
                                    "name": "白条猪肉"}]})
        # 两证两章: the official vet quarantines the carcass (动物检疫合格证明（产品）, 检疫验讫印章) and the
        # slaughterhouse's inspectors pass its quality (肉品品质检验合格证, 肉品品质检验合格验讫印章)
        yield self.ev({"type": "certificate", "event_time": self.t(day, 10.5), "party": VET_OFFICE,
                       "issuer": VET_OFFICE, "kind": "product_quarantine", "number": f"P{carcass[-12:]}",
                       "result": "pass", "lots": [carcass], "quantity": kg, "unit": "kg"})
        yield self.ev({"type": "certificate", "event_time": self.t(day, 11), "party": sh, "issuer": sh,
                       "kind": "meat_quality", "number": f"MQ{carcass[-10:]}", "result": "pass",
                       "lots": [carcass], "quantity": kg, "unit": "kg"})
        if fail:  # slaughtered and certified after the failed test: the slaughterhouse and the vet answer for it
            self.d.planted.append({"kind": "failed_lot_slaughtered", "lot": carcass, "party": sh})
            self.d.planted.append({"kind": "failed_lot_slaughtered", "lot": carcass, "party": VET_OFFICE})
        self.tally("pork_kg", kg)
        if self.extra.random() < 0.03:
            yield self.lab_test(day, 12, carcass, "veterinary drug residues (florfenicol)", 100)
            self.tally("lab_tests_meat")
        yield from self.distribute(day, sh, carcass, "pork", kg, self.ids("WP"), over_sell=plant == "mass_balance")
        if plant is None and farm == self.d.complaint_source:
            self.source_chains.append((pig, list(self.receipts)))
        if fail:
            yield from self.recall(day, pig, carcass, test["event_id"], [farm, sh])

    def lab_test(self, day: int, hour: float, lot: str, analyte: str, limit: float) -> dict:
        """A passing laboratory test of a sample of ``lot`` by one of the district's labs."""
        lab = self.extra.choice(self.ids("LAB"))
        return self.ev({"type": "certificate", "event_time": self.t(day, hour), "party": lab, "issuer": lab,
                        "kind": "lab_test", "number": f"LT{lot[-12:]}", "result": "pass", "lots": [lot],
                        "measurements": [{"analyte": analyte, "value": round(self.extra.uniform(0, limit / 4), 2),
                                          "limit": limit, "unit": "µg/kg"}]})

    def recall(self, day: int, pig: str, carcass: str, test_id: str, upstream: list[str]) -> Iterator[dict]:
        """The office recalls the failed pig and everything made from it; every holder but the last
        shop confirms, the shops with the kilograms they took off the shelf."""
        chain = self.last
        rid = f"RC{self.d.year}-{pig[-7:]}"
        holders = sorted({*upstream, *([chain["market"]] if chain["market"] else []), chain["wholesaler"],
                          *chain["left"]})
        yield self.ev({"type": "recall", "event_time": self.t(day + 2, 9), "party": "REG001", "recall_id": rid,
                       "lots": [pig], "reason": "瘦肉精检测不合格", "reason_en": "clenbuterol test failed",
                       "trigger": "failed_test", "trigger_events": [test_id], "affected": sorted([pig, carcass, *chain["lots"]]),
                       "holders": holders})
        silent = sorted(chain["left"])[-1]
        removed = 0.0
        for party in holders:
            if party == silent:
                continue
            ev = {"type": "recall_confirmation", "event_time": self.t(day + 3, 10), "party": party,
                  "recall_id": rid, "note": "已下架封存 (taken off sale and sealed)"}
            if party in chain["left"]:
                kg = round(chain["left"][party], 2)
                ev.update(quantity_removed=kg, unit="kg")
                removed += kg
            yield self.ev(ev)
        self.d.recall = {"recall_id": rid, "lots": [pig], "holders": holders,
                         "confirmed": [h for h in holders if h != silent], "removed_kg": round(removed, 2)}

    def distribute(self, day: int, seller: str, lot: str, product: str, kg: float, wholesalers: list[str],
                   over_sell: bool = False, test_at_market: bool = False) -> Iterator[dict]:
        r = self.rnd
        ws = r.choice(wholesalers)
        voucher = self.code("31" + ws[-2:], day + 1)
        market = None
        if product == "pork":
            # meat passes through a wholesale market: it records the carcass's entry (进场), then the
            # sale to the wholesaler, whose transaction voucher (交易凭证) carries the new trace code
            markets = self.ids("WM")
            market = markets[int(lot[-3:]) % len(markets)]
            yield self.ev({"type": "handoff", "event_time": self.t(day + 1, 1), "party": market, "action": "receive",
                           "from_party": seller, "to_party": market,
                           "lot": {"code": lot, "quantity": kg, "unit": "kg"}, "document": f"JC{lot[-9:]}"})
            yield self.ev({"type": "handoff", "event_time": self.t(day + 1, 3), "party": market, "action": "ship",
                           "from_party": market, "to_party": ws, "lot": {"code": lot, "quantity": kg, "unit": "kg"},
                           "document": f"JY{voucher[-9:]}"})
            bought = self.ev({"type": "handoff", "event_time": self.t(day + 1, 3), "party": ws, "action": "receive",
                              "from_party": market, "to_party": ws, "lot": {"code": lot, "quantity": kg, "unit": "kg"},
                              "document": f"JY{voucher[-9:]}",
                              "new_lot": {"code": voucher, "product": product, "quantity": kg, "unit": "kg"}})
        else:
            bought = self.ev({"type": "handoff", "event_time": self.t(day + 1, 3), "party": ws, "action": "receive",
                              "from_party": seller, "to_party": ws, "lot": {"code": lot, "quantity": kg, "unit": "kg"},
                              "document": f"WB{voucher[-9:]}",
                              "new_lot": {"code": voucher, "product": product, "quantity": kg, "unit": "kg"}})
        if not over_sell:
            yield bought
        # else (planted): the wholesaler reports its sales before its purchase, so nothing is known at
        # capture to refuse them; the purchase, when it arrives, shows 30% more passed on than bought
        if test_at_market:
            market = r.choice(self.ids("WM"))
            yield self.ev({"type": "certificate", "event_time": self.t(day + 1, 4), "party": market,
                           "issuer": market, "kind": "pesticide_rapid_test", "number": f"RT{voucher[-10:]}",
                           "result": "pass", "lots": [voucher],
                           "measurements": [{"analyte": "organophosphates (AChE inhibition %)",
                                             "value": round(r.uniform(2, 30), 1), "limit": 50, "unit": "%"}]})
            self.tally("rapid_tests_wholesale_market")
        if over_sell:
            self.d.planted.append({"kind": "mass_balance", "lot": voucher, "party": ws,
                                   "received": kg, "passed_on": round(kg * 1.3, 1)})
        retailers = self.ids("SM") + self.ids("FM") + self.ids("SC") + self.ids("SS") + self.ids("RS")
        self.receipts = []
        self.last = {"wholesaler": ws, "market": market, "lots": [voucher], "left": {}}
        k = r.randint(2, 4)
        share = round((kg * (1.3 if over_sell else r.uniform(0.85, 1.0))) / k, 1)
        for i in range(k):
            shop = r.choice(retailers)
            rl = self.code("41" + shop[-2:], day + 1)
            yield self.ev({"type": "handoff", "event_time": self.t(day + 1, 6 + i * 0.1), "party": shop,
                           "action": "receive", "from_party": ws, "to_party": shop,
                           "lot": {"code": voucher, "quantity": share, "unit": "kg"},
                           "document": f"PZ{rl[-9:]}",
                           "new_lot": {"code": rl, "product": product, "quantity": share, "unit": "kg"}})
            kind = self.d.parties[shop]["kind"]
            self.tally(f"{'pork' if product == 'pork' else 'veg'}_kg_to_{kind}", share)
            self.last["lots"].append(rl)
            left = self.last["left"].get(shop, 0.0) + share
            if test_at_market and kind in ("supermarket", "farmers_market") and self.extra.random() < 0.25:
                # the shop's own test room (快检室) samples what it received
                yield self.ev({"type": "certificate", "event_time": self.t(day + 1, 7 + i * 0.1), "party": shop,
                               "issuer": shop, "kind": "pesticide_rapid_test", "number": f"KJ{rl[-10:]}",
                               "result": "pass", "lots": [rl],
                               "measurements": [{"analyte": "organophosphates (AChE inhibition %)",
                                                 "value": round(self.extra.uniform(2, 30), 1), "limit": 50,
                                                 "unit": "%"}]})
                self.tally(f"rapid_tests_{kind}")
            if kind in ("school_canteen", "restaurant"):
                self.receipts.append((day + 1, rl))
                self.last["left"][shop] = left
                continue  # caterers use, they do not sell on
            for j in range(r.randint(2, 5)):
                receipt = self.code("51" + shop[-2:], day + 1)
                qty = round(r.uniform(0.3, 2.5), 2)
                yield self.ev({"type": "retail_sale", "event_time": self.t(day + 1, 9 + j), "party": shop,
                               "lot": {"code": rl, "quantity": qty, "unit": "kg"}, "receipt": receipt})
                self.receipts.append((day + 1, receipt))
                self.last["lots"].append(receipt)
                left -= qty
                if product == "pork" and not over_sell and self.d.sample_receipt is None:
                    self.d.sample_receipt = receipt
            self.last["left"][shop] = left
        if over_sell:
            yield bought

    def veg_chain(self, day: int) -> Iterator[dict]:
        r = self.rnd
        base = r.choice(self.ids("VB"))
        crop = r.choice(VEG)
        kg = float(r.randrange(200, 2000, 10))
        lot = self.code("12" + base[-2:], day)
        yield self.ev({"type": "commission", "event_time": self.t(day, 4), "party": base, "activity": "harvest",
                       "lots": [{"code": lot, "product": crop, "quantity": kg, "unit": "kg"}]})
        if r.random() < 0.3:
            name, days = r.choice(PESTICIDES)
            yield self.ev({"type": "input_application", "event_time": self.t(day - days - r.randint(1, 10), 8),
                           "party": base, "lots": [lot], "input_kind": "pesticide", "input_name": name,
                           "interval_days": days})
        yield self.ev({"type": "certificate", "event_time": self.t(day, 5), "party": base, "issuer": base,
                       "kind": "compliance", "number": f"HG{lot[-10:]}", "result": "pass", "lots": [lot],
                       "quantity": kg, "unit": "kg"})
        self.tally("veg_lots")
        self.tally(f"veg_{crop}")
        if self.extra.random() < 0.05:
            yield self.lab_test(day, 6, lot, "pesticide residues (chlorpyrifos)", 50)
            self.tally("lab_tests_veg")
        yield from self.distribute(day, base, lot, crop, kg, self.ids("WV"), test_at_market=True)

    def rogue_beef(self, day: int) -> Iterator[dict]:
        """Planted: cattle slaughtered at an unregistered point, no quarantine, sold at a market."""
        farm = self.ids("HF")[0]
        cattle = self.code("1100", day)
        yield self.ev({"type": "commission", "event_time": self.t(day, 5), "party": farm, "activity": "raising",
                       "lots": [{"code": cattle, "product": "live_cattle", "quantity": 2, "unit": "head"}]})
        yield self.ev({"type": "handoff", "event_time": self.t(day, 20), "party": "XW001", "action": "receive",
                       "from_party": farm, "to_party": "XW001",
                       "lot": {"code": cattle, "quantity": 2, "unit": "head"}})
        beef = self.code("2199", day)
        yield self.ev({"type": "transformation", "event_time": self.t(day, 22), "party": "XW001",
                       "kind": "slaughter", "inputs": [{"code": cattle, "quantity": 2, "unit": "head"}],
                       "outputs": [{"code": beef, "product": "beef", "quantity": 520.0, "unit": "kg"}]})
        stall = self.ids("FM")[0]
        rl = self.code("41" + stall[-2:], day + 1)
        yield self.ev({"type": "handoff", "event_time": self.t(day + 1, 5), "party": stall, "action": "receive",
                       "from_party": "XW001", "to_party": stall,
                       "lot": {"code": beef, "quantity": 120.0, "unit": "kg"},
                       "new_lot": {"code": rl, "product": "beef", "quantity": 120.0, "unit": "kg"}})
        for j in range(3):
            yield self.ev({"type": "retail_sale", "event_time": self.t(day + 1, 9 + j), "party": stall,
                           "lot": {"code": rl, "quantity": 1.0, "unit": "kg"},
                           "receipt": self.code("51" + stall[-2:], day + 1)})
        self.d.planted.append({"kind": "undesignated_slaughter", "lot": beef, "party": "XW001",
                               "reached": stall, "retail_lot": rl, "day": day})

    def complaints(self, most: int = 5) -> Iterator[dict]:
        """Consumer complaints on receipts from up to ``most`` of the source farm's pig lots, each
        accepted (受理) by the office the same day."""
        chains = [c for c in self.source_chains if c[1]]
        step = max(1, len(chains) // most)
        closures: list[dict] = []
        for n, (pig, receipts) in enumerate(chains[::step][:most], start=1):
            day, code = receipts[0]
            self.d.complaint_lots.append(code)
            yield self.ev({"type": "complaint", "event_time": self.t(day + 2, 10), "party": "REG001",
                           "complaint_id": f"TS{self.d.year}{n:04d}", "lots": [code], "channel": "hotline",
                           "description": "食用后腹泻、头晕 (diarrhoea and dizziness after eating)"})
            yield self.ev({"type": "complaint_acceptance", "event_time": self.t(day + 2, 15), "party": "REG001",
                           "complaint_id": f"TS{self.d.year}{n:04d}", "lots": [code]})  # 受理: it counts from now
            if n <= 3:  # the first three are closed (办结) a week later
                self.d.complaints_closed.append(f"TS{self.d.year}{n:04d}")
                closures.append(self.ev({
                    "type": "complaint_closure", "event_time": self.t(day + 9, 16), "party": "REG001",
                    "complaint_id": f"TS{self.d.year}{n:04d}", "lots": [code],
                    "resolution": "已调查处理并回复投诉人 (investigated; the complainant was answered)"}))
        yield from closures
