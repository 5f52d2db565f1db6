"""The write door's refusals (permissions, authority, custody, recalls, the store's own) in zh and en.

A refusal is an error detail with a message key and its arguments (``refusal``): its ``reason``
is the English text (what API clients have always read), and ``localize`` renders it again in the
reader's language — the HTTP error shape (``?lang=`` / ``Accept-Language``), a ledger import (its
rows and columns) and the command line (``--lang``). Arguments that are codes of a vocabulary
(units, kinds of certificate and of party, event types, roles) are shown by their Chinese names in
zh; party ids and trace codes as they are."""

from __future__ import annotations

from typing import Any

from foodtrace.i18n.input_errors import INPUT_ERRORS
from foodtrace.i18n.inputs import INPUT_TEXT
from foodtrace.i18n.service_errors import SERVICE_ERRORS
from foodtrace.model.registry import ALL_LABELS

# key -> (zh, en); en reproduces the texts the write door has always given.
REFUSALS_TEXT: dict[str, tuple[str, str]] = {
    # custody (services/capture/custody.py)
    "custody_recalled": ("批次 {code} 已被召回（召回编号 {recall}），不得继续流通",
                         "lot {code} is under recall {recall}: it may not be passed on"),
    "custody_not_held": ("{party} 未持有批次 {code}", "{party} does not hold lot {code}"),
    "custody_holds_only": ("{party} 仅持有批次 {code} {held} {unit}", "{party} holds only {held} {unit} of lot {code}"),
    "custody_not_enough": ("{party} 持有的批次 {code} 不足此数量", "{party} does not hold that much of lot {code}"),
    # the same refusals to a caller who may not read the lot or another party's holding (services/capture/refusal_cut.py)
    "custody_recalled_unseen": ("批次 {code} 已被召回，不得继续流通", "lot {code} is under recall: it may not be passed on"),
    "custody_sender_short": ("记录显示 {party} 无法交付这一数量的批次 {code}",
                             "the records do not show that {party} can pass on this much of lot {code}"),
    "custody_not_shipped": ("没有 {from_party} 向 {to_party} 发出批次 {code} 的记录：请通过进货查验登记此次到货",
                            "no shipment of lot {code} from {from_party} to {to_party} is recorded: register the "
                            "delivery at /api/v1/receipts"),
    "recall_unknown": ("没有编号为 {recall} 的召回", "no recall {recall}"),
    "recall_not_holder": ("召回 {recall} 未将 {party} 列为持有者", "recall {recall} does not name {party} as a holder"),
    "recall_retracted_confirm": ("召回 {recall} 已被撤销，无需确认", "recall {recall} was retracted: there is nothing to confirm"),
    "recall_lot_not_covered": ("批次 {code} 不在召回 {recall} 的范围内", "lot {code} is not one recall {recall} covers"),
    # authority (services/capture/authority.py)
    "authority_unregistered": ("{issuer} 不是已备案的主体；只有{kinds}可以开具{cert_kind}",
                               "{issuer} is not a registered party; only {kinds} may issue {cert_kind}"),
    "authority_wrong_kind": ("{party_kind}不得开具{cert_kind}，只有{kinds}可以开具",
                             "a {party_kind} may not issue {cert_kind}; only {kinds}"),
    "authority_lot_unknown": ("批次 {code} 尚无记录：请先记录该批次，再开具{cert_kind}",
                              "lot {code} is not known: record the lot before its {cert_kind}"),
    "authority_not_own": ("{issuer} 既未生产也未持有批次 {code}：{cert_kind}只能为本主体的批次开具",
                          "{issuer} neither made nor held lot {code}: a {cert_kind} covers only the issuer's own lots"),
    # what a party says about lots it does not pass on (services/capture/touch.py)
    "touch_lot_unknown": ("批次 {code} 尚无记录：请先记录该批次，再录入{type}",
                          "lot {code} is not known: record the lot before a {type} about it"),
    "touch_not_own": ("{party} 既未生产也未持有批次 {code}：{type}只能针对本主体的批次",
                      "{party} neither made nor held lot {code}: a {type} is only about the party's own lots"),
    "touch_not_packed": ("批次 {code} 未装入 {parent}，也不是本主体的批次：不能从中拆出",
                         "lot {code} was never packed into {parent} and is not the party's: it cannot be unpacked from it"),
    # permissions (services/capture/access.py)
    "access_own_route": ("{type}记录只能通过 {route} 录入", "{type} events are recorded only through {route}"),
    "access_not_role": ("{role}无权录入{type}记录", "{type} events are not {role_a}'s to record"),
    "access_own_party": ("只能以本主体（{party}）的名义录入", "this caller records only as party '{party}'"),
    "access_retract_route": ("{type}记录不能在此更正", "{type} events cannot be retracted here"),
    # an inspector limited to areas (services/capture/office_scope.py)
    "door_outside_areas": ("未存入：部分记录涉及本监管人员辖区（{areas}）以外的主体、批次或地区",
                           "the batch was not stored: some of its records are about businesses, lots or areas "
                           "outside this inspector's areas {areas}"),
    "scope_party_not_in_areas": ("主体 {party} 不在本监管人员的辖区内", "party '{party}' is outside the inspector's areas"),
    "scope_area_not_in_areas": ("地区 {area} 不在本监管人员的辖区内", "area {area} is outside the inspector's areas"),
    "scope_campaign_whole_district": ("未填写地区即覆盖全区；本监管人员只能在其辖区（{areas}）内开展专项整治",
                                      "no areas means the whole district; this inspector launches campaigns only "
                                      "within its areas {areas}"),
    "access_retract_other": ("记录 {event} 不属于本主体（{party}）", "event {event} is not one of party '{party}''s"),
    # the store (graph/batch.py)
    "store_conflict": ("记录 {event} 此前已以不同内容存入", "event {event} was captured before with other content"),
    "store_lot_twice": ("追溯码 {code} 在本批记录中被创建了两次", "lot {code} is created twice in this batch"),
    "store_lot_exists": ("追溯码 {code} 已存在（由记录 {event} 创建）", "lot {code} already exists (created by event {event})"),
    "store_lot_exists_unseen": ("追溯码 {code} 已存在", "lot {code} already exists"),
    "store_cycle": ("将 {a} 关联到 {b} 会形成循环（{b} 已通向 {a}）",
                    "linking {a} -> {b} closes a cycle ({b} already leads to {a})"),
    "store_twice_in_batch": ("记录 {event} 在本批记录中出现两次，且内容不同",
                             "event {event} appears twice in the batch with other content"),
    "store_retract_self": ("记录不能撤销其自身", "an event cannot retract itself"),
    "store_already_retracted": ("记录 {event} 已被撤销", "event {event} is already retracted"),
    "store_retract_unknown": ("没有编号为 {event} 的记录", "event {event} is not known"),
    "store_corrective_retracted": ("更正记录 {event} 已被撤销", "event {event} is retracted"),
    "store_id_conflict": ("记录编号冲突：本批记录未存入", "event id conflict: the batch was not stored"),
    "store_not_stored": ("本批记录未存入", "the batch was not stored"),
    "store_cycle_refused": ("本批记录未存入：会使批次来源关系形成循环",
                            "the batch was not stored: it would close a cycle in the lot lineage"),
    # a value outside a vocabulary (products, units, kinds of party and of certificate…): pydantic's
    # own English, the Chinese names in zh
    "unknown_value": ("无法识别的取值“{value}”，可填：{choices}", "Input should be {expected}"),
    # the messages of the errors these details come in
    "door_forbidden": ("未存入：本调用方无权录入其中部分记录",
                       "the batch was not stored: this caller may not write some of its events"),
    "backup_needs_file": ("在线备份只适用于文件型存储库", "an online backup needs a SQLite file store"),
    "backup_exists": ("{path} 已存在；备份从不覆盖已有文件", "{path} exists; a backup never overwrites"),
    "backup_failed": ("{path} 备份失败：{reason}", "backup of {path} failed: {reason}"),
    # supervision records (services/supervision/records.py, office_records.py)
    "record_unknown_parties": ("主体未备案，未记录任何内容", "unknown parties; nothing was recorded"),
    "record_party_unregistered": ("{party} 不是已备案的主体", "{party} is not a registered party"),
    "record_id_used": ("{type} {record_id} 已存在", "{type} {record_id} exists already"),
    "record_id_used_reason": ("已被使用", "used before"),
    "sample_result_recorded": ("样品 {sample} 的检验结果已记录", "the result of sample {sample} is recorded already"),
    "sample_result_early": ("检验结果须晚于采样时间（{taken}）", "a result comes after the sample is taken ({taken})"),
    "door_refused": ("{n} 条记录不能存入，未存入任何记录", "{n} event(s) may not be recorded; nothing was stored"),
    # the period of a report or of figures (services/report/period.py)
    "bad_zone": ("无法识别的时区“{text}”", "bad time zone '{text}'"),
    "zone_within": ("时差须在 ±14:00 以内", "an offset within ±14:00"),
    "zone_form": ("应为 {offset} 这样的时差、{utc}，或 {name} 这样的时区名",
                  "an offset such as {offset}, {utc} or a name such as {name}"),
    "bad_date": ("日期“{value}”（{field}）无效", "bad date '{value}' for {field}"),
    "date_form": ("应为 2025-01-31 这样的日期", "a date such as 2025-01-31"),
    "date_range": ("须在 1970-01-01 至 2200-01-01 之间", "must lie between 1970-01-01 and 2200-01-01"),
    "period_reversed": ("统计期间的起始日（{begin}）晚于截止日（{end}）", "the period starts ({begin}) after it ends ({end})"),
    "on_or_before": ("不得晚于 {end}", "on or before {end}"),
    "period_too_long": ("一份报告最多涵盖 20 年", "a report covers at most 20 years"),
    "within_20_years": ("须在截止日之前 20 年以内", "within 20 years of to"),
    # a request's values refused by pydantic (i18n/inputs.py)
    **INPUT_TEXT,
}

