"""``foodtrace supervise …`` as a user runs it: a subprocess on a real SQLite file."""

from __future__ import annotations

import json

import pytest

from tests.builders import good_pork, register
from tests.e2e.test_cli import run
from tests.e2e.test_http_rules import ROGUE

YEAR_END = "2025-12-31T23:00:00+08:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('superv') / 'district.db'}"
    run("--store", url, "demo", "--no-serve", "--events", "4000", "--seed", "11")
    return url


@pytest.fixture
def small(tmp_path):
    url = f"sqlite:///{tmp_path / 'small.db'}"
    f = tmp_path / "chain.jsonl"
    events = good_pork() + ROGUE + [register("SC1", "school_canteen", "No. 1 School")]
    f.write_text("\n".join(json.dumps(e) for e in events) + "\n")
    run("--store", url, "ingest", str(f))
    return url


def test_risk_ranks_the_planted_problems_first_with_reasons(demo):
    ranking = json.loads(run("--store", demo, "supervise", "risk", "--top", "500", "--as-of", YEAR_END,
                             "--json").stdout)
    check = json.loads(run("--store", demo, "check", "--json").stdout)
    planted = {a["party"] for a in check["anomalies"]}
    score = {e["party"]: e["score"] for e in ranking["entries"]}
    clean = [e["score"] for e in ranking["entries"]
             if {r["code"] for r in e["reasons"]} <= {"kind", "not_inspected", "no_problem"}]
    assert ranking["entries"][0]["party"] == "XW001" and min(score[p] for p in planted) > max(clean)
    out = run("--store", demo, "supervise", "risk", "--top", "3", "--as-of", YEAR_END).stdout
    assert "risk ranking: whom to inspect next" in out and "  1." in out and "  4." not in out
    assert "XW001" in out.split("  2.")[0] and "not a designated slaughterhouse" in out
    zh = run("--store", demo, "supervise", "risk", "--top", "3", lang="zh").stdout
    assert "风险分级" in zh and "私屠滥宰" in zh


def test_the_demo_cases_campaign_and_figures(demo):
    out = run("--store", demo, "supervise", "case", "list").stdout
    assert "handed to the police" in out and "closed" in out and "enforcement cases (2)" in out
    cases = json.loads(run("--store", demo, "supervise", "case", "list", "--json").stdout)
    police = next(c for c in cases if c["status"] == "handed_to_police")
    shown = run("--store", demo, "supervise", "case", "show", police["case_id"], "--evidence").stdout
    assert "backward trace" in shown and "forward trace" in shown and "evidence" in shown
    camp = run("--store", demo, "supervise", "campaign", "list").stdout
    assert "special campaigns (1)" in camp and "school canteen" in camp and "rectification notices 1" in camp
    figures = run("--store", demo, "supervise", "figures", "--from", "2025-01-01", "--to", "2025-12-31").stdout
    assert "cases handed to the police: 1" in figures and "value destroyed (yuan): 28,000.00" in figures
    zh = run("--store", demo, "supervise", "figures", lang="zh").stdout
    assert "移交公安机关（件）: 1" in zh
    trainings = json.loads(run("--store", demo, "supervise", "list", "trainings", "--json").stdout)
    assert len(trainings) == 2


def test_recording_each_kind_from_the_command_line(small):
    def sup(*args, **kw):
        return run("--store", small, "supervise", *args, **kw)

    out = sup("campaign", "start", "--name", "Spring canteens", "--from", "2025-03-01", "--to", "2025-05-31",
              "--kind", "school_canteen", "--id", "ZX1", "--by", "REG", "--at", "2025-02-20T09:00:00+08:00").stdout
    assert "ZX1" in out and "not inspected yet: SC1" in out
    out = sup("inspect", "SC1", "--outcome", "rectification", "--inspector", "Li", "--inspector", "Wang",
              "--finding", "no food samples kept", "--campaign", "ZX1", "--notice", "JG-1", "--rectify-by",
              "2025-03-20", "--at", "2025-03-05T10:00:00+08:00", "--by", "REG").stdout
    assert "rectification notice" in out and "JG-1" in out and "Li, Wang" in out
    case = json.loads(sup("case", "open", "--from", "anomaly", "--lot", "BEEF", "--id", "AJ-1", "--at",
                          "2025-03-06T09:00:00+08:00", "--json").stdout)
    assert case["subjects"] == ["XW001"] and case["evidence_lots"] == 3
    out = sup("case", "hand-over", "AJ-1", "--to", "District police", "--at", "2025-03-07T09:00:00+08:00").stdout
    assert "handed to the police" in out and "District police" in out
    out = sup("case", "close", "AJ-1", "--fine", "50000", "--confiscated", "1200", "--decision", "D-1").stdout
    assert "closed" in out and "50,000.00 yuan" in out
    assert "hygiene" in sup("training", "--topic", "hygiene", "--attendee", "SC1", "--attendee", "M1").stdout
    assert "SC1" in sup("commitment", "SC1", "--valid-until", "2025-12-31").stdout
    out = sup("destroy", "--goods", "uninspected beef", "--value", "28000", "--reason", "nonconforming",
              "--quantity", "400", "--unit", "kg", "--subject", "XW001", "--lot", "BEEF", "--case", "AJ-1").stdout
    assert "28,000.00 yuan" in out and "nonconforming" in out
    assert "AJ-1" in sup("lot", "BL").stdout
    inspections = json.loads(sup("inspections", "--campaign", "ZX1", "--json").stdout)
    assert [i["notice_number"] for i in inspections] == ["JG-1"]


def test_errors_are_reasons_not_tracebacks(small):
    p = run("--store", small, "supervise", "inspect", "NOBODY", "--outcome", "no_problem", "--inspector", "Li",
            check=False)
    assert p.returncode == 1 and "error [invalid_input]" in p.stderr and "subject" in p.stderr
    assert "Traceback" not in p.stderr
    p = run("--store", small, "supervise", "inspect", "SC1", "--outcome", "no_problem", "--inspector", "Li",
            "--at", "2025-03-05T10:00:00", check=False)
    assert p.returncode == 2 and "time zone" in p.stderr and "Traceback" not in p.stderr
    p = run("--store", small, "supervise", "case", "close", "NOPE", check=False)
    assert p.returncode == 1 and "error [not_found]" in p.stderr
    p = run("--store", small, "supervise", "case", "open", "--from", "failed_test", "--ref", "nope", check=False)
    assert p.returncode == 1 and "source_refs[0]" in p.stderr
    assert json.loads(run("--store", small, "supervise", "inspections", "--json").stdout) == []
