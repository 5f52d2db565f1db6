"""Controlled vocabularies, each value with its Chinese and English label."""

from __future__ import annotations

from enum import Enum


class Vocab(str, Enum):
    """A string enum whose members carry (zh, en) labels in ``LABELS``."""

    def label(self, lang: str = "zh") -> str:
        zh, en = LABELS.get(self.value, (self.value, self.value))
        return en if lang == "en" else zh


class PartyKind(Vocab):
    SCALE_FARM = "scale_farm"
    HOUSEHOLD_FARM = "household_farm"
    VEGETABLE_BASE = "vegetable_base"
    COLD_STORAGE = "cold_storage"
    DESIGNATED_SLAUGHTERHOUSE = "designated_slaughterhouse"
    PRODUCER = "producer"
    WHOLESALER = "wholesaler"
    WHOLESALE_MARKET = "wholesale_market"
    FARMERS_MARKET = "farmers_market"
    SUPERMARKET = "supermarket"
    RESTAURANT = "restaurant"
    SCHOOL_CANTEEN = "school_canteen"
    SMALL_WORKSHOP = "small_workshop"
    SMALL_SHOP = "small_shop"
    SMALL_STALL = "small_stall"
    TESTING_LAB = "testing_lab"
    REGULATOR = "regulator"
    ANIMAL_HEALTH_AUTHORITY = "animal_health_authority"  # 动物卫生监督机构: official veterinarians


class Category(Vocab):
    LIVESTOCK = "livestock"
    MEAT = "meat"
    VEGETABLE = "vegetable"
    OTHER = "other_category"


class Commodity(Vocab):
    # live animals
    LIVE_PIG = "live_pig"
    LIVE_CATTLE = "live_cattle"
    LIVE_SHEEP = "live_sheep"
    LIVE_POULTRY = "live_poultry"
    # meat
    PORK = "pork"
    BEEF = "beef"
    MUTTON = "mutton"
    POULTRY = "poultry"
    # vegetables
    CABBAGE = "cabbage"
    PAK_CHOI = "pak_choi"
    SPINACH = "spinach"
    LETTUCE = "lettuce"
    CELERY = "celery"
    TOMATO = "tomato"
    CUCUMBER = "cucumber"
    EGGPLANT = "eggplant"
    PEPPER = "pepper"
    POTATO = "potato"
    RADISH = "radish"
    CARROT = "carrot"
    LEEK = "leek"
    MIXED_VEGETABLES = "mixed_vegetables"
    # what a partner's data does not say (an EPCIS product class we cannot name)
    OTHER = "other"

    @property
    def category(self) -> Category:
        if self.value.startswith("live_"):
            return Category.LIVESTOCK
        if self in (Commodity.PORK, Commodity.BEEF, Commodity.MUTTON, Commodity.POULTRY):
            return Category.MEAT
        if self is Commodity.OTHER:
            return Category.OTHER
        return Category.VEGETABLE


class Unit(Vocab):
    KG = "kg"
    HEAD = "head"
    PIECE = "piece"  # a count of items that are not animals (cases, packs, pallets)


class TransformKind(Vocab):
    SLAUGHTER = "slaughter"
    CUTTING = "cutting"
    PROCESSING = "processing"
    MIXING = "mixing"
    REPACKING = "repacking"


class HandoffAction(Vocab):
    SHIP = "ship"
    RECEIVE = "receive"


class CertKind(Vocab):
    ANIMAL_QUARANTINE = "animal_quarantine"
    MEAT_QUALITY = "meat_quality"
    COMPLIANCE = "compliance"
    CLENBUTEROL_TEST = "clenbuterol_test"
    PESTICIDE_RAPID_TEST = "pesticide_rapid_test"
    LAB_TEST = "lab_test"
    EXTERNAL = "external_certificate"  # a certificate a partner's data refers to (EPCIS certificationInfo)

    @property
    def is_test(self) -> bool:
        return self in (CertKind.CLENBUTEROL_TEST, CertKind.PESTICIDE_RAPID_TEST, CertKind.LAB_TEST)


class Result(Vocab):
    PASS = "pass"
    FAIL = "fail"


class InputKind(Vocab):
    VETERINARY_DRUG = "veterinary_drug"
    PESTICIDE = "pesticide"


class Role(Vocab):
    """What an API key or a signed-in person may do (see ``services/capture/access.py``)."""

    OPERATOR = "operator"
    INSPECTOR = "inspector"
    ADMIN = "admin"
    VIEWER = "viewer"  # reads the reports only (leaders)


class RecallTrigger(Vocab):
    FAILED_TEST = "failed_test"
    INSPECTOR = "inspector"
    COMPLAINT = "complaint"


class ComplaintChannel(Vocab):
    HOTLINE = "hotline"
    ONLINE = "online"
    LETTER = "letter"
    VISIT = "visit"
    INSPECTION = "inspection"


# -- supervision (监督管理) ---------------------------------------------------


class InspectionMode(Vocab):
    ON_SITE = "on_site"
    ONLINE_PATROL = "online_patrol"


class InspectionOutcome(Vocab):
    NO_PROBLEM = "no_problem"
    RECTIFICATION = "rectification"  # 责令改正通知书
    SUSPENSION = "suspension"  # 停业整顿


class CaseSource(Vocab):
    ANOMALY = "anomaly"
    COMPLAINT = "complaint"
    FAILED_TEST = "failed_test"
    INSPECTION = "inspection"


class CaseStatus(Vocab):
    OPENED = "opened"  # 立案
    CLOSED = "closed"  # 办结
    HANDED_TO_POLICE = "handed_to_police"  # 移交公安机关


