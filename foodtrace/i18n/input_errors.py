"""The errors of what comes in and what is looked up (importers, tracing and codes, capture, the store, the
HTTP layer) in zh and en: key -> (zh, en), said like the write door's refusals (``i18n.refusals``:
``refusal`` for a detail, ``key=``/``args=`` for an error's message)."""

from __future__ import annotations

INPUT_ERRORS: dict[str, tuple[str, str]] = {
    # pydantic's errors of a field (ingest/capture.py ``reason_detail``; the English is pydantic's or ours)
    "pyd_missing": ("必填项", "field required"),
    "pyd_unknown_field": ("无法识别的字段", "unknown field"),
    "pyd_timezone": ("须带时区（如 2025-03-01T08:00:00+08:00）", "a time zone is required (e.g. 2025-03-01T08:00:00+08:00)"),
    "pyd_unknown_event_type": ("无法识别的记录类型；可填：{types}", "unknown event type; expected one of: {types}"),
    "pyd_type_required": ("必须填写字段 {field}", "field '{field}' required"),
    "pyd_int_parsing": ("应为整数，无法将其解析为整数", "Input should be a valid integer, unable to parse string as an integer"),
    "pyd_int": ("应为整数", "Input should be a valid integer"),
    "pyd_int_fraction": ("应为整数，不能带小数", "Input should be a valid integer, got a number with a fractional part"),
    "pyd_float_parsing": ("应为数字，无法将其解析为数字", "Input should be a valid number, unable to parse string as a number"),
    "pyd_float": ("应为数字", "Input should be a valid number"),
    "pyd_bool_parsing": ("应为是或否，无法识别该取值", "Input should be a valid boolean, unable to interpret input"),
    "pyd_bool": ("应为是或否", "Input should be a valid boolean"),
    "pyd_string": ("应为文本", "Input should be a valid string"),
    "pyd_dict": ("应为对象（键值对）", "Input should be a valid dictionary"),
    "pyd_list": ("应为列表", "Input should be a valid list"),
    "pyd_string_short": ("至少 {min_length} 个字符", "String should have at least {min_length} character{s}"),
    "pyd_string_long": ("最多 {max_length} 个字符", "String should have at most {max_length} character{s}"),
    "pyd_items_short": ("至少 {min_length} 项，实有 {actual_length} 项",
                        "{field_type} should have at least {min_length} item{s} after validation, not {actual_length}"),
    "pyd_items_long": ("最多 {max_length} 项，实有 {actual_length} 项",
                       "{field_type} should have at most {max_length} item{s} after validation, not {actual_length}"),
    "pyd_gt": ("须大于 {gt}", "Input should be greater than {gt}"),
    "pyd_ge": ("须大于或等于 {ge}", "Input should be greater than or equal to {ge}"),
    "pyd_lt": ("须小于 {lt}", "Input should be less than {lt}"),
    "pyd_le": ("须小于或等于 {le}", "Input should be less than or equal to {le}"),
    "pyd_pattern": ("格式不符，应符合 {pattern}", "String should match pattern '{pattern}'"),
    # the capture pipeline (ingest/capture.py)
    "capture_not_object": ("每条记录须为一个对象，不能是 {kind}", "an event must be a JSON object, not {kind}"),
    "capture_too_many": ("一批最多 {max} 条记录", "a batch may hold at most {max} events"),
    "capture_errors": ("本批有 {n} 处错误，未存入任何记录", "{n} error(s) in the batch; nothing was stored"),
    "capture_no_read_back": ("该记录存入后无法按原样读回：{reason}", "the event would not read back: {reason}"),
    "capture_read_back_other": ("该记录存入后读回的内容与提交的不同", "the event would not read back as sent"),
    "capture_not_list": ("一批记录须为记录的列表", "a batch must be a list of events"),
    "capture_expected_array": ("应为数组", "expected a JSON array"),
    "capture_expected_array_object": ("应为数组，实为对象", "expected a JSON array, got an object"),
    # the HTTP layer (api/errors.py)
    "api_request_invalid": ("请求无效", "the request is not valid"),
    "api_body_not_json": ("请求正文不是有效的 {fmt} 数据", "the request body is not valid {fmt}"),
    "api_body_unparsed": ("无法解析请求正文", "There was an error parsing the body"),
    # look-ups of trace codes (services/tracing/identifiers.py, trace.py, asof.py)
    "trace_unknown_code": ("没有追溯码为“{code}”的批次", "no lot with trace code '{code}'"),
    "trace_unknown_code_reason": ("无法识别的追溯码", "unknown trace code"),
    "trace_bad_gs1": ("商品条码格式有误：{reason}", "{reason}"),
    "trace_asof_zone": ("须带时区", "a time zone is required"),
    # QR codes and label sheets (services/tracing/qr.py)
    "qr_bad_format": ("二维码格式“{fmt}”无效，可选：{formats}", "QR format '{fmt}' is not one of {formats}"),
    "qr_formats": ("应为 {png} 或 {svg}", "{png} or {svg}"),
    "qr_no_lots": ("标签页上没有批次", "no lots for the label sheet"),
    "qr_give_a_code": ("请至少填写一个追溯码", "give at least one trace code"),
    "qr_too_many": ("一页标签最多 {max} 个批次", "a label sheet holds at most {max} lots"),
    "qr_codes_at_most": ("共 {n} 个追溯码，最多 {max} 个", "{n} codes; at most {max}"),
    "qr_needs_key": ("超过 {max} 个标签的标签页须使用接口密钥", "a sheet of more than {max} labels needs an API key"),
    "qr_public_at_most": ("不用密钥时最多 {max} 个", "at most {max} without a key"),
    # the consumer's report of a problem (services/tracing/consumer.py)
    "complaint_describe": ("请描述问题", "describe the problem"),
    "complaint_empty": ("未填写", "empty"),
    "complaint_too_long": ("问题描述超过 {max} 个字", "the description is longer than {max} characters"),
    "complaint_at_most": ("最多 {max} 个字", "at most {max} characters"),
}

__all__ = ["INPUT_ERRORS"]
