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


def test_a_sweep_collects_what_the_middle_generation_moved_on_and_freezes_it():
    out = _run("""
        import asyncio, gc
        from foodtrace.api import gc_policy
        gc_policy.install()
        gc_policy.full_collection()
        assert not gc_policy.sweep() or gc.get_count()[2] == 0  # nothing moved on: nothing to do
        young, middle, _ = gc.get_threshold()
        kept = []
        while gc.get_count()[2] == 0:  # kept objects until a middle collection moves some into the oldest
            kept.extend([i] for i in range(young))
        frozen = gc.get_freeze_count()
        assert len(gc.get_objects(2)) > 0
        assert gc_policy.sweep()
        assert gc.get_count()[2] == 0 and len(gc.get_objects(2)) == 0  # walked once, then frozen
        assert gc.get_freeze_count() > frozen
        assert not gc_policy.sweep()

        async def main():  # the app's task sweeps on its own, every SWEEP_S
            gc_policy.SWEEP_S = 0.01
            task = asyncio.ensure_future(gc_policy.keep(lambda: None))
            more = []
            for _ in range(50):
                more.extend([i] for i in range(young * middle))
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.05)
            task.cancel()
            return len(gc.get_objects(2)), len(more)

        left, made = asyncio.run(main())
        assert left < made // 4, (left, made)  # the kept lists were swept and frozen as they went
        print("ok")
    """)
    assert out == "ok"
