"""The ``foodtrace`` command line: one module per command group (``main`` holds the group,
``serve``, ``demo``, ``ingest``, ``trace``, ``db`` and ``keys``; ``rules``, ``supervision``
and ``web`` their groups), all running services through one shared runner (``runner``)."""

from foodtrace.cli.main import main

__all__ = ["main"]
