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
