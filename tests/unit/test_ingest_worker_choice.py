"""How ``foodtrace ingest`` decides to use a second core (``ingest.jsonl_worker``): by the cores idle now,
read from the kernel's CPU counters over a short sample, not by the load average of the last minute."""

from __future__ import annotations

from foodtrace.ingest import jsonl_worker


def test_idle_share_between_two_samples():
    assert jsonl_worker.idle_share((100, 1000), (150, 1100)) == 0.5
    assert jsonl_worker.idle_share((100, 1000), (100, 1100)) == 0.0  # every core busy
    assert jsonl_worker.idle_share((100, 1000), (100, 1000)) is None  # no tick passed: no answer


def test_cpu_times_reads_the_first_line_of_proc_stat(tmp_path):
    stat = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice
    stat.write_text("cpu  100 5 50 800 20 0 5 0 7 0\ncpu0 50 2 25 400 10 0 2 0 3 0\n")
    assert jsonl_worker._cpu_times(str(stat)) == (820, 980)
    stat.write_text("intr 1 2 3\n")
    assert jsonl_worker._cpu_times(str(stat)) is None
    assert jsonl_worker._cpu_times(str(tmp_path / "missing")) is None


def test_free_cores_is_within_the_machine(monkeypatch):
    import os

    cores = os.cpu_count() or 1
    free = jsonl_worker._free_cores(0.05)
    assert -1.0 <= free <= cores - 1 + 1e-9
    monkeypatch.setattr(jsonl_worker, "_cpu_times", lambda path="/proc/stat": None)  # no counters: the load average
    assert jsonl_worker._free_cores(0.05) == (cores - 1 - os.getloadavg()[0])


def test_a_small_file_is_never_worth_sampling_the_cores_for(tmp_path, monkeypatch):
    """The sample sleeps half a second: a file below ``MIN_BYTES`` (every ledger a shop types) must not wait
    for an answer that cannot change the choice."""
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    small.write_text("{}\n")
    with open(big, "wb") as f:
        f.truncate(jsonl_worker.MIN_BYTES)
    asked = []
    monkeypatch.delenv("FOODTRACE_INGEST_WORKER", raising=False)
    monkeypatch.setattr(jsonl_worker, "_free_cores", lambda: asked.append(1) or 1.0)
    assert jsonl_worker.wanted(small, 1000) is False and asked == []
    assert jsonl_worker.wanted(tmp_path / "missing.jsonl", 1000) is False and asked == []
    assert jsonl_worker.wanted(big, 1000) is True and asked == [1]
    monkeypatch.setattr(jsonl_worker, "_free_cores", lambda: 0.0)  # every other core busy
    assert jsonl_worker.wanted(big, 1000) is False
