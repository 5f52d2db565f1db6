"""The trace CSV for people (real SQLite file): headers and values in the language asked, parties by
name, products, units, steps and certificates by their terms, times in the district's zone."""

from __future__ import annotations

import csv
from datetime import timedelta, timezone
import io

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.trace_table import trace_csv
from tests.builders import pork_chain


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_trace_csv_speaks_the_language_asked(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 't.db'}") as s:
        capture(s, pork_chain())
        zh = rows(trace_csv(s, "CARC", lang="zh", tz=timezone(timedelta(hours=8))))
        en = rows(trace_csv(s, "CARC", lang="en", tz=timezone.utc))
    assert list(zh[0])[:3] == ["方向", "层级", "追溯码"] and list(en[0])[:3] == ["direction", "depth", "trace code"]
    pig_zh = next(r for r in zh if r["追溯码"] == "PIG")
    pig_en = next(r for r in en if r["trace code"] == "PIG")
    assert pig_zh["方向"] == "上游" and pig_zh["产品"] == "生猪" and pig_zh["单位"] == "头"
    assert pig_en["direction"] == "upstream" and pig_en["product"] == "live pigs" and pig_en["unit"] == "head"
    assert pig_zh["经手主体"] == "Green Farm（F1）" and pig_en["made by"] == "Green Farm (F1)"
    assert "动物检疫合格证明" in pig_zh["证明"] and "合格" in pig_zh["证明"]
    assert "animal quarantine certificate" in pig_en["certificates"] and "pass" in pig_en["certificates"]
    assert "City Slaughterhouse（S1）" in pig_zh["持有主体及数量"]
    assert pig_zh["时间"] == "2025-03-01 08:00" and pig_en["time"] == "2025-03-01 00:00"  # +08:00 and UTC
    down = next(r for r in en if r["trace code"] == "RL")
    assert down["direction"] == "downstream" and down["made from"] == "WV"
    text = "".join(",".join(r.values()) for r in zh)
    assert "live_pig" not in text and "animal_quarantine" not in text and "backward" not in text


def test_a_holder_appears_once_per_row(tmp_path):
    """The slaughterhouse's ship and the wholesaler's receive are two reports of one handoff: the
    wholesaler is listed once, with what it received once; a second, real handoff adds up."""
    ship = {"type": "handoff", "action": "ship", "event_time": "2025-03-01T09:00:00+08:00", "party": "S1",
            "from_party": "S1", "to_party": "W1", "lot": {"code": "CARC", "quantity": 100, "unit": "kg"},
            "document": "DOC-1"}
    again = {**ship, "action": "receive", "party": "W1", "document": "DOC-2", "lot": {**ship["lot"], "quantity": 20},
             "event_time": "2025-03-02T09:00:00+08:00"}
    with open_store(f"sqlite:///{tmp_path / 't.db'}") as s:
        capture(s, [ship] + pork_chain())
        zh = rows(trace_csv(s, "CARC", lang="zh"))
        capture(s, [again])
        en = rows(trace_csv(s, "CARC", lang="en"))
    carc = next(r for r in zh if r["追溯码"] == "CARC")["持有主体及数量"]
    assert carc.count("（W1）") == 1 and "（W1）: 100" in carc, carc
    carc = next(r for r in en if r["trace code"] == "CARC")["holders and quantities"]
    assert carc.count("(W1)") == 1 and "(W1): 120" in carc, carc
