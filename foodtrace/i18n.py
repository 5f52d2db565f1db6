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
    # food-safety rules (foodtrace.services.rules): one template per finding code
    "unregistered": ("未备案", "unregistered"),
    "rule_unknown_lot": ("追溯码 {lot} 未登记", "trace code {lot} is not known"),
    "rule_upstream_gap": ("上游批次 {lot} 缺少自身记录（未确认）", "upstream lot {lot} has no records of its own (unconfirmed)"),
    "rule_recalled": ("批次 {lot} 已被召回（{recall}）", "lot {lot} is recalled ({recall})"),
    "rule_failed_test": ("批次 {lot} 的{kind}不合格（{number}，{issuer_party}）",
                         "{kind} {number} by {issuer_party} failed on lot {lot}"),
    "rule_missing_certificate": ("批次 {lot}（{product}）缺少合格的{kind}", "lot {lot} ({product}) has no passing {kind}"),
    "rule_missing_any": ("批次 {lot}（{product}）没有有效的{kinds}（快检 {days} 天内有效）",
                         "lot {lot} ({product}) has no valid {kinds} (a rapid test counts for {days} days)"),
    "rule_certificate_short": ("{kind}只证明 {certified} {unit}，批次 {lot} 却有 {quantity} {unit}（证物不符）",
                               "{kind} covers {certified} {unit} but lot {lot} holds {quantity} {unit}"),
    "rule_undesignated_slaughter": ("批次 {lot} 在非定点屠宰点 {party} 屠宰（{status}），疑似私屠滥宰",
                                    "lot {lot} was slaughtered at {party}, not a designated slaughterhouse ({status})"),
    "rule_no_slaughter_record": ("肉品批次 {lot} 上游没有定点屠宰记录（来自 {party}），疑似私屠滥宰",
                                 "meat lot {lot} has no designated slaughterhouse upstream (it came from {party})"),
    "rule_withdrawal_period": ("{input_kind} {input} 于 {applied} 使用（间隔期 {interval} 天），批次 {lot} 于 {ended} {action}，差 {short} 天",
                               "{input_kind} {input} applied {applied} ({interval}-day interval); lot {lot}: {action} on {ended}, {short} days short"),
    "rule_mass_balance": ("批次 {lot} 只有 {received} {unit}，{party} 却交出 {passed_on} {unit}",
                          "lot {lot} held {received} {unit} but {party} passed on {passed_on} {unit}"),
    "rule_carcass_yield": ("屠宰 {lot}：每头出肉 {per_head} 千克，超出 {low}–{high} 千克的范围（{party}）",
                           "slaughter into {lot}: {per_head} kg per head, outside {low}–{high} kg ({party})"),
    "rule_transform_balance": ("{kind}得到 {lot}：投入 {inputs} {unit}，产出 {outputs} {unit}（{party}）",
                               "{kind} into {lot}: {outputs} {unit} out of {inputs} {unit} in ({party})"),
    "rule_party_balance": ("{party} 的{product}收到 {received} {unit}，却交出 {passed_on} {unit}",
                           "{party} passed on {passed_on} {unit} of {product} but received {received} {unit}"),
    "rule_quantity_exceeds": ("本次收货 {quantity} {unit} 超出批次 {lot} 的余量 {left} {unit}",
                              "receiving {quantity} {unit} exceeds what is left of lot {lot}: {left} {unit}"),
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
