"""Controlled vocabularies, each value with its Chinese and English label."""

from __future__ import annotations

from enum import Enum

from foodtrace.model.glossary import terms


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
    KINDERGARTEN_CANTEEN = "kindergarten_canteen"  # 托幼机构食堂
    SMALL_WORKSHOP = "small_workshop"
    SMALL_SHOP = "small_shop"
    SMALL_STALL = "small_stall"
    RURAL_CHEF = "rural_chef"  # 农村流动厨师 (village banquets)
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
    ANIMAL_QUARANTINE = "animal_quarantine"  # 动物检疫合格证明（动物）: the live animals, by an official vet
    PRODUCT_QUARANTINE = "product_quarantine"  # 动物检疫合格证明（产品）: the carcass, by an official vet at slaughter
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


class SamplingProgram(Vocab):
    TABLEWARE = "tableware"  # 餐饮具洁净度抽检
    SPECIAL = "special"  # 专项抽检


class DestructionReason(Vocab):
    EXPIRED = "expired"
    COUNTERFEIT = "counterfeit"
    NONCONFORMING = "nonconforming"


# Every value's (zh, en) label: the glossary's terms (``model/glossary.toml``, the one file of terms).
LABELS: dict[str, tuple[str, str]] = terms()
