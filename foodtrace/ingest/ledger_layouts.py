"""The ledgers (台账) a business keeps and the columns of each, as the templates write them
(``foodtrace template KIND``) and the importer reads them: purchase ledger (进货台账), sales ledger
(销售台账), test records (快检记录), certificates of compliance issued (合格证开具) and a market's
settlement records (结算记录, one row per transaction of its settlement terminal).

A column is (key, Chinese header, English header, kind of cell, required, example). Headers are
matched without white space, case or a bracketed note: ``单价``, ``单价（元）`` and ``Unit price``
are the same column."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: str  # time party code codes text number money product unit cert_kind result
    required: bool = False
    example: object = None
    aliases: tuple[str, ...] = ()
    default_party: bool = False  # empty: the importing party


@dataclass(frozen=True)
class Ledger:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    # model field (its first part) -> the column it comes from, for error positions
    fields: tuple[tuple[str, str], ...]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def _c(key, zh, en, kind, required=False, example=None, aliases=(), default_party=False) -> Column:
    return Column(key, zh, en, kind, required, example, tuple(aliases), default_party)


_DAY = "2025-03-01"
LEDGERS: dict[str, Ledger] = {
    "purchase": Ledger("purchase", "进货台账", "purchase ledger", (
        _c("time", "进货日期", "purchase date", "time", True, _DAY, ("进货时间", "日期", "date", "time")),
        _c("supplier", "供货方", "supplier", "party", True, "WS001", ("供货者", "供应商", "供货单位")),
        _c("receiver", "收货方", "receiver", "party", False, "ST001", ("进货方", "购货方"), default_party=True),
        _c("code", "追溯码", "trace code", "code", True, "WS001-V-0001", ("批次", "批次号", "lot")),
        _c("product", "产品", "product", "product", False, "猪肉", ("品名", "产品名称", "商品")),
        _c("quantity", "数量", "quantity", "number", True, 50, ("重量", "weight")),
        _c("unit", "单位", "unit", "unit", True, "斤"),
        _c("unit_price", "单价", "unit price", "money", False, 14.5, ("price",)),
        _c("amount", "金额", "amount", "money", False, 725),
        _c("document", "单据号", "document", "text", False, "PZ-0001", ("送货单号", "凭证号", "票据号")),
        _c("new_code", "本店追溯码", "our trace code", "code", False, None, ("新追溯码",)),
    ), (("from_party", "supplier"), ("to_party", "receiver"), ("party", "receiver"), ("lot.code", "code"),
        ("lot.quantity", "quantity"), ("lot.unit", "unit"), ("new_lot.code", "new_code"),
        ("new_lot", "product"), ("lot", "code"), ("unit_price", "unit_price"), ("amount", "amount"),
        ("currency", "amount"), ("document", "document"), ("event_time", "time"), ("declared", "quantity"),
        ("action", "supplier"))),
    "sales": Ledger("sales", "销售台账", "sales ledger", (
        _c("time", "销售日期", "sale date", "time", True, _DAY, ("销售时间", "日期", "date", "time")),
        _c("seller", "销售方", "seller", "party", False, "WS001", ("销货方",), default_party=True),
        _c("buyer", "购货方", "buyer", "party", False, "ST001", ("购买方", "客户", "customer")),
        _c("code", "追溯码", "trace code", "code", True, "WS001-V-0001", ("批次", "批次号", "lot")),
        _c("product", "产品", "product", "product", False, "猪肉", ("品名", "产品名称", "商品")),
        _c("quantity", "数量", "quantity", "number", True, 20, ("重量", "weight")),
        _c("unit", "单位", "unit", "unit", True, "千克"),
        _c("unit_price", "单价", "unit price", "money", False, 30, ("price",)),
        _c("amount", "金额", "amount", "money", False, 600),
        _c("document", "单据号", "document", "text", False, "XS-0001", ("销售单号", "凭证号")),
        _c("receipt", "小票追溯码", "receipt code", "code", False, None, ("小票号",)),
    ), (("from_party", "seller"), ("to_party", "buyer"), ("party", "seller"), ("lot.code", "code"),
        ("lot.quantity", "quantity"), ("lot.unit", "unit"), ("lot", "code"), ("receipt", "receipt"),
        ("unit_price", "unit_price"), ("amount", "amount"), ("currency", "amount"), ("document", "document"),
        ("event_time", "time"), ("declared", "quantity"))),
    "tests": Ledger("tests", "快检记录", "test records", (
        _c("time", "检测日期", "test date", "time", True, _DAY, ("检测时间", "日期", "date", "time")),
        _c("issuer", "检测主体", "tested by", "party", False, "FM001", ("检测单位", "检测方"), default_party=True),
        _c("number", "检测编号", "test number", "text", True, "KJ-0001", ("编号", "样品编号")),
        _c("kind", "检测项目", "test", "cert_kind", False, "农药残留快检", ("检测类别", "项目")),
        _c("code", "追溯码", "trace code", "codes", True, "WS001-V-0001", ("批次", "批次号", "lot")),
        _c("product", "产品", "product", "product", False, "小白菜", ("品名", "样品名称")),
        _c("result", "结果", "result", "result", True, "合格", ("检测结果", "结论")),
    ), (("issuer", "issuer"), ("party", "issuer"), ("number", "number"), ("kind", "kind"), ("lots", "code"),
        ("result", "result"), ("event_time", "time"), ("declared", "quantity"))),
    "compliance": Ledger("compliance", "合格证开具", "certificates of compliance", (
        _c("time", "开具日期", "issue date", "time", True, _DAY, ("开具时间", "日期", "date", "time")),
        _c("issuer", "开具方", "issuer", "party", False, "VB001", ("开具主体", "生产者"), default_party=True),
        _c("number", "合格证编号", "certificate number", "text", True, "HGZ-0001", ("证号", "编号")),
        _c("code", "追溯码", "trace code", "codes", True, "VB001-0001", ("批次", "批次号", "lot")),
        _c("product", "产品", "product", "product", False, "番茄", ("品名", "产品名称")),
        _c("quantity", "数量", "quantity", "number", False, 200, ("重量", "weight")),
        _c("unit", "单位", "unit", "unit", False, "千克"),
    ), (("issuer", "issuer"), ("party", "issuer"), ("number", "number"), ("lots", "code"),
        ("quantity", "quantity"), ("unit", "unit"), ("event_time", "time"), ("declared", "quantity"))),
    "settlement": Ledger("settlement", "结算记录", "settlement records", (
        _c("time", "交易时间", "transaction time", "time", True, "2025-03-01 06:15", ("结算时间", "time")),
        _c("market", "市场", "market", "party", False, "WM001", ("市场编号",), default_party=True),
        _c("seller", "卖方", "seller", "party", True, "WS001", ("销售方", "批发商")),
        _c("buyer", "买方", "buyer", "party", True, "FM001", ("购买方", "购货方")),
        _c("code", "追溯码", "trace code", "code", True, "WS001-P-0001", ("批次", "批次号", "lot")),
        _c("product", "产品", "product", "product", False, "猪肉", ("品名", "商品")),
        _c("quantity", "重量", "weight", "number", True, 35.2, ("数量", "quantity")),
        _c("unit", "单位", "unit", "unit", False, "千克"),
        _c("unit_price", "单价", "unit price", "money", True, 26.0, ("price",)),
        _c("amount", "金额", "amount", "money", True, 915.2),
        _c("document", "交易号", "transaction number", "text", True, "JS-0001", ("交易流水号", "流水号", "结算单号")),
    ), (("from_party", "seller"), ("to_party", "buyer"), ("party", "seller"), ("place", "market"),
        ("lot.code", "code"), ("lot.quantity", "quantity"), ("lot.unit", "unit"), ("lot", "code"),
        ("unit_price", "unit_price"), ("amount", "amount"), ("currency", "amount"), ("document", "document"),
        ("event_time", "time"), ("declared", "quantity"))),
}
TEMPLATE_KINDS = ("purchase", "sales", "tests", "compliance", "settlement")


def norm_header(text: object) -> str:
    """A header as compared: no bracketed note, no white space, lower case."""
    s = re.sub(r"[（(][^）)]*[）)]", "", str(text or ""))
    return re.sub(r"\s+", "", s).lower()


def header_map(ledger: Ledger) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in ledger.columns:
        for h in (c.zh, c.en, c.key, *c.aliases):
            out.setdefault(norm_header(h), c.key)
    return out


def ledger_named(name: str | None) -> Ledger | None:
    """The ledger a sheet (or a ``--ledger`` option) names: its key, Chinese or English name."""
    n = norm_header(name)
    return next((lg for lg in LEDGERS.values() if n in (lg.key, norm_header(lg.zh), norm_header(lg.en))), None)


def ledger_of_header(header: list[object]) -> Ledger | None:
    """The one ledger whose required columns all appear in ``header`` (and most of whose do)."""
    seen = {norm_header(h) for h in header if h not in (None, "")}
    fits = []
    for lg in LEDGERS.values():
        hm = header_map(lg)
        keys = {hm[h] for h in seen if h in hm}
        if all(c.key in keys for c in lg.columns if c.required):
            fits.append((len(keys) - len(seen - set(hm)), lg))
    fits.sort(key=lambda f: -f[0])
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    return fits[0][1]