REFUSALS_TEXT.update(SERVICE_ERRORS)  # every other error's texts, said the same way
REFUSALS_TEXT.update(INPUT_ERRORS)

# Arguments shown by their names (a vocabulary's label) rather than their codes, in zh.
_NAMED = {"unit", "cert_kind", "party_kind", "type", "role"}
_NAMED_LISTS = {"kinds", "choices"}


def _shown(name: str, value: Any, lang: str) -> Any:
    if lang == "en":
        return " / ".join(value) if isinstance(value, (list, tuple)) else value
    if name in _NAMED_LISTS and isinstance(value, (list, tuple)):
        return "、".join(ALL_LABELS.get(v, (v, v))[0] for v in value)
    if name in _NAMED and isinstance(value, str):
        return ALL_LABELS.get(value, (value, value))[0]
    return value


def known(key: str | None) -> bool:
    """Whether ``key`` has texts: a key of the table, or keys of it joined by ``+`` (a text followed by a note
    such as "(positions are line numbers)": ``i18n.keyed.noted``)."""
    return bool(key) and all(part in REFUSALS_TEXT for part in key.split("+"))


def say_refusal(key: str, lang: str, args: dict[str, Any]) -> str:
    """The text of refusal ``key`` in ``lang`` (zh or en) with ``args``; a joined key says its parts in turn."""
    shown = {k: _shown(k, v, lang) for k, v in args.items()}
    return "".join(REFUSALS_TEXT[part][1 if lang == "en" else 0].format(**shown) for part in key.split("+"))


