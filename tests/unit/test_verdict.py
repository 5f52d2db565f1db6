"""The public verdict folded from the entry gate's findings, and which QR base URLs a phone can open."""

from __future__ import annotations

import pytest

from foodtrace.services.safety.rules.findings import finding
from foodtrace.services.safety.verdict import verdict_of
from foodtrace.services.tracing.printing import unscannable_base


def test_no_finding_is_a_pass():
    v = verdict_of([])
    assert v.verdict == "pass" and v.reasons == [] and v.recall_ids == []


def test_the_gravest_finding_decides_and_reasons_come_gravest_first_without_repeats():
    fs = [finding("missing_certificate", "A", "F", "animal_quarantine", kind="animal_quarantine", product="pork"),
          finding("missing_certificate", "B", "F", "animal_quarantine", kind="animal_quarantine", product="pork"),
          finding("failed_test", "A", "F", "ev1", kind="clenbuterol_test", number="CL1", issuer_party="SH")]
    v = verdict_of(fs)
    assert v.verdict == "fail"
    assert [r.code for r in v.reasons] == ["failed_test", "missing_certificate"]  # one line per problem
    assert v.reasons[0].zh == "瘦肉精检测结果为不合格。" and "CL1" not in v.reasons[0].en  # no document numbers
    v = verdict_of([*fs, finding("recalled", "A", None, "RC1", recall="RC1")])
    assert v.verdict == "recalled" and v.recall_ids == ["RC1"] and v.reasons[0].code == "recalled"


@pytest.mark.parametrize("code,verdict", [("upstream_gap", "incomplete"), ("mass_balance", "incomplete"),
                                          ("undesignated_slaughter", "fail"), ("withdrawal_period", "fail")])
def test_each_kind_of_finding_has_its_verdict(code, verdict):
    assert verdict_of([finding(code, "A", "P")]).verdict == verdict


@pytest.mark.parametrize("base,bad", [("", True), ("http://127.0.0.1:8000", True), ("http://localhost:8000", True),
                                      ("http://10.0.0.5", True), ("http://[::1]", True), ("http://shop.local", True),
                                      ("http://trace-box", True), ("https://trace.example.cn", False),
                                      ("https://203.0.113.9", True), ("https://8.8.8.8", False)])
def test_which_base_urls_no_phone_can_open(base, bad):
    assert unscannable_base(base) is bad
