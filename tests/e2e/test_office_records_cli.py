"""The office's publicity, interview, sampling and incident records from the command line
(``foodtrace supervise publicity|interview|sample|sample-result|incident|office-records``): recorded
through the write door, listed in zh and en, counted by the report's figures; refusals in the
reader's language; an inspector with areas records and reads only businesses in them."""

from __future__ import annotations

from datetime import date
import json
import os
import subprocess
import sys

import pytest

from foodtrace.errors import Forbidden
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.capture.principal import Principal
from foodtrace.services.supervision.figures import supervision_figures
from foodtrace.services.supervision.office_records import list_office_records, record_interview
from tests.builders import register


def _cli(store: str, *args: str, lang: str = "zh") -> subprocess.CompletedProcess:
    env = {**os.environ, "FOODTRACE_STORE": store, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "foodtrace", "--lang", lang, "supervise", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def store_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with open_store(url) as s:
        capture(s, [register("REG", "regulator"), register("SC1", "school_canteen", "新永学校食堂"),
                    register("M1", "supermarket", "兴阳超市", area="330105")])
    return url


def test_records_listed_counted_and_refused_in_the_readers_language(store_url):
    at = "--at"
    ok = [("publicity", "--title", "“3·15”宣传", "--materials", "1200", "--media-posts", "3", at,
           "2025-03-15T10:00:00+08:00", "--id", "XC1", "--by", "REG"),
          ("interview", "M1", "--reason", "进货查验记录不全", at, "2025-03-16T10:00:00+08:00", "--by", "REG"),
          ("sample", "SC1", "--program", "tableware", "--item", "餐具", "--result", "fail", at,
           "2025-03-05T10:00:00+08:00", "--id", "CJ1", "--by", "REG"),
          ("sample", "M1", "--program", "special", "--item", "猪肉", at, "2025-03-20T10:00:00+08:00", "--id", "ZX1",
           "--by", "REG"),
          ("incident", "--description", "学校食堂集体腹泻", "--people-affected", "12", at,
           "2025-03-12T10:00:00+08:00", "--by", "REG")]
    for args in ok:
        out = _cli(store_url, *args)
        assert out.returncode == 0, out.stderr
    pending = json.loads(_cli(store_url, "office-records", "--kind", "sampling", "--json").stdout)
    assert [(r["record_id"], r["result"]) for r in pending] == [("CJ1", "fail"), ("ZX1", None)]
    assert "待检出结果" in _cli(store_url, "office-records").stdout
    early = _cli(store_url, "sample-result", "ZX1", "pass", at, "2025-03-19T10:00:00+08:00", "--by", "REG")
    assert early.returncode == 1 and "检验结果须晚于采样时间" in early.stderr
    done = _cli(store_url, "sample-result", "ZX1", "pass", at, "2025-03-27T10:00:00+08:00", "--by", "REG")
    assert done.returncode == 0 and "合格" in done.stdout
    again = _cli(store_url, "sample-result", "ZX1", "fail", "--by", "REG")
    assert again.returncode == 1 and "样品 ZX1 的检验结果已记录" in again.stderr
    used = _cli(store_url, "publicity", "--title", "x", "--id", "XC1", "--by", "REG")
    assert used.returncode == 1 and "宣传活动 XC1 已存在" in used.stderr
    unknown = _cli(store_url, "interview", "NOPE", "--reason", "x", "--by", "REG")
    assert unknown.returncode == 1 and "NOPE 不是已备案的主体" in unknown.stderr
    en = _cli(store_url, "office-records", lang="en").stdout
    assert "publicity event" in en and "result pending" not in en and "people affected 12" in en
    assert "宣传活动" not in en.split("\n", 1)[1].replace("“3·15”宣传", "")
    with open_store(store_url) as s:
        f = {k: v["value"] for k, v in supervision_figures(s, date(2025, 3, 1), date(2025, 3, 31)).items()}
    assert (f["publicity_events"], f["publicity_materials"], f["media_posts"]) == (1, 1200, 3)
    assert (f["tableware_samples"], f["tableware_passed"], f["special_samples"], f["special_passed"]) == (1, 0, 1, 1)
    assert (f["samples_pending"], f["interviews"], f["incidents"]) == (0, 1, 1)


def test_an_inspector_with_areas_records_and_reads_only_businesses_in_them(store_url):
    west = Principal("user:wang", "REG", "inspector", kind="user", areas=("330106",))
    with open_store(store_url) as s:
        before = s.counts()["events"]
        with pytest.raises(Forbidden):
            record_interview(s, west, "M1", "outside the areas")  # M1 is in 330105
        assert s.counts()["events"] == before
        record_interview(s, west, "SC1", "进货查验记录不全", interview_id="YT-W")
        record_interview(s, Principal("key:all", "REG", "inspector"), "M1", "全区", interview_id="YT-E")
        assert [r.record_id for r in list_office_records(s, west)] == ["YT-W"]
        assert {r.record_id for r in list_office_records(s, Principal("key:all", "REG", "inspector"))} == {"YT-W", "YT-E"}
