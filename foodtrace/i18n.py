"""User-facing text in zh-CN and en. Vocabulary labels live in ``model.vocab``."""

from __future__ import annotations

from .model.vocab import LABELS

TEXT: dict[str, tuple[str, str]] = {
    "backward": ("逆向溯源", "backward trace"),
    "forward": ("顺向追踪", "forward trace"),
    "lot": ("批次", "lot"),
    "unconfirmed": ("未确认（缺少上游记录）", "UNCONFIRMED (its own records are missing)"),
    "by": ("经手", "by"),
    "held": ("持有", "held by"),
    "see_above": ("（见上）", "(see above)"),
    "gaps": ("缺口", "gaps"),
    "lots": ("个批次", "lots"),
    "truncated": ("结果已截断", "result truncated"),
    "input": ("投入品", "input"),
    "days": ("天", "days"),
    "consumer": ("消费者", "consumer"),
    "title": ("食品追溯", "Food traceability"),
    "trace_code": ("追溯码", "Trace code"),
    "product": ("产品", "Product"),
    "origin": ("产地", "Origin"),
    "journey": ("流通环节", "Journey"),
    "certs_tests": ("证明与检测", "Certificates and tests"),
    "no_records": ("暂无记录", "No records"),
    "gap_note": ("部分上游记录尚未上报", "Some upstream records have not been reported yet"),
    "other_lang": ("English", "中文"),
    "demo_loaded": ("示范区数据已载入", "Demo district loaded"),
    "consumer_link": ("消费者扫码页面", "Consumer page"),
    "sample_receipt": ("示例小票追溯码", "Sample receipt code"),
    "serving": ("服务地址", "Serving on"),
    "stored": ("已存入", "stored"),
    "duplicates": ("重复（已存在）", "duplicates (already stored)"),
    "placeholders": ("未确认占位批次", "unconfirmed placeholder lots"),
    "events": ("条事件", "events"),
    "recalled_banner": ("该批次已被召回，请勿食用", "This lot has been RECALLED — do not eat it"),
    "businesses": ("经营主体", "Businesses"),
    "unregistered": ("未备案主体", "unregistered business"),
    # market entry (市场准入): reasons for refusing a lot, with {placeholders}
    "entry.unknown_lot": ("追溯码 {code} 未登记", "trace code {code} is not known"),
    "entry.unconfirmed_lot": ("批次 {code} 的上游记录缺失，无法核验", "lot {code} cannot be verified: its own records are missing"),
    "entry.no_supplier": ("批次 {code} 当前没有可供货的持有方", "nobody but the receiver or a consumer holds lot {code}"),
    "entry.not_from_supplier": ("供货方 {supplier} 从未持有批次 {code}", "supplier {supplier} never held lot {code}"),
    "entry.unit_mismatch": ("单位不符：批次以{lot_unit}计，申报为{unit}", "unit mismatch: the lot is counted in {lot_unit_en}, the delivery in {unit_en}"),
    "entry.quantity_not_covered": ("数量不符：供货方仅持有 {held} {unit}，申报 {quantity} {unit}",
                                   "quantity not covered: the supplier holds {held} {unit_en} of it, the delivery says {quantity} {unit_en}"),
    "entry.recalled": ("批次 {code} 已被召回", "lot {code} is under recall"),
    "key_created": ("API 密钥（仅显示这一次，请妥善保存）", "API key (shown this once; keep it safe)"),
    "schema_ready": ("约束与索引已就绪", "constraints and indexes ready"),
    "copied": ("已复制", "copied"),
    "warning": ("警告", "warning"),
    "not_traced": ("已存档但未追溯", "stored, not traced"),
    "rows": ("行", "rows"),
}


def t(key: str, lang: str = "zh") -> str:
    zh, en = TEXT.get(key) or LABELS.get(key) or (key, key)
    return en if lang == "en" else zh


def label(value: str | None, lang: str = "zh") -> str:
    if value is None:
        return "?"
    zh, en = LABELS.get(value, (value, value))
    return en if lang == "en" else zh


def pick_lang(explicit: str | None, accept_language: str | None = None, default: str = "zh") -> str:
    """``explicit`` (zh/en) wins; then the browser's first zh/en preference; then ``default``."""
    if explicit in ("zh", "en"):
        return explicit
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return default
