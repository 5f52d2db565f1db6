"""The rules' commands as a user runs them: check, entry, recall, investigate, complaints, complaint-accept."""

from __future__ import annotations

import json

import pytest

from tests.builders import good_pork
from tests.e2e.test_cli import run


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('rules') / 'district.db'}"
    run("--store", url, "demo", "--no-serve", "--events", "8000", "--seed", "11", "--complaints")
    report = json.loads(run("--store", url, "check", "--json").stdout)
    return url, report


def test_check_lists_the_planted_problems_and_who_answers(district):
    url, report = district
    assert sorted(a["kind"] for a in report["anomalies"]) == [
        "failed_lot_slaughtered", "failed_lot_slaughtered", "failed_test", "mass_balance", "undesignated_slaughter",
        "withdrawal_period"]
    # the failed pigs' slaughterhouse and the vet office that passed their meat answer for it too
    held = {a["party"] for a in report["anomalies"] if a["kind"] == "failed_lot_slaughtered"}
    assert "AH001" in held and any(p.startswith("SH") for p in held)
    out = run("--store", url, "check").stdout
    assert "undesignated slaughter (1)" in out and "XW001" in out and "violation scores" in out
    assert "responsible:" in out and "points" in out
    zh = run("--store", url, "check", lang="zh").stdout
    assert "私屠滥宰" in zh and "违法违规行为记分" in zh and "休药期" in zh


def test_check_on_a_clean_store_says_so(tmp_path):
    url = f"sqlite:///{tmp_path / 'clean.db'}"
    f = tmp_path / "clean.jsonl"
    f.write_text("\n".join(json.dumps(e) for e in good_pork()) + "\n")
    run("--store", url, "ingest", str(f))
    assert "no problems found" in run("--store", url, "check").stdout
    assert json.loads(run("--store", url, "check", "--json").stdout)["anomalies"] == []


def test_entry_gate_refuses_the_rogue_beef(district):
    url, report = district
    beef = next(a["lot"] for a in report["anomalies"] if a["kind"] == "undesignated_slaughter")
    out = run("--store", url, "entry", beef, "--receiver", "SM001", "--quantity", "10").stdout
    assert "REJECT" in out and "not a designated slaughterhouse" in out and "animal quarantine" in out
    zh = run("--store", url, "entry", beef, "--receiver", "SM001", "--quantity", "10", lang="zh").stdout
    assert "拒绝入场" in zh
    p = run("--store", url, "entry", beef, "--receiver", "NOBODY", "--quantity", "10", check=False)
    assert p.returncode == 1 and "error [invalid_input]" in p.stderr and "Traceback" not in p.stderr


def test_investigate_the_planted_complaints(district):
    url, _ = district
    complaints = json.loads(run("--store", url, "complaints", "--json").stdout)
    assert len(complaints) >= 3
    args = [x for c in complaints for x in ("--complaint", c["complaint_id"])]
    inv = json.loads(run("--store", url, "investigate", *args, "--json").stdout)
    assert inv["parties"][0]["party"] == "SF001"
    out = run("--store", url, "investigate", *(c["lots"][0] for c in complaints)).stdout
    assert "cause investigation" in out and " 1. " in out and "SF001" in out.split(" 1. ")[1].splitlines()[0]
    p = run("--store", url, "investigate", check=False)
    assert p.returncode == 1 and "name at least one" in p.stderr


def test_the_planted_complaints_are_accepted_and_count_in_the_risk_ranking(district):
    url, _ = district
    statuses = {c["status"] for c in json.loads(run("--store", url, "complaints", "--json").stdout)}
    assert statuses == {"accepted", "closed"}  # the office accepted (受理) every one
    accepted = json.loads(run("--store", url, "complaints", "--status", "accepted", "--json").stdout)
    assert accepted and all(c["accepted_by"] == "REG001" for c in accepted)
    assert "已受理" in run("--store", url, "complaints", "--status", "open", lang="zh").stdout


def test_complaint_accept(tmp_path):
    from foodtrace.graph import open_store
    from foodtrace.services.safety.complaints import file_complaint

    url = f"sqlite:///{tmp_path / 'accept.db'}"
    f = tmp_path / "pork.jsonl"
    f.write_text("\n".join(json.dumps(e) for e in good_pork()) + "\n")
    run("--store", url, "ingest", str(f))
    with open_store(url) as s:
        file_complaint(s, ["RCPT"], "smells off", channel="online", by="consumer", complaint_id="TS-1")
    assert "received, not yet accepted" in run("--store", url, "complaints").stdout
    out = run("--store", url, "complaint-accept", "TS-1", "--by", "REG", "--note", "receipt checked").stdout
    assert "TS-1 · accepted" in out
    assert [c["complaint_id"] for c in json.loads(run("--store", url, "complaints", "--status", "accepted",
                                                          "--json").stdout)] == ["TS-1"]
    p = run("--store", url, "complaint-accept", "TS-1", check=False)
    assert p.returncode == 1 and "error [conflict]" in p.stderr and "Traceback" not in p.stderr
    p = run("--store", url, "complaint-accept", "TS-404", check=False)
    assert p.returncode == 1 and "error [not_found]" in p.stderr


def test_recall_preview_start_show_and_confirm(district):
    url, report = district
    pig = next(a["lot"] for a in report["anomalies"] if a["kind"] == "failed_test")
    preview = json.loads(run("--store", url, "recall", pig, "--dry-run", "--json").stdout)
    assert preview["status"] == "preview" and preview["recall_id"] is None
    # the default reason, in Chinese and in English; the text output reads the one of its language
    assert (preview["reason"], preview["reason_en"]) == ("监管人员发起召回", "recall started by an inspector")
    en = run("--store", url, "recall", pig, "--dry-run").stdout
    assert "recall started by an inspector" in en.splitlines()[0] and "监管" not in en
    zh = run("--store", url, "recall", pig, "--dry-run", lang="zh").stdout
    assert "监管人员发起召回" in zh.splitlines()[0] and "recall" not in zh
    started = json.loads(run("--store", url, "recall", pig, "--reason", "clenbuterol", "--json").stdout)
    rid = started["recall_id"]
    assert started["status"] == "open" and set(started["unconfirmed"]) == {
        h["party"] for h in preview["exposure"]["holders"]}
    out = run("--store", url, "recall-show", rid).stdout
    assert rid in out and "possibly still held" in out and "RECALL" in out
    for party in started["unconfirmed"]:
        last = run("--store", url, "recall-confirm", rid, party).stdout
    assert "closed" in last
    p = run("--store", url, "recall", "NO-SUCH-LOT", check=False)
    assert p.returncode == 1 and "no lot with trace code" in p.stderr and "Traceback" not in p.stderr


def test_rules_file_from_the_setting(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    bad = tmp_path / "rules.toml"
    bad.write_text("[scores]\nfailed_test = 1\n", encoding="utf-8")
    monkeypatch.setenv("FOODTRACE_RULES", str(bad))
    p = run("--store", url, "check", check=False)
    assert p.returncode == 1 and "error [config_error]" in p.stderr and "scores" in p.stderr
    assert "Traceback" not in p.stderr
