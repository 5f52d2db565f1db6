"""The errors of what comes in and what is looked up (importers, tracing and codes, capture, the store, the
HTTP layer) in zh and en: key -> (zh, en), said like the write door's refusals (``i18n.refusals``:
``refusal`` for a detail, ``key=``/``args=`` for an error's message)."""

from __future__ import annotations

INPUT_ERRORS: dict[str, tuple[str, str]] = {
}

__all__ = ["INPUT_ERRORS"]