def refusal(position: int | None, field: str | None, key: str, **args: Any) -> dict[str, Any]:
    """An error detail (``errors.detail``'s shape) whose reason has message ``key``: the English text,
    with the key and its arguments kept so that ``localize`` can say it in another language."""
    plain = {k: (list(v) if isinstance(v, tuple) else v) for k, v in args.items()}
    return {"position": position, "field": field, "reason": say_refusal(key, "en", plain), "key": key,
            "args": plain}


def vocabulary_error(position: int | None, field: str | None, err: dict[str, Any]) -> dict[str, Any] | None:
    """A pydantic ``enum`` error (a value outside a vocabulary) as a keyed detail, or None for others."""
    if err.get("type") != "enum" or err.get("input") is None:
        return None
    expected = str(err.get("ctx", {}).get("expected", ""))
    choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",") if c.strip(" '")]
    value = err.get("input")
    return {"position": position, "field": field, "reason": err.get("msg", "invalid"), "key": "unknown_value",
            "args": {"value": str(value)[:40], "expected": expected, "choices": choices}}


def localize(exc, lang: str):
    """Say ``exc`` (a ``FoodtraceError``) and its keyed details in ``lang``, once: a second call (a
    ledger import said them in its reader's language already) changes nothing. Details keep their
    ``key``; their arguments are dropped (a key of another table keeps them). Returns ``exc``."""
    if getattr(exc, "lang", None):
        return exc
    lang = "en" if lang == "en" else "zh"
    for d in exc.details:
        if isinstance(d, dict) and known(d.get("key")) and "args" in d:
            d["reason"] = say_refusal(d["key"], lang, d.pop("args"))
    if known(exc.key):
        exc.message = say_refusal(exc.key, lang, exc.args_of_key)
    exc.lang = lang
    return exc


__all__ = ["REFUSALS_TEXT", "known", "refusal", "localize", "say_refusal", "vocabulary_error"]
