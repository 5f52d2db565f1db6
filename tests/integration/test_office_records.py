"""The office's records the annual report counts beside inspections and cases: publicity, interviews
(约谈), tableware and special sampling (with results pending), incidents, people trained, the value
involved in cases and the cases still in progress — and the report saying so, or that none happened."""

from __future__ import annotations

from datetime import date

import pytest

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.render.report import render_report
from foodtrace.services.report import district_report
from foodtrace.services.supervision.figures import supervision_figures
from tests.builders import register


def _ev(typ, day, hour=10, **kw):
    return {"type": typ, "event_time": f"2025-03-{day:02d}T{hour:02d}:00:00+08:00", "party": "REG", **kw}


@pytest.fixture
def mem():
    store = open_store("memory://")
    capture(store, [register("REG", "regulator"), register("SC1", "school_canteen"), register("M1", "supermarket")])
    yield store
    store.close()


def test_publicity_sampling_interviews_cases_and_incidents(mem):
    capture(mem, [
        _ev("publicity", 15, publicity_id="XC1", title="“3·15”宣传", materials=1200, media_posts=3),
        _ev("interview", 16, interview_id="YT1", subject="M1", reason="进货查验记录不全"),
        _ev("sampling", 5, sample_id="CJ1", program="tableware", subject="SC1", item="餐具", result="pass"),
        _ev("sampling", 5, sample_id="CJ2", program="tableware", subject="SC1", item="餐具", result="fail"),
        _ev("sampling", 20, sample_id="ZX1", program="special", subject="M1", item="猪肉"),
        _ev("sampling", 27, sample_id="ZX1", program="special", subject="M1", item="猪肉", result="pass"),
        _ev("sampling", 28, sample_id="ZX2", program="special", subject="M1", item="猪肉"),  # still at the lab
        _ev("training", 9, training_id="PX1", topic="培训", attendees=["SC1", "M1"], people=35),
        _ev("enforcement_case", 10, case_id="AJ1", subjects=["M1"], source="inspection", summary="无证经营",
            amount_yuan=12500.0),
        _ev("incident", 12, incident_id="SG1", description="学校食堂集体腹泻", people_affected=12),
        _ev("sampling", 2, sample_id="CJ9", program="tableware", subject="SC1", item="餐具", result="pass")
        | {"event_time": "2025-04-02T10:00:00+08:00"},  # April: outside the period
    ])
    f = {k: v["value"] for k, v in supervision_figures(mem, date(2025, 3, 1), date(2025, 3, 31)).items()}
    assert (f["publicity_events"], f["publicity_materials"], f["media_posts"]) == (1, 1200, 3)
    assert (f["tableware_samples"], f["tableware_passed"]) == (2, 1)
    assert (f["special_samples"], f["special_passed"], f["samples_pending"]) == (2, 1, 1)
    assert (f["interviews"], f["people_trained"], f["training_attendances"]) == (1, 35, 2)
    assert (f["cases_opened"], f["cases_in_progress"], f["case_amount"]) == (1, 1, 12500.0)
    assert f["incidents"] == 1
    # before the lab reported ZX1, both special samples were pending
    early = supervision_figures(mem, date(2025, 3, 1), date(2025, 3, 25))
    assert early["samples_pending"]["value"] == 1 and early["special_samples"]["value"] == 1
    r = district_report(mem, "2025-03-01", "2025-03-31")
    zh, en = render_report(r, "md", "zh"), render_report(r, "md", "en")
    assert "本期发生食品安全事故 1 起。" in zh and "1 food-safety incident(s)" in en
    assert "| 待检出结果（份） | 1 |" in zh and "| 总涉案金额（元） | 12,500.00 |" in zh


def test_the_report_says_when_no_incident_happened(mem):
    r = district_report(mem, "2025-03-01", "2025-03-31")
    assert "本期未发生食品安全事故。" in render_report(r, "md", "zh")
    assert "No food-safety incident happened in the period." in render_report(r, "md", "en")