class DestructionReason(Vocab):
    EXPIRED = "expired"
    COUNTERFEIT = "counterfeit"
    NONCONFORMING = "nonconforming"


LABELS: dict[str, tuple[str, str]] = {
    # party kinds
    "scale_farm": ("规模养殖场", "scale farm"),
    "household_farm": ("养殖户", "household farm"),
    "vegetable_base": ("蔬菜基地", "vegetable base"),
    "cold_storage": ("冷库", "cold storage"),
    "designated_slaughterhouse": ("定点屠宰厂", "designated slaughterhouse"),
    "producer": ("食品生产企业", "food producer"),
    "wholesaler": ("批发商", "wholesaler"),
    "wholesale_market": ("批发市场", "wholesale market"),
    "farmers_market": ("农贸市场", "farmers' market"),
    "supermarket": ("超市", "supermarket"),
    "restaurant": ("餐饮单位", "restaurant"),
    "school_canteen": ("学校食堂", "school canteen"),
    "small_workshop": ("食品小作坊", "small workshop"),
    "small_shop": ("小食杂店", "small shop"),
    "small_stall": ("食品摊贩", "small stall"),
    "testing_lab": ("检测机构", "testing lab"),
    "animal_health_authority": ("动物卫生监督机构", "animal health supervision authority"),
    "regulator": ("监管部门", "regulator"),
    # categories
    "livestock": ("活畜禽", "livestock"),
    "meat": ("肉类", "meat"),
    "vegetable": ("蔬菜", "vegetables"),
    "other_category": ("其他", "other"),
    # commodities
    "live_pig": ("生猪", "live pigs"),
    "live_cattle": ("活牛", "live cattle"),
    "live_sheep": ("活羊", "live sheep"),
    "live_poultry": ("活禽", "live poultry"),
    "pork": ("猪肉", "pork"),
    "beef": ("牛肉", "beef"),
    "mutton": ("羊肉", "mutton"),
    "poultry": ("禽肉", "poultry meat"),
    "cabbage": ("大白菜", "Chinese cabbage"),
    "pak_choi": ("小白菜", "pak choi"),
    "spinach": ("菠菜", "spinach"),
    "lettuce": ("生菜", "lettuce"),
    "celery": ("芹菜", "celery"),
    "tomato": ("番茄", "tomato"),
    "cucumber": ("黄瓜", "cucumber"),
    "eggplant": ("茄子", "eggplant"),
    "pepper": ("辣椒", "pepper"),
    "potato": ("土豆", "potato"),
    "radish": ("萝卜", "radish"),
    "carrot": ("胡萝卜", "carrot"),
    "leek": ("韭菜", "Chinese leek"),
    "mixed_vegetables": ("混合蔬菜", "mixed vegetables"),
    "other": ("其他产品", "other product"),
    # units
    "kg": ("千克", "kg"),
    "head": ("头", "head"),
    "piece": ("件", "piece"),
    # transformations
    "slaughter": ("屠宰", "slaughter"),
    "cutting": ("分割", "cutting"),
    "processing": ("加工", "processing"),
    "mixing": ("混合", "mixing"),
    "repacking": ("分装", "repacking"),
    # commission activities
    "raising": ("出栏", "raised"),
    "harvest": ("采收", "harvested"),
    "production": ("生产", "produced"),
    # handoff
    "ship": ("发货", "shipped"),
    "receive": ("收货", "received"),
    # certificates and tests
    "animal_quarantine": ("动物检疫合格证明", "animal quarantine certificate"),
    "meat_quality": ("肉品品质检验合格证", "meat quality certificate"),
    "compliance": ("承诺达标合格证", "certificate of compliance"),
    "clenbuterol_test": ("瘦肉精检测", "clenbuterol test"),
    "pesticide_rapid_test": ("农药残留快检", "pesticide-residue rapid test"),
    "lab_test": ("实验室检测", "lab test"),
    "external_certificate": ("外部证书", "external certificate"),
    "pass": ("合格", "pass"),
    "fail": ("不合格", "fail"),
    "veterinary_drug": ("兽药", "veterinary drug"),
    "pesticide": ("农药", "pesticide"),
    # event types
    "complaint": ("投诉举报", "complaint"),
    # recall triggers
    "failed_test": ("检测不合格", "failed test"),
    "inspector": ("监管人员", "inspector"),
    # complaint channels
    "hotline": ("12315热线", "12315 hotline"),
    "online": ("网络", "online"),
    "letter": ("来信", "letter"),
    "visit": ("来访", "visit"),
    "inspection": ("监督检查", "inspection"),
    # roles of API keys
    "operator": ("经营主体", "operator"),
    "admin": ("管理员", "administrator"),
    "viewer": ("查阅人员", "viewer"),
    "pack": ("装箱", "packed"),
    "unpack": ("拆箱", "unpacked"),
    # supervision records (event types; "inspection" is above)
    # inspections
    "on_site": ("现场检查", "on-site inspection"),
    "online_patrol": ("网上巡查", "online patrol"),
    "no_problem": ("未发现问题", "no problem found"),
    "rectification": ("责令改正通知书", "rectification notice"),
    "suspension": ("停业整顿", "suspension"),
    # enforcement cases
    "anomaly": ("监测异常", "anomaly"),
    "opened": ("立案", "opened"),
    "closed": ("办结", "closed"),
    "handed_to_police": ("移交公安机关", "handed to the police"),
    # public destruction
    "expired": ("过期食品", "expired goods"),
    "counterfeit": ("假冒伪劣食品", "counterfeit goods"),
    "nonconforming": ("不合格或未经检验检疫的食品", "nonconforming or uninspected goods"),
}
