"""The services' errors (supervision, administration, safety: recalls, complaints, receiving, the office's
records; the command line's own) in zh and en: key -> (zh, en), said like the write door's refusals
(``i18n.refusals``: ``refusal`` for a detail, ``key=``/``args=`` for an error's message)."""

from __future__ import annotations

SERVICE_ERRORS: dict[str, tuple[str, str]] = {
}

__all__ = ["SERVICE_ERRORS"]
