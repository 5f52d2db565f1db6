"""The serving process's garbage-collection policy (``api.gc_policy``), each case in a fresh interpreter
(freezing is process-wide): after a full collection its survivors are frozen, so the next one walks only
what was kept since; the periodic full pass unfreezes and reclaims a cycle that became garbage while frozen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
import textwrap

REPO = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_survivors_of_a_full_collection_are_frozen_and_the_full_pass_reclaims_frozen_cycles():
    out = _run("""
        import gc, weakref
        from foodtrace.api import gc_policy
        assert not gc_policy.installed()
        gc_policy.install(); gc_policy.install()
        assert gc_policy.installed() and gc.callbacks.count(gc_policy._freeze_survivors) == 1

        class Node:
            pass

        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, alive
        gone = weakref.ref(a)
        gc.collect()
        frozen = gc.get_freeze_count()
        assert frozen > 0, frozen
        del a, b  # garbage now, but frozen: an ordinary collection does not walk it
        gc.collect(0); gc.collect(1)
        assert gone() is not None
        took = gc_policy.full_collection()
        assert gone() is None and took >= 0
        assert gc.get_freeze_count() > 0  # the survivors of that pass are frozen again
        print("ok")
    """)
    assert out == "ok"


def test_a_process_that_does_not_install_it_keeps_the_default():
    out = _run("""
        import gc
        from foodtrace.api.app import create_app
        create_app()
        gc.collect()
        print(gc.get_freeze_count())
    """)
    assert out == "0"


def test_full_collections_come_every_few_middle_ones_and_each_walks_only_what_was_kept_since():
    out = _run("""
        import gc
        from foodtrace.api import gc_policy
        young, middle, oldest = gc.get_threshold()
        gc_policy.install()
        assert gc.get_threshold() == (young, middle, gc_policy.FULL_AFTER), gc.get_threshold()
        gc_policy.full_collection()
        seen = {"middle": 0, "full": []}

        def count(phase, info):
            if phase == "start" and info["generation"] == 2:
                seen["full"].append(len(gc.get_objects(2)))  # what this full collection walks
            if phase == "stop" and info["generation"] == 1:
                seen["middle"] += 1

        gc.callbacks.insert(0, count)
        n = 40 * young * middle  # lists kept: ~40 collections of the middle generation (Python 3.13's young
        kept = [[i] for i in range(n)]  # threshold is 2,000, 3.11's 700); the default would walk n / 4 at once
        gc.callbacks.remove(count)
        middle_ones, fulls = seen["middle"], seen["full"]
        assert middle_ones >= 30, middle_ones
        assert len(fulls) >= middle_ones // (gc_policy.FULL_AFTER + 1) - 1, (len(fulls), middle_ones)
        assert max(fulls) <= 3 * (gc_policy.FULL_AFTER + 1) * young * middle, max(fulls)
        assert gc.get_freeze_count() >= 0.75 * n  # the kept lists were frozen as they survived
        print("ok", len(kept) > 0)
    """)
    assert out == "ok True"
