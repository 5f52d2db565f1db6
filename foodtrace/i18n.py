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
    "recalled_title": ("此批次已召回", "This lot has been recalled"),
    "recalled_advice": ("请停止食用，并联系购买的商家退货或咨询当地市场监管部门（12315）。",
                        "Do not eat it. Return it to the shop where you bought it, or call the market "
                        "regulator (12315)."),
    "demo_loaded": ("示范区数据已载入", "Demo district loaded"),
    "consumer_link": ("消费者扫码页面", "Consumer page"),
    "sample_receipt": ("示例小票追溯码", "Sample receipt code"),
    "serving": ("服务地址", "Serving on"),
    "stored": ("已存入", "stored"),
    "duplicates": ("重复（已存在）", "duplicates (already stored)"),
    "placeholders": ("未确认占位批次", "unconfirmed placeholder lots"),
    "events": ("条事件", "events"),
    "unregistered": ("未备案主体", "unregistered business"),
    # market entry (市场准入): reasons for refusing a lot, with {placeholders}
    "entry.unknown_lot": ("追溯码 {code} 未登记", "trace code {code} is not known"),
    "entry.unconfirmed_lot": ("批次 {code} 的上游记录缺失，无法核验", "lot {code} cannot be verified: its own records are missing"),
    "entry.no_supplier": ("批次 {code} 当前没有可供货的持有方", "nobody but the receiver or a consumer holds lot {code}"),
    "entry.not_from_supplier": ("供货方 {supplier} 从未持有批次 {code}", "supplier {supplier} never held lot {code}"),
    "entry.unit_mismatch": ("单位不符：批次以{lot_unit}计，申报为{unit}", "unit mismatch: the lot is counted in {lot_unit_en}, the delivery in {unit_en}"),
    "entry.quantity_not_covered": ("数量不符：供货方仅持有 {held} {unit}，申报 {quantity} {unit}",
                                   "quantity not covered: the supplier holds {held} {unit_en} of it, the delivery says {quantity} {unit_en}"),
    "key_created": ("API 密钥（仅显示这一次，请妥善保存）", "API key (shown this once; keep it safe)"),
    "schema_ready": ("约束与索引已就绪", "constraints and indexes ready"),
    "copied": ("已复制", "copied"),
    "warning": ("警告", "warning"),
    "not_traced": ("已存档但未追溯", "stored, not traced"),
    "rows": ("行", "rows"),
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
    "kind_failed_test": ("检测/检疫不合格", "failed tests"),
    "kind_undesignated_slaughter": ("非定点屠宰（私屠滥宰）", "undesignated slaughter"),
    "kind_withdrawal_period": ("未过休药期/安全间隔期", "withdrawal period not over"),
    "kind_mass_balance": ("进销不平衡", "mass balance"),
    "kind_missing_certificate": ("缺少合格证明", "missing certificates"),
    "kind_certificate_short": ("证物不符", "certified quantity short"),
    "check_title": ("全区检查", "district check"),
    "no_anomalies": ("未发现问题", "no problems found"),
    "responsible": ("责任主体", "responsible"),
    "reached": ("已流入", "reached"),
    "points": ("分", "points"),
    "scores_title": ("违法违规行为记分", "violation scores"),
    "rules_file": ("规则文件", "rules"),
    "accept": ("准予入场", "ACCEPT"),
    "reject": ("拒绝入场", "REJECT"),
    "entry_title": ("市场准入查验", "market-entry check"),
    "recall_title": ("召回", "recall"),
    "preview": ("预览（未记录）", "preview (not recorded)"),
    "open": ("进行中", "open"),
    "closed": ("已结束", "closed"),
    "retracted": ("已撤销", "retracted"),
    "affected_lots": ("受影响批次", "affected lots"),
    "holders": ("持有主体", "holders"),
    "received": ("收到", "received"),
    "passed_on": ("交出", "passed on"),
    "used": ("自用/加工", "used"),
    "still_held": ("可能仍持有", "possibly still held"),
    "bad_share": ("问题原料占比", "share of bad input"),
    "bad_quantity": ("含问题原料", "bad input"),
    "sold_to_consumers": ("已售给消费者", "sold to consumers"),
    "receipts": ("张小票", "receipts"),
    "confirmed": ("已确认", "confirmed"),
    "unconfirmed_holders": ("待确认", "to confirm"),
    "notices": ("召回通知", "notices"),
    "investigation_title": ("原因清查", "cause investigation"),
    "problem_lots": ("问题批次", "problem lots"),
    "shared_parties": ("共同经手主体", "shared parties"),
    "shared_lots": ("共同上游批次", "shared upstream lots"),
    "explains": ("可解释", "explains"),
    "descendants": ("下游批次", "descendants"),
    "lots_made": ("产生批次", "lots made"),
    "complaints_title": ("投诉举报", "complaints"),
    "recall_notice": ("【召回通知 {recall}】{party}：因 {reason}，请立即停止销售，封存并下架以下批次：{lots}；您可能仍持有 {held}。处理完毕后请确认。",
                      "[RECALL {recall}] {party}: because of {reason}, stop selling, hold and withdraw these lots at once: {lots}; you may still hold {held}. Please confirm when done."),
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
